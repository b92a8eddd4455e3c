"""Resource limits on contributed input, and the one way to tell a user how to raise one.

Limits are settings (`[tool.sourcebook.limits]`, declared in `settings.py`);
they live in this low module because the loader enforces them before any
setting beyond them is read.
"""
from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 5 * 1024 * 1024
    max_text_chars: int = 20_000
    max_depth: int = 64
    max_entries: int = 10_000
    seconds_per_file: float = 10.0


LIMIT_DOCS: dict[str, str] = {
    "max_file_bytes": "Largest dossier, bibliography or about.md file, in bytes; read no further.",
    "max_text_chars": "Longest text value, in characters (about.md may be five times as long).",
    "max_depth": "Deepest nesting of lists and mappings, checked before the YAML parser runs.",
    "max_entries": "Most items in one list or keys in one mapping.",
    "seconds_per_file": "Time to read one file, and to render one page's Markdown (charged to its file).",
}


def limit_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(Limits))


def raise_hint(name: str) -> str:
    """The words every "over the limit" message ends with; `name` must be a declared limit."""
    if name not in limit_names():
        raise ValueError(f"no limit named {name!r}")
    return f"(raise [tool.sourcebook.limits] {name} to allow it)"
