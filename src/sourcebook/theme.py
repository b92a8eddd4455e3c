"""The theme: the default templates and static files (package data), with an optional override folder.

The default theme is the `sourcebook.default_theme` package, found through
importlib.resources, so an installed sourcebook builds from any folder; in a
checkout it is the top-level `templates/` folder (pyproject.toml maps it into
the package). A `--templates DIR` folder holds only the files it replaces,
templates or ``static/`` files. Templates are trusted code (SECURITY.md).
"""
from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

import jinja2
import jinja2.meta

THEME_PACKAGE = "sourcebook.default_theme"
_KEEP = ExitStack()  # keeps an extracted theme (a zipped install) alive for the process


def default_folder() -> Path:
    return _KEEP.enter_context(resources.as_file(resources.files(THEME_PACKAGE)))


@dataclass(frozen=True)
class Theme:
    folders: tuple[Path, ...]  # the override first, then the default theme

    @classmethod
    def with_override(cls, override: Path | None) -> "Theme":
        default = default_folder()
        return cls((override, default) if override else (default,))

    def loader(self) -> jinja2.BaseLoader:
        return jinja2.FileSystemLoader([str(f) for f in self.folders])

    def static_files(self) -> dict[str, Path]:
        """static/ files by name; an override's file replaces the default's."""
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            static = folder / "static"
            if static.is_dir():
                for path in sorted(static.rglob("*")):
                    if path.is_file() and path.name != "__init__.py" and "__pycache__" not in path.parts:
                        found[path.relative_to(static).as_posix()] = path
        return dict(sorted(found.items()))

    @cached_property
    def _env(self) -> jinja2.Environment:
        return jinja2.Environment(loader=self.loader())

    def source(self, name: str) -> str | None:
        try:
            return self._env.loader.get_source(self._env, name)[0]  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            return None

    def closure(self, name: str) -> tuple[str, ...]:
        """A template and every template it extends, includes or imports, for recording reads."""
        seen: list[str] = []
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.append(current)
            source = self.source(current)
            if source is None:
                continue
            try:
                refs = jinja2.meta.find_referenced_templates(self._env.parse(source))
            except jinja2.TemplateSyntaxError:
                continue  # the renderer reports it, with its position
            todo.extend(r for r in refs if r)
        return tuple(sorted(seen))
