"""Site settings: ``[tool.sourcebook]`` in a pyproject.toml, over built-in defaults.

``--config FILE`` names the file; otherwise the nearest pyproject.toml at or
above the dossiers folder is used; with none (or one without the table) the
built-in defaults in ``defaults.toml`` apply, so a bare folder of dossiers
still builds. A vocabulary given in the file replaces the default one whole.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .ids import ID_PATTERN
from .problems import BuildFailed, Pos, Problem, did_you_mean

VOCABULARIES = ("topics", "sectors", "tags", "relationship_types", "profile_fields", "source_kinds")
TEXT_SETTINGS = ("title", "description", "base_url", "language")


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 5 * 1024 * 1024
    max_text_chars: int = 20_000
    max_depth: int = 64
    max_entries: int = 10_000
    seconds_per_file: float = 10.0


@dataclass(frozen=True)
class Config:
    """Vocabularies map an id to its display label, in display order."""

    title: str = "sourcebook"
    description: str = ""
    base_url: str = ""
    language: str = "en"
    topics: dict[str, str] = field(default_factory=dict)
    sectors: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    relationship_types: dict[str, str] = field(default_factory=dict)
    profile_fields: dict[str, str] = field(default_factory=dict)
    source_kinds: dict[str, str] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
    path: str = "(built-in defaults)"


def find_config(dossiers: Path) -> Path | None:
    """The nearest pyproject.toml at or above the dossiers folder."""
    for folder in (dossiers.resolve(), *dossiers.resolve().parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | None) -> Config:
    defaults = _defaults()
    if path is None:
        return _make(defaults, "(built-in defaults)", "")
    try:
        text = path.read_text(encoding="utf-8")
        table = tomllib.loads(text).get("tool", {}).get("sourcebook")
    except (OSError, UnicodeDecodeError) as e:
        raise BuildFailed([Problem(Pos(str(path)), "config-unreadable", str(e))], 2)
    except tomllib.TOMLDecodeError as e:
        raise BuildFailed([Problem(Pos(str(path)), "config-invalid", str(e))], 2)
    if table is None:
        return _make(defaults, "(built-in defaults)", "")
    return _make({**defaults, **table}, str(path), text)


def _defaults() -> dict[str, Any]:
    text = resources.files("sourcebook").joinpath("defaults.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["tool"]["sourcebook"]


def _make(table: dict[str, Any], path: str, text: str) -> Config:
    problems: list[Problem] = []
    known = {*TEXT_SETTINGS, *VOCABULARIES, "limits"}
    for key in table:
        if key not in known:
            problems.append(_problem(path, text, key, "config-unknown-key",
                                     f"unknown setting '{key}'{did_you_mean(key, known)}"))
    values: dict[str, Any] = {}
    for key in TEXT_SETTINGS:
        if key in table:
            if not isinstance(table[key], str):
                problems.append(_problem(path, text, key, "config-type", f"'{key}' must be a string"))
            else:
                values[key] = table[key]
    for key in VOCABULARIES:
        values[key] = _vocabulary(table.get(key, {}), key, path, text, problems)
    values["limits"] = _limits(table.get("limits", {}), path, text, problems)
    if problems:
        raise BuildFailed(problems, 2)
    return Config(**values, path=path)


def _vocabulary(raw: Any, key: str, path: str, text: str, problems: list[Problem]) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        problems.append(_problem(path, text, key, "config-type",
                                 f"'{key}' must be a table of id = \"label\""))
        return {}
    for name in raw:
        if not ID_PATTERN.fullmatch(name):
            problems.append(_problem(path, text, name, "config-type",
                                     f"'{name}' in '{key}' is not a valid id (lowercase letters, digits, single hyphens)"))
    return dict(raw)


def _limits(raw: Any, path: str, text: str, problems: list[Problem]) -> Limits:
    if not isinstance(raw, dict):
        problems.append(_problem(path, text, "limits", "config-type", "'limits' must be a table"))
        return Limits()
    fields = Limits.__dataclass_fields__
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in fields:
            problems.append(_problem(path, text, key, "config-unknown-key",
                                     f"unknown limit '{key}'{did_you_mean(key, fields)}"))
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            problems.append(_problem(path, text, key, "config-type", f"limit '{key}' must be a positive number"))
        else:
            values[key] = type(getattr(Limits(), key))(value)
    return Limits(**values)


def _problem(path: str, text: str, key: str, code: str, message: str) -> Problem:
    """tomllib keeps no positions: find the key's line by a search of the text."""
    m = re.search(rf"^\s*\"?{re.escape(key)}\"?\s*=", text, re.MULTILINE)
    if m is None:
        return Problem(Pos(path), code, message)
    line = text.count("\n", 0, m.start()) + 1
    col = len(m.group()) - len(m.group().lstrip()) + 1
    return Problem(Pos(path, line, col), code, message)
