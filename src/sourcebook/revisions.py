"""Revisions of a dossiers folder, read from git objects: nothing is checked out.

`GitTree` is a `load.Files` over one folder of one commit, so a revision
goes through the same loader, with the same defences, as a folder on disk:
a blob's size is read from the tree (``git ls-tree -l``) and a blob over the
cap is never read at all (git inflates a whole blob into memory before we
could stop it); symbolic links (mode 120000) and submodules (160000) are
reported as on disk, never followed. Blobs are read through one
``git cat-file --batch`` process per tree.

git runs as a subprocess with an argument list (never a shell), revisions
are passed after ``--end-of-options`` so a revision cannot be read as an
option, and every failure is a `GitError`, which the `diff` command turns
into exit status 2 ("a bad revision or folder").
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from .load import FileKind
from .problems import single_line

SETTINGS_FILE = "pyproject.toml"
_MODES: dict[str, FileKind] = {"100644": "file", "100755": "file", "120000": "symlink"}


class GitError(Exception):
    """git refused: not a repository, a revision that names no commit, a path that is not a folder."""


class Unreadable(Exception):
    """A file at a revision that exists but cannot be read as text (too large, not UTF-8, not a file)."""

    def __init__(self, display: str, reason: str) -> None:
        super().__init__(f"{display}: {reason}")
        self.display = display
        self.reason = reason


def _run(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise GitError(f"could not run git: {e}") from None
    if done.returncode != 0:
        raise GitError(single_line(_reason(done.stderr.decode("utf-8", "replace")) or f"git {args[0]} failed"))
    return done.stdout


def _reason(stderr: str) -> str:
    """git's own reason: its first "fatal:" or "error:" line (advice follows it, such as the safe.directory
    command after "detected dubious ownership"), else its last line."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return next((line for line in lines if line.startswith(("fatal: ", "error: "))), lines[-1] if lines else "")


@dataclass(frozen=True)
class TreeEntry:
    mode: str
    type: str          # "blob", "tree" or "commit" (a submodule)
    oid: str
    size: int | None   # blobs only


@dataclass(frozen=True)
class Repository:
    """A git work tree: where revisions are resolved and trees listed."""

    root: Path

    @classmethod
    def containing(cls, path: Path) -> "Repository":
        """The repository whose work tree holds `path` (which may not exist in the working tree)."""
        here = path.absolute()
        while not here.is_dir() and here != here.parent:
            here = here.parent
        top = _run(here, "rev-parse", "--show-toplevel").decode("utf-8", "surrogateescape").strip()
        return cls(Path(top))

    def relative(self, path: Path) -> str:
        """`path` as a path inside the repository ("" for its top level), with / separators."""
        resolved = Path(os.path.realpath(path))
        root = Path(os.path.realpath(self.root))
        try:
            inside = resolved.relative_to(root)
        except ValueError:
            raise GitError(f"{path} is not inside the git repository {self.root}") from None
        return "" if str(inside) == "." else inside.as_posix()

    def commit(self, revision: str) -> str:
        """The full commit id a revision names."""
        found = _run(self.root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
        return found.decode("ascii").strip()

    def has_commits(self) -> bool:
        try:
            self.commit("HEAD")
        except GitError:
            return False
        return True

    def tree(self, commit: str, folder: str) -> dict[str, TreeEntry]:
        """The entries of `folder` at `commit`, by name; GitError when it is not a folder there."""
        spec = f"{commit}:{folder}" if folder else f"{commit}^{{tree}}"
        try:
            oid = _run(self.root, "rev-parse", "--verify", "--quiet", "--end-of-options", spec).decode().strip()
            kind = _run(self.root, "cat-file", "-t", oid).decode().strip()
        except GitError:
            kind = ""
        if kind != "tree":
            raise GitError(f"'{single_line(folder or '.')}' is not a folder at commit {commit}")
        listing = _run(self.root, "ls-tree", "-z", "-l", "--end-of-options", oid)
        entries: dict[str, TreeEntry] = {}
        for record in listing.split(b"\0"):
            if not record:
                continue
            meta, _, raw_name = record.partition(b"\t")
            mode, kind, oid, size = meta.decode("ascii").split()
            # A name git stores may be any bytes: undecodable ones stay visible (and invalid as ids).
            name = raw_name.decode("utf-8", "backslashreplace")
            entries[name] = TreeEntry(mode, kind, oid, int(size) if size != "-" else None)
        return entries


class GitTree:
    """One folder of one commit, as `load.Files`: what `load.load_folder` reads for `diff`."""

    def __init__(self, repository: Repository, commit: str, folder: str, label: str) -> None:
        self.repository = repository
        self.commit = commit
        self.folder = folder
        self.label = label            # how displays name the revision: "main", "HEAD", a commit id
        self.entries = repository.tree(commit, folder)
        self._batch: subprocess.Popen[bytes] | None = None

    def display(self, name: str) -> str:
        """git's own notation for a file at a revision: ``main:dossiers/alpha.yaml``."""
        path = f"{self.folder}/{name}" if self.folder else name
        return f"{self.label}:{path}"

    def names(self) -> list[str]:
        return sorted(self.entries)

    def kind(self, name: str) -> FileKind:
        entry = self.entries[name]
        return _MODES.get(entry.mode, "other") if entry.type == "blob" else "other"

    def read(self, name: str, limit: int) -> bytes:
        entry = self.entries[name]
        if entry.type != "blob":
            raise OSError(f"is not a regular file at {self.label}")
        if entry.size is not None and entry.size > limit:
            # The protocol's answer for "over the limit" is limit + 1 bytes; the blob itself is never read.
            return bytes(limit + 1)
        return self._blob(entry.oid)

    def text(self, name: str, limit: int) -> str | None:
        """A small regular file's text at this revision (the settings file), or None if it is absent."""
        if name not in self.entries or self.kind(name) != "file":
            return None
        data = self.read(name, limit)
        if len(data) > limit:
            raise OSError(f"is larger than {limit} bytes")
        return data.decode("utf-8")

    def _blob(self, oid: str) -> bytes:
        if self._batch is None:
            self._batch = subprocess.Popen(["git", "-C", str(self.repository.root), "cat-file", "--batch"],
                                           stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                           stderr=subprocess.DEVNULL)
        return read_blob(self._batch, oid)

    def close(self) -> None:
        if self._batch is not None:
            assert self._batch.stdin is not None and self._batch.stdout is not None
            self._batch.stdin.close()
            self._batch.stdout.close()
            self._batch.wait(timeout=60)
            self._batch = None

    def __enter__(self) -> "GitTree":
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def settings_at(repository: Repository, commit: str, folder: str, label: str, limit: int
                ) -> tuple[str, str] | None:
    """(display, text) of the nearest pyproject.toml at or above `folder` at `commit`, inside the
    repository (a revision is read as it was committed: nothing above the repository counts); None: none."""
    parts = folder.split("/") if folder else []
    for depth in range(len(parts), -1, -1):
        here = "/".join(parts[:depth])
        with GitTree(repository, commit, here, label) as tree:
            if SETTINGS_FILE in tree.entries:
                if tree.kind(SETTINGS_FILE) != "file":
                    raise Unreadable(tree.display(SETTINGS_FILE), "is not a regular file (a symbolic link is "
                                     "not followed at a revision)")
                try:
                    text = tree.text(SETTINGS_FILE, limit)
                except (OSError, UnicodeDecodeError) as e:
                    raise Unreadable(tree.display(SETTINGS_FILE), str(e)) from None
                if text is not None:
                    return tree.display(SETTINGS_FILE), text
    return None


def file_at(repository: Repository, commit: str, path: str, label: str, limit: int) -> tuple[str, str] | None:
    """(display, text) of one file at a commit (a --config file inside the repository); None if absent."""
    folder, _, name = path.rpartition("/")
    try:
        tree = GitTree(repository, commit, folder, label)
    except GitError:
        return None
    with tree:
        try:
            text = tree.text(name, limit)
        except (OSError, UnicodeDecodeError) as e:
            raise Unreadable(tree.display(name), str(e)) from None
        return None if text is None else (tree.display(name), text)


# --- history: the commits that touched a folder, and their blobs ------------------------------

# The log is read with explicit options and these overrides, so no configuration of the machine's
# (log.follow, signatures, relative diffs) changes what a build reads: the same commit, the same bytes; the
# folder is a literal path, never a pattern (a folder named "*" or ":(glob)x").
_LOG_CONFIG = ("--literal-pathspecs", "-c", "log.follow=false", "-c", "log.showSignature=false",
               "-c", "diff.relative=false", "-c", "core.quotePath=false")
_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class RawChange:
    """One file a commit changed, against its first parent: where, and what it is now."""

    path: str          # inside the repository, / separators
    mode: str          # its mode now; "000000": deleted
    oid: str           # its blob now; all zeros: deleted

    @property
    def deleted(self) -> bool:
        return self.mode == "000000"


@dataclass(frozen=True)
class LogCommit:
    id: str
    parents: tuple[str, ...]
    date: str                       # committer date, as git writes it (ISO 8601 with the committer's offset)
    message: bytes                  # as stored (git re-encodes it to UTF-8)
    changes: tuple[RawChange, ...]  # under the folder, against the first parent (a root: every file)


def find_checkout(path: Path) -> Path | None:
    """The nearest folder at or above `path` holding `.git` (a folder, or the file of a worktree or
    submodule): what git would find, without running git. None: not a git checkout."""
    here = path.absolute()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return None


def is_shallow(repository: Repository) -> frozenset[str]:
    """The commits a shallow clone stops at (their parents are missing); empty for a full clone."""
    out = _run(repository.root, "rev-parse", "--is-shallow-repository", "--git-path", "shallow")
    flag, _, where = out.decode("utf-8", "surrogateescape").partition("\n")
    if flag.strip() != "true":
        return frozenset()
    path = Path(where.strip())
    path = path if path.is_absolute() else repository.root / path
    try:
        return frozenset(line.strip() for line in path.read_text(encoding="ascii").splitlines() if line.strip())
    except (OSError, UnicodeDecodeError) as e:
        raise GitError(f"could not read the shallow file {path}: {e}") from None


def first_parent_log(repository: Repository, folder: str) -> list[LogCommit]:
    """The commits reachable from HEAD along first parents whose tree differs from their first parent's
    under `folder` (``git log --first-parent -- folder``), oldest first, each with the files it changed."""
    out = _run(repository.root, *_LOG_CONFIG, "log", "--first-parent", "--diff-merges=first-parent",
               "--no-renames", "--root", "--raw", "--no-abbrev", "--no-color", "--encoding=UTF-8", "-z",
               "--format=%H%x00%P%x00%cI%x00%B", "HEAD", "--", folder or ".")
    tokens = out.split(b"\0")
    commits: list[LogCommit] = []
    i = 0
    while i < len(tokens):
        token = tokens[i].strip(b"\n")
        if not token:
            i += 1
            continue
        if i + 3 >= len(tokens) or not _is_oid(token):
            raise GitError("could not read git log's output")
        oid, parents, date, message = token.decode(), tokens[i + 1].decode().split(), tokens[i + 2].decode(), \
            tokens[i + 3]
        i += 4
        changes = []
        while i + 1 < len(tokens) and tokens[i].lstrip(b"\n").startswith(b":"):
            meta = tokens[i].lstrip(b"\n")[1:].decode("ascii").split()
            path = tokens[i + 1].decode("utf-8", "backslashreplace")
            changes.append(RawChange(path, meta[1], meta[3]))
            i += 2
        commits.append(LogCommit(oid, tuple(parents), date, message, tuple(changes)))
    commits.reverse()
    return commits


def _is_oid(token: bytes) -> bool:
    return len(token) in (40, 64) and all(c in _HEX for c in token.decode("ascii", "replace"))


class Blobs:
    """Objects read through two long-lived ``git cat-file`` processes: ``--batch-check`` for what an
    object (or a ``commit:path``) is and how large, before ``--batch`` reads one; a blob over the
    cap is never read, because git inflates a whole blob into memory."""

    def __init__(self, repository: Repository) -> None:
        self.root = repository.root
        self._check: subprocess.Popen[bytes] | None = None
        self._batch: subprocess.Popen[bytes] | None = None

    def _process(self, option: str) -> subprocess.Popen[bytes]:
        try:
            return subprocess.Popen(["git", "-C", str(self.root), "cat-file", option], stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError as e:
            raise GitError(f"could not run git: {e}") from None

    def info(self, spec: str) -> tuple[str, str, int] | None:
        """(oid, type, size) of an object id or ``commit:path``; None when it does not exist."""
        if self._check is None:
            self._check = self._process("--batch-check")
        assert self._check.stdin is not None and self._check.stdout is not None
        if "\n" in spec:
            return None
        self._check.stdin.write(spec.encode("utf-8", "surrogateescape") + b"\n")
        self._check.stdin.flush()
        line = self._check.stdout.readline().split()
        if len(line) != 3:
            if not line:
                raise GitError("git cat-file stopped")
            return None
        return line[0].decode("ascii"), line[1].decode("ascii"), int(line[2])

    def read(self, oid: str, limit: int) -> bytes:
        """A blob's bytes; limit + 1 bytes (never read) when it is larger than `limit`."""
        found = self.info(oid)
        if found is None or found[1] != "blob":
            raise OSError(f"git has no blob {oid}")
        if found[2] > limit:
            return bytes(limit + 1)
        if self._batch is None:
            self._batch = self._process("--batch")
        return read_blob(self._batch, oid)

    def close(self) -> None:
        for process in (self._check, self._batch):
            if process is not None:
                assert process.stdin is not None and process.stdout is not None
                process.stdin.close()
                process.stdout.close()
                process.wait(timeout=60)
        self._check = self._batch = None

    def __enter__(self) -> "Blobs":
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def read_blob(batch: subprocess.Popen[bytes], oid: str) -> bytes:
    """One blob from a running `git cat-file --batch`: ask for it, read its header, then its content and the
    newline that closes it."""
    assert batch.stdin is not None and batch.stdout is not None
    batch.stdin.write(oid.encode("ascii") + b"\n")
    batch.stdin.flush()
    header = batch.stdout.readline().split()
    if len(header) != 3 or header[1] != b"blob":
        raise OSError(f"git could not read object {oid}")
    return batch.stdout.read(int(header[2]) + 1)[:-1]
