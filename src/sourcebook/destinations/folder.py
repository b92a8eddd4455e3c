"""The folder destination: output files -> the site folder, atomically, never over a folder it did not write.

The new tree is built in a temporary sibling of the output folder and then
swapped in. On Linux the swap is one ``renameat2(RENAME_EXCHANGE)`` call, so
there is no moment without a site; elsewhere it is two renames. Any failure
before the swap (a full disk, a read-only folder, a kill) leaves the previous
site exactly as it was; a temporary folder left by a killed build is removed
by the next one.

A file whose bytes did not change is hard-linked from the previous tree (or
copied with its timestamps where links are not possible), so it keeps its
modification time, its mode and its owner, and uploads move only what changed.

Modes are what a web server running as another user needs: the new root
takes the previous root's mode where there is one (a ``chmod`` made by hand
survives rebuilds), else ``0777 & ~umask``, as ``mkdir`` would give it; new
files and folders get ``0666 & ~umask`` and ``0777 & ~umask``. (The
temporary root comes from ``tempfile.mkdtemp``, which makes it 0700: served
as it was, a host's server answered 403 for the whole site.)

The build writes a manifest (`MANIFEST`) listing every file it wrote, and
replaces a folder only when that folder is its own output: every file in it
is listed in its manifest. A folder without a manifest that looks like an
earlier sourcebook build (an ``index.html``, a ``static/`` folder, and only
paths this build writes) is replaced once, with a notice, and gets a
manifest. Any other non-empty folder is refused (exit 2), naming the files:
nothing is ever deleted that the tool did not write.
"""
from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..output import Output
from ..problems import WRITE_FAILED, BuildFailed, Code, Pos, Problem

UNSAFE_OUTPUT = Code("unsafe-output", "--out names a folder that holds files sourcebook did not write")
OUTPUT_MIGRATED = Code("output-migrated", "an earlier build without a manifest was replaced and given one (notice)")
CODES = (UNSAFE_OUTPUT, OUTPUT_MIGRATED)
MANIFEST = ".sourcebook-manifest.json"
_TMP_MARK = ".tmp-"
_SHOWN = 8  # stray files named in a refusal


@dataclass(frozen=True)
class WriteStats:
    written: int    # new or changed files
    unchanged: int  # files kept from the previous build
    notices: tuple[Problem, ...] = field(default=())


def write_site(outputs: Iterable[Output], out: Path,
               verify: Callable[[], None] = lambda: None) -> WriteStats:
    """Write outputs as they come into a temporary tree; verify(); swap it in.

    verify runs once every file is written and may raise (BuildFailed) to
    abandon the new tree: the previous site is then left as it was.
    """
    out = out.absolute()
    previous = refuse_unsafe_target(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(out)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}{_TMP_MARK}{os.getpid()}-", dir=out.parent))
        os.chmod(tmp, root_mode(out))
    except OSError as e:
        raise _io_failure(out, e) from None
    try:
        written, unchanged, paths = _fill(tmp, outputs, out)
        notices = _migration(out, previous, paths)
        _write_manifest(tmp, paths, out)
        verify()
        _swap(tmp, out)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _io_failure(out, e) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(tmp, ignore_errors=True)  # after the swap it holds the previous tree
    return WriteStats(written, unchanged, notices)


def root_mode(out: Path) -> int:
    """The mode the site's root gets: the previous root's, else what mkdir gives a folder (0777 & ~umask)."""
    try:
        if out.is_dir() and not out.is_symlink():
            return out.stat().st_mode & 0o7777
    except OSError:
        pass
    return 0o777 & ~current_umask()


def current_umask() -> int:
    """The process's umask: from /proc where Linux shows it, else set and restored (there is no getter)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fill(tmp: Path, outputs: Iterable[Output], previous: Path) -> tuple[int, int, list[str]]:
    written = unchanged = 0
    made: set[Path] = set()
    paths: list[str] = []
    for output in outputs:
        paths.append(output.path)
        dest = tmp / output.path
        if dest.parent not in made:
            dest.parent.mkdir(parents=True, exist_ok=True)
            made.add(dest.parent)
        old = previous / output.path
        if _same_bytes(old, output.data):
            _keep(old, dest)
            unchanged += 1
        else:
            with open(dest, "xb") as f:
                f.write(output.data)
            written += 1
    return written, unchanged, paths


def _write_manifest(tmp: Path, paths: list[str], previous: Path) -> None:
    data = (json.dumps({"generator": "sourcebook", "format": 1, "files": sorted(paths)}, indent=0,
                       ensure_ascii=False) + "\n").encode("utf-8")
    if _same_bytes(previous / MANIFEST, data):
        _keep(previous / MANIFEST, tmp / MANIFEST)
    else:
        with open(tmp / MANIFEST, "xb") as f:
            f.write(data)


def _same_bytes(old: Path, data: bytes) -> bool:
    try:
        if old.is_symlink() or not old.is_file() or old.stat().st_size != len(data):
            return False
        return old.read_bytes() == data
    except OSError:
        return False


def _keep(old: Path, dest: Path) -> None:
    try:
        os.link(old, dest)
    except OSError:
        shutil.copy2(old, dest)


def _swap(tmp: Path, out: Path) -> None:
    if not out.exists():
        os.rename(tmp, out)
        return
    if _exchange(tmp, out):
        return
    backup = out.with_name(f".{out.name}{_TMP_MARK}{os.getpid()}-previous")
    os.rename(out, backup)
    try:
        os.rename(tmp, out)
    except OSError:
        os.rename(backup, out)
        raise
    os.rename(backup, tmp)  # the caller removes tmp, which now holds the previous tree


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2(RENAME_EXCHANGE); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _remove_stale_temporaries(out: Path) -> None:
    """Remove temporary trees of builds that died (their process is gone)."""
    prefix = f".{out.name}{_TMP_MARK}"
    for path in out.parent.glob(f"{prefix}*"):
        pid = path.name[len(prefix):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # an earlier build of this very process cannot still be writing
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class Previous:
    """What is at --out before the build: nothing, an earlier build with a manifest, or one without."""

    files: frozenset[str]
    manifest: bool


def refuse_unsafe_target(out: Path) -> Previous:
    """Refuse (exit 2) to replace a folder holding files sourcebook did not write; nothing is deleted."""
    if not out.exists() and not out.is_symlink():
        return Previous(frozenset(), True)
    if out.is_symlink() or not out.is_dir():
        _refuse(out, "it is not a folder")
    files = frozenset(_files_in(out))
    listed = _manifest_files(out)
    if listed is not None:
        strays = sorted(files - listed - {MANIFEST})
        if strays:
            _refuse(out, f"it holds {_count(strays)} that no earlier build wrote: {_named(strays)}; "
                    "move them elsewhere (files a host needs, such as CNAME, belong in the extra-files folder)")
        return Previous(files, True)
    if files and not ("index.html" in files and (out / "static").is_dir()):
        _refuse(out, f"it is not empty and was not written by sourcebook (no {MANIFEST}): it holds "
                f"{_named(sorted(files))}")
    return Previous(files, not files)


def _migration(out: Path, previous: Previous, paths: list[str]) -> tuple[Problem, ...]:
    """An earlier build without a manifest: replaced once, with a notice, if it holds only what we write."""
    if previous.manifest:
        return ()
    strays = sorted(previous.files - set(paths))
    if strays:
        _refuse(out, f"it has no {MANIFEST} and holds {_count(strays)} this build does not write: "
                f"{_named(strays)}; move them elsewhere")
    return (Problem(Pos(str(out)), OUTPUT_MIGRATED, f"replaced an earlier build that had no {MANIFEST}; "
                    "it has one now, and later builds replace only what it lists", "notice"),)


def _files_in(out: Path) -> list[str]:
    found = []
    for root, dirs, names in os.walk(out):
        rel = Path(root).relative_to(out)
        found += [(rel / n).as_posix() for n in names]
        found += [(rel / d).as_posix() for d in dirs if os.path.islink(os.path.join(root, d))]
    return found


def _manifest_files(out: Path) -> frozenset[str] | None:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        if data.get("generator") == "sourcebook" and isinstance(data.get("files"), list):
            return frozenset(str(p) for p in data["files"])
    except (OSError, ValueError, AttributeError):
        pass
    return None


def _count(paths: list[str]) -> str:
    return f"{len(paths)} file{'s' if len(paths) != 1 else ''}"


def _named(paths: list[str]) -> str:
    shown = ", ".join(paths[:_SHOWN])
    return shown + (f" and {len(paths) - _SHOWN} more" if len(paths) > _SHOWN else "")


def _refuse(out: Path, reason: str) -> None:
    raise BuildFailed([Problem(Pos(str(out)), UNSAFE_OUTPUT,
                               f"will not replace '{out}': {reason}; choose another --out")], 2)


def _io_failure(out: Path, e: OSError) -> BuildFailed:
    where = e.filename or str(out)
    return BuildFailed([Problem(Pos(str(where)), WRITE_FAILED,
                                f"could not write the site: {e.strerror or e}; the previous site is unchanged")], 3)
