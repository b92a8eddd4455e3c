"""What a destination is: somewhere a build's stream of files goes, written whole or not at all."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..output import Output


@dataclass(frozen=True)
class Destination:
    name: str
    # write(outputs, where, verify) -> stats; verify() runs after the last file and may abandon the write
    write: Callable[[Iterable[Output], Path, Callable[[], None]], Any]
