"""Faults while writing: a killed build, a full disk, a read-only folder, a failing template.

In every case the previous site stays byte-for-byte what it was (same
bytes, same modification times, no stray files), the failure is reported as
a problem line with the right exit status, and the next normal build
succeeds and cleans up whatever the failed one left behind.

The kill cases run the build in a child process that SIGKILLs itself at a
chosen point of sourcebook.write (half-way through writing a file, just
before the swap, just after it). The disk cases make one write fail with
ENOSPC or EROFS in-process, since tests run as root in CI, where chmod does
not stop writes; where a tmpfs can be mounted (root with CAP_SYS_ADMIN) the
same cases also run against a real full or read-only file system.
"""
from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import BETA, ROOT, minimal_files, write_corpus
from safety import unsafe_output
from sourcebook import pipeline
from sourcebook.destinations import folder as write

TMP_MARK = ".tmp-"  # write.py's marker for a build's temporary sibling folder


# --- helpers --------------------------------------------------------------------------

Snapshot = dict[str, tuple[bytes, int] | None]  # relative path -> (bytes, mtime_ns), None for a folder


def snapshot(folder: Path) -> Snapshot:
    """Every file and folder under `folder`, with each file's bytes and modification time."""
    found: Snapshot = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        found[rel] = None if path.is_dir() else (path.read_bytes(), path.stat().st_mtime_ns)
    return found


def contents(folder: Path) -> dict[str, bytes]:
    return {rel: data[0] for rel, data in snapshot(folder).items() if data is not None}


def temporaries(out: Path) -> list[str]:
    """Temporary siblings a build of `out` made (and a failed one may leave)."""
    return sorted(p.name for p in out.parent.glob(f".{out.name}{TMP_MARK}*"))


def changed_corpus(folder: Path) -> None:
    """Edit one dossier and add another, so a build both rewrites and keeps files."""
    write_corpus(folder, {"beta.yaml": BETA.replace("Founded in 2001.", "Founded in 2001 (edited)."),
                          "gamma.yaml": BETA.replace("id: beta", "id: gamma").replace("name: Beta", "name: Gamma")})


def reference_site(folder: Path, tmp_path: Path) -> dict[str, bytes]:
    """What a clean build of `folder` writes, built somewhere else."""
    out = Path(tempfile.mkdtemp(dir=tmp_path)) / "site"
    pipeline.build(pipeline.Options(dossiers=folder, out=out, config=tmp_path / "settings.toml"))
    return contents(out)


@pytest.fixture
def good_site(tmp_path) -> tuple[Path, Path, Snapshot]:
    """(dossiers folder, built site, its snapshot) from a successful first build."""
    folder = write_corpus(tmp_path / "dossiers", minimal_files())
    (tmp_path / "settings.toml").write_text("")
    out = tmp_path / "site"
    pipeline.build(pipeline.Options(dossiers=folder, out=out, config=tmp_path / "settings.toml"))
    assert unsafe_output(out) == []
    return folder, out, snapshot(out)


def build_args(folder: Path, out: Path, *extra: object) -> list[str]:
    return ["build", "--dossiers", str(folder), "--out", str(out),
            "--config", str(folder.parent / "settings.toml"), *map(str, extra)]


def assert_next_build_recovers(run_cli, folder: Path, out: Path, tmp_path: Path) -> None:
    """The next normal build succeeds, removes stale temporaries and writes the right site."""
    run = run_cli(*build_args(folder, out))
    assert run.code == 0, run.err
    assert temporaries(out) == [], "a stale temporary folder survived the next build"
    assert contents(out) == reference_site(folder, tmp_path)
    assert unsafe_output(out) == []


# --- a build killed with SIGKILL ------------------------------------------------------------

# Runs `sourcebook build` with sourcebook.write instrumented to SIGKILL the process:
#   fill N         after N files, half-way through writing the next one
#   before-swap    once the new tree is complete, before it replaces the site
#   after-swap     once it has replaced the site, before the old tree is removed
#   mid-swap       after the first rename or removal inside the swap (after the swap when it
#                  is one renameat2 call, as on Linux, where no rename or removal happens)
#   mid-swap-fallback   the same, with renameat2 unavailable (the two-rename fallback)
#   naive N        a naive writer (delete the site, write in place), killed after N files
KILLER = r"""
import os, shutil, signal, sys
from pathlib import Path
from sourcebook import cli, pipeline
from sourcebook.destinations import folder as write

point, after, argv = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
files = 0
real_open, real_keep, real_swap = open, write._keep, write._swap

def die():
    os.kill(os.getpid(), signal.SIGKILL)

class HalfThenDie:
    def __init__(self, f): self.f = f
    def __enter__(self): return self
    def __exit__(self, *exc): self.f.close()
    def write(self, data):
        self.f.write(data[: len(data) // 2]); self.f.flush(); os.fsync(self.f.fileno()); die()

def counted():
    global files
    files += 1
    return point in ("fill", "naive") and files > after

def killing_open(file, mode="r", *args, **kwargs):
    f = real_open(file, mode, *args, **kwargs)
    return HalfThenDie(f) if ("w" in mode or "x" in mode) and counted() else f

def killing_keep(old, dest):
    if counted():
        die()
    real_keep(old, dest)

in_swap = False

def die_after(operation):
    def wrapped(*args, **kwargs):
        result = operation(*args, **kwargs)
        if in_swap:
            die()
        return result
    return wrapped

def killing_swap(tmp, out):
    global in_swap
    if point == "before-swap":
        die()
    in_swap = point.startswith("mid-swap")
    real_swap(tmp, out)
    in_swap = False
    if point in ("after-swap", "mid-swap", "mid-swap-fallback"):
        die()

if point.startswith("mid-swap"):
    os.rename, os.replace, shutil.rmtree = die_after(os.rename), die_after(os.replace), die_after(shutil.rmtree)
if point == "mid-swap-fallback":
    write._exchange = lambda a, b: False

def naive_write_site(outputs, out, verify=lambda: None):
    shutil.rmtree(out, ignore_errors=True)
    for output in outputs:
        dest = Path(out) / output.path
        dest.parent.mkdir(parents=True, exist_ok=True)
        with killing_open(dest, "wb") as f:
            f.write(output.data)
    verify()

write.open, write._keep, write._swap = killing_open, killing_keep, killing_swap
if point == "naive":
    import sourcebook.destinations as destinations
    from sourcebook.destinations.destination import Destination
    destinations.DESTINATIONS = (Destination("folder", naive_write_site),)
sys.exit(cli.main(argv))
"""


def kill_build(folder: Path, out: Path, point: str, after: int = 0) -> None:
    p = subprocess.run([sys.executable, "-c", KILLER, point, str(after), *build_args(folder, out)],
                       capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert p.returncode == -signal.SIGKILL, f"the build was not killed (exit {p.returncode}):\n{p.stderr}"


@pytest.mark.parametrize("point, after", [("fill", 0), ("fill", 4), ("before-swap", 0)])
def test_a_build_killed_before_the_swap_leaves_the_old_site(good_site, tmp_path, run_cli, point, after):
    folder, out, before = good_site
    changed_corpus(folder)
    kill_build(folder, out, point, after)
    assert snapshot(out) == before, "the previous site changed"
    assert len(temporaries(out)) == 1, "the killed build left no partial tree: was it killed mid-write?"
    assert_next_build_recovers(run_cli, folder, out, tmp_path)


def test_a_build_killed_after_the_swap_leaves_the_new_site(good_site, tmp_path, run_cli):
    folder, out, before = good_site
    changed_corpus(folder)
    kill_build(folder, out, "after-swap")
    assert contents(out) == reference_site(folder, tmp_path), "the site is neither the old nor the new one"
    assert len(temporaries(out)) == 1  # the previous tree, swapped out and not yet removed
    assert_next_build_recovers(run_cli, folder, out, tmp_path)


def test_a_build_killed_during_the_swap_leaves_a_whole_site(good_site, tmp_path, run_cli):
    """Never half old, half new, never missing: on Linux the swap is one renameat2 call."""
    folder, out, before = good_site
    old = contents(out)
    changed_corpus(folder)
    kill_build(folder, out, "mid-swap")
    assert out.is_dir(), "no site at --out after a kill during the swap"
    assert contents(out) in (old, reference_site(folder, tmp_path))
    assert_next_build_recovers(run_cli, folder, out, tmp_path)


def test_without_renameat2_a_kill_mid_swap_leaves_no_site_until_the_next_build(good_site, tmp_path, run_cli):
    """The documented limit of the two-rename fallback (systems without renameat2).

    Between its two renames there is no folder at --out; the previous site is
    then the sibling .site.tmp-<pid>-previous, and the next build writes a
    whole new site. The test above fails on this path: it catches a swap that
    is not atomic.
    """
    folder, out, before = good_site
    old = contents(out)
    changed_corpus(folder)
    kill_build(folder, out, "mid-swap-fallback")
    assert not out.exists()
    previous = [name for name in temporaries(out) if name.endswith("-previous")]
    assert len(previous) == 1 and contents(out.parent / previous[0]) == old
    assert_next_build_recovers(run_cli, folder, out, tmp_path)


def test_unchanged_files_keep_their_modification_time(good_site, run_cli):
    folder, out, before = good_site
    changed_corpus(folder)
    assert run_cli(*build_args(folder, out)).code == 0
    after = snapshot(out)
    assert after["companies/alpha/index.html"] == before["companies/alpha/index.html"]
    assert after["companies/beta/index.html"] != before["companies/beta/index.html"]


def test_the_kill_check_catches_a_naive_in_place_writer(good_site):
    """Delete-then-write loses the site when killed: the same check as above fails on it."""
    folder, out, before = good_site
    changed_corpus(folder)
    kill_build(folder, out, "naive", 4)
    assert snapshot(out) != before


# --- a full disk and a read-only folder, simulated ------------------------------------------------

def failing_open_after(count: int, error: OSError):
    """An `open` for sourcebook.write whose (count+1)-th file accepts no bytes."""
    opened = 0

    class Full:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def write(self, data):
            raise error

    def fake_open(file, mode="r", *args, **kwargs):
        nonlocal opened
        f = open(file, mode, *args, **kwargs)
        if "w" in mode or "x" in mode:
            opened += 1
            if opened > count:
                return Full(f)
        return f

    return fake_open


@pytest.mark.parametrize("count", [0, 3])
def test_a_full_disk_leaves_the_old_site_and_no_temporary(good_site, tmp_path, run_cli, monkeypatch, count):
    folder, out, before = good_site
    changed_corpus(folder)
    error = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out.parent / "x"))
    monkeypatch.setattr(write, "open", failing_open_after(count, error), raising=False)
    run = run_cli(*build_args(folder, out))
    assert run.code == 3, run.err
    assert "error[write-failed]" in run.err and "No space left on device" in run.err, run.err
    assert "previous site is unchanged" in run.err
    assert snapshot(out) == before
    assert temporaries(out) == []
    monkeypatch.undo()
    assert_next_build_recovers(run_cli, folder, out, tmp_path)


def test_a_full_disk_while_keeping_unchanged_files(good_site, tmp_path, run_cli, monkeypatch):
    folder, out, before = good_site
    changed_corpus(folder)

    def no_space(old, dest):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dest))

    monkeypatch.setattr(write, "_keep", no_space)
    run = run_cli(*build_args(folder, out))
    assert run.code == 3 and "error[write-failed]" in run.err, run.err
    assert snapshot(out) == before
    assert temporaries(out) == []
    monkeypatch.undo()
    assert_next_build_recovers(run_cli, folder, out, tmp_path)


def test_a_read_only_output_folder_leaves_the_old_site(good_site, tmp_path, run_cli, monkeypatch):
    """Simulated with EROFS from the temporary folder's creation: chmod does not stop root."""
    folder, out, before = good_site
    changed_corpus(folder)
    real_mkdtemp = tempfile.mkdtemp

    def read_only(*args, **kwargs):
        if Path(kwargs.get("dir") or ".").resolve() == out.parent.resolve():
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(out.parent))
        return real_mkdtemp(*args, **kwargs)

    monkeypatch.setattr(write.tempfile, "mkdtemp", read_only)
    run = run_cli(*build_args(folder, out))
    assert run.code == 3, run.err
    assert "error[write-failed]" in run.err and "Read-only file system" in run.err, run.err
    assert snapshot(out) == before
    monkeypatch.undo()
    assert_next_build_recovers(run_cli, folder, out, tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through chmod 0o555; the EROFS test covers root")
def test_a_folder_without_write_permission_leaves_the_old_site(good_site, tmp_path, run_cli):
    folder, out, before = good_site
    changed_corpus(folder)
    out.parent.chmod(0o555)
    try:
        run = run_cli(*build_args(folder, out))
    finally:
        out.parent.chmod(0o755)
    assert run.code == 3 and "error[write-failed]" in run.err, run.err
    assert snapshot(out) == before
    assert_next_build_recovers(run_cli, folder, out, tmp_path)


def test_an_interrupt_while_writing_leaves_the_old_site(good_site, tmp_path, run_cli, monkeypatch):
    folder, out, before = good_site
    changed_corpus(folder)

    def interrupted(file, mode="r", *args, **kwargs):
        if "x" in mode or "w" in mode:
            raise KeyboardInterrupt
        return open(file, mode, *args, **kwargs)

    monkeypatch.setattr(write, "open", interrupted, raising=False)
    run = run_cli(*build_args(folder, out))
    assert run.code == 130 and "previous site is unchanged" in run.err, run.err
    assert snapshot(out) == before
    assert temporaries(out) == []
    monkeypatch.undo()
    assert_next_build_recovers(run_cli, folder, out, tmp_path)


# --- a real full or read-only file system (tmpfs; root with mount rights only) -------------------------

@pytest.fixture
def small_tmpfs(tmp_path):
    """A 1 MiB tmpfs mounted at tmp_path/fs; skips where mounting is not allowed. (512 KiB held the minimal
    corpus's site twice until the cross-company pages, the data files and the offline zip: about 330 KiB now.)"""
    mount = tmp_path / "fs"
    mount.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True, text=True)
    if p.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {p.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def big_corpus(folder: Path) -> None:
    """Text enough to fill 1 MiB several times over (each claim is shown on its company's, source's and topic's
    pages, and held by the data files and the search index)."""
    claims = "".join(f"  - id: c{i}\n    topic: market\n    text: {'Lorem ipsum dolor sit amet. ' * 150}\n"
                     f"    as_of: 2020\n    sources: [{{id: src-a, locator: p. {i}}}]\n" for i in range(120))
    write_corpus(folder, {"beta.yaml": BETA + claims})


def test_a_really_full_disk_leaves_the_old_site(small_tmpfs, tmp_path, run_cli):
    folder = write_corpus(tmp_path / "dossiers", minimal_files())
    (tmp_path / "settings.toml").write_text("")
    out = small_tmpfs / "site"
    assert run_cli(*build_args(folder, out)).code == 0
    before = snapshot(out)
    big_corpus(folder)
    run = run_cli(*build_args(folder, out))
    assert run.code == 3 and "No space left on device" in run.err, run.err
    assert snapshot(out) == before
    assert temporaries(out) == []
    write_corpus(folder, {"beta.yaml": BETA})
    assert_next_build_recovers(run_cli, folder, out, tmp_path)


def test_a_really_read_only_file_system_leaves_the_old_site(small_tmpfs, tmp_path, run_cli):
    folder = write_corpus(tmp_path / "dossiers", minimal_files())
    (tmp_path / "settings.toml").write_text("")
    out = small_tmpfs / "site"
    assert run_cli(*build_args(folder, out)).code == 0
    before = snapshot(out)
    changed_corpus(folder)
    subprocess.run(["mount", "-o", "remount,ro", str(small_tmpfs)], check=True)
    try:
        run = run_cli(*build_args(folder, out))
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_tmpfs)], check=True)
    assert run.code == 3 and "Read-only file system" in run.err, run.err
    assert snapshot(out) == before
    assert_next_build_recovers(run_cli, folder, out, tmp_path)


# --- failures while rendering, which now streams to disk --------------------------------------------------

LAST_PAGE_FAILS = """\
{% extends "base.html" %}
{% block main %}{% if view.id == "beta" %}{{ no_such_name }}{% endif %}{% endblock %}
"""
BROKEN_LINK = """\
{% extends "base.html" %}
{% block main %}<a href="{{ url(view.references[0].card.page.at('nope')) }}">nope</a>{% endblock %}
"""


@pytest.mark.parametrize("template, code, problem", [
    (LAST_PAGE_FAILS, 1, "company.html:2:1: error[template-error]"),
    ("{% extends 'base.html' %}\n{% block main %}{% for %}{% endblock %}\n", 1, "company.html:2:1: error[template-error]"),
    (BROKEN_LINK, 1, "error[output-integrity]"),
], ids=["undefined name on the last page", "syntax error", "link to an anchor the build does not write"])
def test_a_failing_template_leaves_the_old_site(good_site, tmp_path, run_cli, template, code, problem):
    folder, out, before = good_site
    theme = write_corpus(tmp_path / "theme", {"company.html": template})
    run = run_cli(*build_args(folder, out, "--templates", theme))
    assert run.code == code, run.err
    assert problem in run.err, run.err
    assert "Traceback" not in run.err
    assert snapshot(out) == before
    assert temporaries(out) == []
    assert_next_build_recovers(run_cli, folder, out, tmp_path)


# --- an --out that is not a site is never replaced ---------------------------------------------------------

def state(path: Path) -> object:
    """What a path holds: a symlink's target, a file's bytes or a folder's snapshot."""
    if path.is_symlink():
        return os.readlink(path)
    return path.read_bytes() if path.is_file() else snapshot(path)


@pytest.mark.parametrize("target", ["dossiers", "project", "folder of files", "file", "symlink to a site"])
def test_an_out_that_is_not_a_previous_build_is_never_replaced(good_site, tmp_path, run_cli, target):
    folder, out, before = good_site
    victims = {
        "dossiers": lambda: folder,
        "project": lambda: write_corpus(tmp_path / "project", {"pyproject.toml": "[project]\nname = 'x'\n"}),
        "folder of files": lambda: write_corpus(tmp_path / "photos", {"a.jpg": b"\xff\xd8", "b.jpg": b"\xff"}),
        "file": lambda: write_corpus(tmp_path / "notes", {"todo.txt": "x"}) / "todo.txt",
    }
    if target == "symlink to a site":
        victim = tmp_path / "link"
        victim.symlink_to(out)
    else:
        victim = victims[target]()
    kept = state(victim)
    run = run_cli(*build_args(folder, victim))
    assert run.code == 2 and "error[unsafe-output]" in run.err, run.err
    assert state(victim) == kept
    assert snapshot(out) == before
