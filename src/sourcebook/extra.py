"""The extra-files folder: files a host needs at the site's root, copied as they are.

``CNAME`` and ``.nojekyll`` for GitHub Pages, ``_headers`` and ``_redirects``
for Netlify and Cloudflare Pages, ``favicon.ico``, ``.well-known/``, search
engines' verification files: whatever sits in the folder the ``extra_files``
setting names (default ``extra/`` beside the settings file) is copied to the
root of every build, byte for byte, as a tree. Placed by hand in the output
instead, such a file would be refused (it is not in the manifest) rather than
deleted: the extra-files folder is where it belongs.

A pipeline step rather than a registered output (ARCHITECTURE.md): it is read
before rendering, so a mistake in it fails the build before any page is
rendered, and its files join the stream last, because they may replace a
generated file that is not a page (robots.txt, a theme's ``static/`` file),
which the pipeline then leaves out. They may never replace a page: that is
refused, naming both.

The folder is trusted like the templates (SECURITY.md): it is never inside
the dossiers folder, which contributors edit, nor around it, so no
contributed file is published unchecked. Symbolic links are refused, so a
build never publishes a file from elsewhere on the machine. Empty folders are
not copied: a site is files.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .destinations.folder import MANIFEST
from .load import SYMBOLIC_LINK
from .output import Output
from .problems import IO_CODES, UNREADABLE_FILE, BuildFailed, Code, Pos, Problem
from .render import PageRecord
from .settings import Settings

INVALID_EXTRA_FILES = Code("invalid-extra-files", "extra_files names no folder, or a folder inside or around the "
                           "dossiers folder or the output")
EXTRA_FILE_COLLISION = Code("extra-file-collision", "an extra file has the path of a page or the manifest, or "
                            "needs a folder where the build writes a file (or the reverse)")
CODES = (INVALID_EXTRA_FILES, EXTRA_FILE_COLLISION)
SETTING = "extra_files"


@dataclass(frozen=True)
class ExtraFiles:
    folder: Path | None        # None: no extra files this build
    files: tuple[str, ...]     # POSIX paths inside the folder (and so inside the site), sorted

    def replaces(self, path: str) -> bool:
        """True when an extra file takes the place of this generated file."""
        return path in self.files

    def outputs(self, pages: Iterable[PageRecord], generated: Iterable[str]) -> Iterator[Output]:
        """The extra files, once every page and generated file has been written; refused (exit 2) on a collision."""
        if self.folder is None:
            return
        problems = collisions(self.folder, self.files, {r.path: r.family for r in pages}, set(generated))
        if problems:
            raise BuildFailed(problems, 2)
        for name in self.files:
            yield Output(name, _read(self.folder / name), verbatim=True)


NONE = ExtraFiles(None, ())


def find(settings: Settings, dossiers: Path, out: Path) -> ExtraFiles:
    """The extra-files folder these settings name, and the files in it; BuildFailed (exit 2) on a bad one."""
    name = settings.values.get(SETTING) or ""
    if not name:
        return NONE
    base = settings.folder if settings.folder is not None else dossiers.absolute().parent
    folder = base / name
    problems = _folder_problems(folder, settings, dossiers, out)
    if problems is None:
        return NONE
    if not problems:
        files, problems = _walk(folder)
    if problems:
        raise BuildFailed(problems, 3 if any(p.code in IO_CODES for p in problems) else 2)
    return ExtraFiles(folder, files)


def _folder_problems(folder: Path, settings: Settings, dossiers: Path, out: Path) -> list[Problem] | None:
    """Why this folder cannot be the extra-files folder; [] when it can, None when it is absent by default."""
    pos = settings.pos(SETTING)
    where = f"{SETTING} '{folder}'"
    if folder.is_symlink():
        return [Problem(Pos(str(folder)), SYMBOLIC_LINK, "is a symbolic link: the extra-files folder must be a "
                        "real folder, so a build publishes nothing from elsewhere on the machine")]
    if not folder.exists():
        if SETTING not in settings.given:
            return None  # the default folder, not made: no extra files
        return [Problem(pos, INVALID_EXTRA_FILES, f"{where} does not exist; create it, or set {SETTING} = \"\" "
                        "for none")]
    if not folder.is_dir():
        return [Problem(pos, INVALID_EXTRA_FILES, f"{where} is not a folder")]
    here, contributed, site = folder.resolve(), dossiers.resolve(), out.absolute().resolve()
    if here == contributed or contributed in here.parents:
        return [Problem(pos, INVALID_EXTRA_FILES, f"{where} is inside the dossiers folder '{dossiers}', which "
                        "contributors edit, and extra files are published unchecked: keep it beside the settings "
                        "file (the default is extra/)")]
    if here in contributed.parents:
        return [Problem(pos, INVALID_EXTRA_FILES, f"{where} holds the dossiers folder '{dossiers}', whose "
                        "files would be published unchecked: name a folder of its own")]
    relation = ("is" if here == site else "holds" if here in site.parents
                else "is inside" if site in here.parents else None)
    if relation:
        return [Problem(pos, INVALID_EXTRA_FILES, f"{where} {relation} the output folder '{out}': name a "
                        "folder of its own")]
    return []


def _walk(folder: Path) -> tuple[tuple[str, ...], list[Problem]]:
    """Every regular file under folder, as POSIX paths; symbolic links and other non-files are problems."""
    files: list[str] = []
    problems: list[Problem] = []

    def unreadable(e: OSError) -> None:
        problems.append(Problem(Pos(str(e.filename or folder)), UNREADABLE_FILE, e.strerror or str(e)))

    for root, dirs, names in os.walk(folder, onerror=unreadable):
        for d in list(dirs):
            if os.path.islink(os.path.join(root, d)):
                dirs.remove(d)
                problems.append(_link(Path(root, d)))
        dirs.sort()
        for n in sorted(names):
            path = Path(root, n)
            if path.is_symlink():
                problems.append(_link(path))
            elif not path.is_file():
                problems.append(Problem(Pos(str(path)), UNREADABLE_FILE, "is not a regular file"))
            else:
                files.append(path.relative_to(folder).as_posix())
    for name in files:
        if name == MANIFEST:
            problems.append(Problem(Pos(str(folder / name)), EXTRA_FILE_COLLISION,
                                    f"has the path of the build's own manifest ({MANIFEST}); remove it"))
    return tuple(sorted(files)), problems


def _link(path: Path) -> Problem:
    return Problem(Pos(str(path)), SYMBOLIC_LINK, "is a symbolic link: extra files are copied as they are, "
                   "never through a link, so a build publishes nothing from elsewhere on the machine")


def collisions(folder: Path, files: Iterable[str], pages: dict[str, str], generated: set[str]) -> list[Problem]:
    """Extra files that would replace a page, or clash as file and folder with what the build writes."""
    written = {*pages, *generated}
    folders = {parent for path in written for parent in _parents(path)}
    problems = []
    for name in files:
        where = Pos(str(folder / name))
        if name in pages:
            problems.append(Problem(where, EXTRA_FILE_COLLISION, f"has the path of the page '{name}' "
                                    f"({pages[name]} page): an extra file may replace a generated file that is "
                                    "not a page, never a page; rename or remove it"))
        elif name in folders:
            inside = min(p for p in written if p.startswith(name + "/"))
            problems.append(Problem(where, EXTRA_FILE_COLLISION, f"is a file where the build writes the folder "
                                    f"'{name}/' (for '{inside}'); rename or remove it"))
        else:
            clash = next((p for p in _parents(name) if p in written), None)
            if clash is not None:
                problems.append(Problem(where, EXTRA_FILE_COLLISION, f"needs the folder '{clash}/' where the "
                                        f"build writes the file '{clash}'; rename or remove it"))
    return problems


def _parents(path: str) -> Iterator[str]:
    parts = path.split("/")
    for n in range(1, len(parts)):
        yield "/".join(parts[:n])


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise BuildFailed([Problem(Pos(str(path)), UNREADABLE_FILE, e.strerror or str(e))], 3) from None
