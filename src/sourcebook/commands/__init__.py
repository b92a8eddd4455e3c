"""The commands, in the order --help lists them: one module a command, registered here."""
from __future__ import annotations

from . import build, check, diff, new, schema, stats
from .command import Command

COMMANDS: tuple[Command, ...] = (
    build.COMMAND,
    check.COMMAND,
    new.COMMAND,
    stats.COMMAND,
    diff.COMMAND,
    schema.COMMAND,
)
DEFAULT = "build"
