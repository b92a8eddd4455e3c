"""Stage 5, write: output files -> the site folder, atomically.

The new tree is built in a temporary sibling of the output folder and then
swapped in. On Linux the swap is one ``renameat2(RENAME_EXCHANGE)`` call, so
there is no moment without a site; elsewhere it is two renames. Any failure
before the swap (a full disk, a read-only folder, a kill) leaves the previous
site exactly as it was; a temporary folder left by a killed build is removed
by the next one.

A file whose bytes did not change is hard-linked from the previous tree (or
copied with its timestamps where links are not possible), so it keeps its
modification time and uploads move only what changed.
"""
from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .problems import BuildFailed, Pos, Problem
from .render import Output

_TMP_MARK = ".tmp-"


@dataclass(frozen=True)
class WriteStats:
    written: int    # new or changed files
    unchanged: int  # files kept from the previous build


def write_site(outputs: Iterable[Output], out: Path,
               verify: Callable[[], None] = lambda: None) -> WriteStats:
    """Write outputs as they come into a temporary tree; verify(); swap it in.

    verify runs once every file is written and may raise (BuildFailed) to
    abandon the new tree: the previous site is then left as it was.
    """
    out = out.absolute()
    _refuse_unsafe_target(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(out)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}{_TMP_MARK}{os.getpid()}-", dir=out.parent))
    except OSError as e:
        raise _io_failure(out, e) from None
    try:
        stats = _fill(tmp, outputs, out)
        verify()
        _swap(tmp, out)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _io_failure(out, e) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(tmp, ignore_errors=True)  # after the swap it holds the previous tree
    return stats


def _fill(tmp: Path, outputs: Iterable[Output], previous: Path) -> WriteStats:
    written = unchanged = 0
    made: set[Path] = set()
    for output in outputs:
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
    return WriteStats(written, unchanged)


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


def _refuse_unsafe_target(out: Path) -> None:
    """Never replace a folder that is not a previous build: it would be deleted."""
    if not out.exists():
        return
    reason = ""
    if not out.is_dir() or out.is_symlink():
        reason = "it is not a folder"
    elif any((out / marker).exists() for marker in (".git", "pyproject.toml", "sources.yaml")):
        reason = "it holds a project, not a built site"
    elif any(out.iterdir()) and not (out / "index.html").is_file():
        reason = "it is not empty and holds no index.html from an earlier build"
    if reason:
        raise BuildFailed([Problem(Pos(str(out)), "unsafe-output",
                                   f"will not replace '{out}': {reason}; choose another --out")], 2)


def _io_failure(out: Path, e: OSError) -> BuildFailed:
    where = e.filename or str(out)
    return BuildFailed([Problem(Pos(str(where)), "write-failed",
                                f"could not write the site: {e.strerror or e}; the previous site is unchanged")], 3)
