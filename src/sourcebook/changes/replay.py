"""One pass over the history of the dossiers folder, cached: `read_history(request) -> (History, problems)`.

The commits (`revisions.first_parent_log`: one ``git log``, with the files
each commit changed) are replayed oldest first. At each, only the files it
changed are read, from git objects through `revisions.Blobs` (the loader's
defences: the size cap before a blob is read, no symbolic links, no
submodules), each with today's readers and the settings file the build uses
as it was at that commit. A file that does not read under today's format is
skipped there (a notice), and a change seen across it carries no date. What
changed is compared as digests of parsed values (`history.digest`), so the
result can be cached: by the last commit of the history, the generator (the
package's version and the digest of its source), the dossiers folder, the
settings file and the number of commits listed. The cache is a JSON file in
``.sourcebook-cache/`` beside the settings file; deleting it changes no
output, and a cache that does not read is ignored.

Then the working tree, which is what the build shows, is compared with the
last commit, value by value: what differs is *uncommitted* and has no date.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType, NoneType, UnionType
from typing import Any

from ..indexes import contributions
from ..limits import Limits
from ..load import ABOUT, BIBLIOGRAPHY, PARTIES, LoadedFolder, decode, parse, _BAD_CHAR, _capped
from ..ids import path_id_problem
from ..model import Corpus, Dossier, Party, Source
from ..problems import BuildFailed, Code, Pos, Problem, Report, shown
from ..reads import Inputs, Key, key, value_of
from ..revisions import (Blobs, GitError, LogCommit, Repository, find_checkout, first_parent_log, is_shallow)
from ..settings import Settings
from ..validate import DOSSIER_KINDS, DossierReader, Locator, read_about, read_bibliography, read_dossier, read_parties
from .compare import Side, compare
from .history import (NO_HISTORY, Change, Commit, Dates, DossierHistory, History, anchors_of, digest, fingerprint,
                      group)

HISTORY_UNAVAILABLE = Code("history-unavailable", "the dossiers folder is in a git checkout, but git failed "
                           "(absent, or refusing the repository), so the site is built without history (warning)")
HISTORY_SHALLOW = Code("history-shallow", "the checkout is a shallow clone: dates before its first commit are left "
                       "out (warning)")
HISTORY_UNREADABLE = Code("history-unreadable", "a file does not read under today's format at some commits of the "
                          "history: it is skipped there, and what changed across them carries no date (notice)")
MESSAGE_REFUSED = Code("commit-message-refused", "a commit message holds a control or bidirectional character (or "
                       "is not UTF-8), so the changes pages show a placeholder instead (notice)")
CODES = (HISTORY_UNAVAILABLE, HISTORY_SHALLOW, HISTORY_UNREADABLE, MESSAGE_REFUSED)

CACHE_FOLDER = ".sourcebook-cache"
CACHE_FORMAT = 1
CACHES_KEPT = 4            # cache files kept per set of parameters (branches built in turn)
UNKNOWN = -1               # a commit index where history cannot say


@dataclass(frozen=True)
class Request:
    """What the history step needs from the build."""

    dossiers: Path
    out: Path
    settings: Settings                                  # the build's, read from the working tree
    settings_file: Path | None                          # the file they came from (None: built-in defaults)
    read_settings: Callable[[str, str], Settings]       # a settings file's text (and its display) -> settings
    window: int                                         # how many commits the changes pages list
    working: Inputs                                     # the build's corpus and tables


# --- the replayed state -------------------------------------------------------------------------

@dataclass
class State:
    """What the pass knows after a commit, as digests and commit indices (what the cache holds)."""

    commits: list[str] = field(default_factory=list)       # processed, oldest first
    first_known: int = 0                                   # 1 when commit 0 is a shallow boundary
    entries: dict[str, dict[str, list]] = field(default_factory=dict)   # dossier -> "group/id" -> [digest, added, changed]
    keys: dict[str, list] = field(default_factory=dict)    # "kind\0name" -> [digest, changed]
    touched: list[list[str]] = field(default_factory=list)  # per commit: the dossiers whose value changed
    reports: dict[str, Any] = field(default_factory=dict)   # commit id -> its Change (commit left out), as data
    unreadable: dict[str, list] = field(default_factory=dict)  # repository path -> [indices, first problem]

    def as_data(self) -> dict[str, Any]:
        return {"commits": self.commits, "first_known": self.first_known, "entries": self.entries,
                "keys": self.keys, "touched": self.touched, "reports": self.reports, "unreadable": self.unreadable}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "State":
        return cls(list(data["commits"]), int(data["first_known"]), dict(data["entries"]), dict(data["keys"]),
                   list(data["touched"]), dict(data["reports"]), dict(data["unreadable"]))


def _k(k: Key) -> str:
    return f"{k[0]}\0{k[1]}"


def _unk(s: str) -> Key:
    kind, _, name = s.partition("\0")
    return key(kind, name)


Parsed = Any  # a Dossier, a tuple of Sources or Parties, about.md's text (None), or a Problem: it does not read


class Replay:
    """The pass: commit after commit, the files each changed are read and compared as digests."""

    def __init__(self, blobs: Blobs, folder: str, settings_path: str | None, fixed: Settings,
                 read_settings: Callable[[str, str], Settings], listed_from: int) -> None:
        self.blobs = blobs
        self.prefix = f"{folder}/" if folder else ""
        self.settings_path = settings_path
        self.settings = fixed
        self.settings_oid: str | None = None
        self.read_settings = read_settings
        self.listed_from = listed_from
        self.state = State()
        self.files: dict[str, tuple[str, str]] = {}      # name -> (mode, oid) in the folder now
        self.parsed: dict[str, Parsed] = {}               # name -> its last readable value
        self.gap: set[str] = set()                        # names whose current revision does not wholly read
        self.blind: set[str] = set()                      # ... of which nothing (not even an entry) reads
        self.entry_gap: dict[str, frozenset[str]] = {}    # dossier -> its entries that did not read last time
        self.contrib: dict[str, tuple[dict, dict]] = {}   # dossier -> its part of mentions and citing
        self._read_cache: dict[tuple[str, str, str | None], Parsed] = {}

    # --- one commit -----------------------------------------------------------------------

    def run(self, log: list[LogCommit], boundary: frozenset[str]) -> State:
        if log and log[0].id in boundary:
            self.state.first_known = 1
        for index, commit in enumerate(log):
            self.step(index, commit)
        return self.state

    def step(self, k: int, commit: LogCommit) -> None:
        self.state.commits.append(commit.id)
        changed = {c.path[len(self.prefix):]: c for c in commit.changes
                   if c.path.startswith(self.prefix) and "/" not in c.path[len(self.prefix):]}
        if self._settings_at(commit.id):
            changed.update({name: None for name in self.files})  # vocabularies changed: read every file again
        for name, change in changed.items():
            if change is not None:
                if change.deleted:
                    self.files.pop(name, None)
                else:
                    self.files[name] = (change.mode, change.oid)
        known = k >= self.state.first_known   # at a shallow boundary nothing is known to have changed
        before = {name: self.parsed.get(name) for name in changed}
        gap_before = {name for name in changed if name in self.gap}
        blind_before = {name for name in changed if name in self.blind}
        now: dict[str, Parsed] = {}
        partial: dict[str, Partial] = {}
        for name in sorted(changed):
            role = file_role(name)
            if role is None:
                continue
            if name not in self.files:
                now[name] = None
                self.parsed.pop(name, None)
                self.gap.discard(name)
                self.blind.discard(name)
                continue
            value = self._read(commit.id, name, role)
            problem = value if isinstance(value, Problem) else value.problem if isinstance(value, Partial) else None
            if problem is not None:
                seen = self.state.unreadable.setdefault(self.prefix + name, [[], str(problem)])
                seen[0].append(k)
                self.gap.add(name)
                if isinstance(value, Partial):
                    partial[name] = value
                    self.blind.discard(name)
                else:
                    self.blind.add(name)
                continue
            now[name] = value
            self.parsed[name] = value
            self.gap.discard(name)
            self.blind.discard(name)
        self._date(k, known, now, before, gap_before, blind_before, partial)
        if k >= self.listed_from:
            self.state.reports[commit.id] = _to_data(self._report(now, before, gap_before, changed))

    def _settings_at(self, commit: str) -> bool:
        """Read the settings file as it was at `commit`, if it changed; True when it did."""
        if self.settings_path is None:
            return False
        found = self.blobs.info(f"{commit}:{self.settings_path}")
        oid = found[0] if found and found[1] == "blob" else None
        if oid == self.settings_oid and self.state.commits[:-1]:
            return False
        self.settings_oid = oid
        display = f"{commit[:12]}:{self.settings_path}"
        try:
            text = "" if oid is None else self.blobs.read(oid, Limits().max_file_bytes).decode("utf-8")
            self.settings = self.read_settings(text, display)
        except (BuildFailed, OSError, UnicodeDecodeError):
            self.settings = self.read_settings("", display)  # as diff does: the built-in defaults
        return True

    def _read(self, commit: str, name: str, role: str) -> Parsed:
        mode, oid = self.files[name]
        display = f"{commit[:12]}:{self.prefix}{name}"
        if mode == "120000":
            return Problem(Pos(display), _SYMLINK, "is a symbolic link")
        if mode not in ("100644", "100755"):
            return Problem(Pos(display), _NOT_FILE, "is not a regular file")
        cache_key = (oid, role, self.settings_oid)
        if cache_key not in self._read_cache:
            self._read_cache[cache_key] = read_revision_file(self.blobs, oid, name, role, display, self.settings)
        return self._read_cache[cache_key]

    # --- dates ------------------------------------------------------------------------------

    def _date(self, k: int, known: bool, now: dict[str, Parsed], before: dict[str, Parsed],
              gap_before: set[str], blind_before: set[str], partial: dict[str, "Partial"]) -> None:
        touched: list[str] = []
        when = k if known else UNKNOWN
        for name, value in now.items():
            role = file_role(name)
            blind = UNKNOWN if name in gap_before else when
            if role == "dossier":
                stem = name[:-5]
                self._entries(stem, value, frozenset(), UNKNOWN if name in blind_before else when)
                if self._dossier(stem, value, blind) and name not in gap_before:
                    touched.append(stem)
            elif role == "sources":
                self._records("source", "sources", value or (), blind)
            elif role == "parties":
                self._records("party", "parties", value or (), blind)
            else:
                self._key(key("about", ""), value, blind)
        for name, found in partial.items():  # what reads of a file that does not wholly read: its good entries
            self._entries(name[:-5], found.dossier, found.bad, UNKNOWN if name in blind_before else when)
        stems = sorted(n[:-5] for n in self.files if file_role(n) == "dossier")
        self._key(key("dossiers", ""), tuple(stems), when)
        self._derived(now, before, when if not self.gap else UNKNOWN)
        self.state.touched.append(touched)

    def _dossier(self, stem: str, value: Dossier | None, when: int) -> bool:
        """Update one dossier's own keys; True when its value changed."""
        changed = self._key(key("dossier", stem), value, when)
        self._key(key("name", stem), None if value is None else value.name, when)
        self._key(key("anchors", stem), None if value is None else anchors_of(value), when)
        return changed

    def _entries(self, stem: str, value: Dossier | None, bad: frozenset[str], when: int) -> None:
        """Date a dossier's entries. `bad` names the entries that did not read at this commit: they keep what
        was known of them, and what changed across it is not dated."""
        if value is None:
            self.state.entries.pop(stem, None)
            self.entry_gap.pop(stem, None)
            return
        old = self.state.entries.get(stem, {})
        was_bad = self.entry_gap.get(stem, frozenset())
        items = [*value.claims, *value.events, *value.relationships]
        ids = {f"{group(x)}/{x.id}" for x in items}
        new: dict[str, list] = {}
        for item in items:
            name = f"{group(item)}/{item.id}"
            if name in new:
                continue  # a repeated id (check refuses it): the first is the one shown
            if name in bad:
                if name in old:
                    new[name] = old[name]
                continue
            fp = digest(fingerprint(item))
            prev = old.get(name)
            if prev is None:   # renamed with former_ids: it keeps its history
                prev = next((old[f"{group(item)}/{f}"] for f in item.former_ids
                             if f"{group(item)}/{f}" in old and f"{group(item)}/{f}" not in ids), None)
            at = UNKNOWN if name in was_bad else when
            if prev is None:
                new[name] = [fp, at, at]
            elif prev[0] == fp:
                new[name] = prev
            else:
                new[name] = [fp, prev[1], at]
        self.state.entries[stem] = new
        self.entry_gap[stem] = bad

    def _records(self, one: str, listed: str, records: tuple[Source | Party, ...], when: int) -> None:
        seen: dict[str, Source | Party] = {}
        for record in records:
            seen.setdefault(record.id, record)
        for name in [n for n in self._names(one) if n not in seen]:
            self._key(key(one, name), None, when)
        for name, record in seen.items():
            self._key(key(one, name), record, when)
        self._key(key(listed, ""), tuple(r.id for r in records), when)

    def _names(self, kind: str) -> list[str]:
        return [_unk(s)[1] for s in self.state.keys if s.startswith(kind + "\0")]

    def _key(self, k: Key, value: Any, when: int) -> bool:
        """Record a key's value; True (and `when` as its last change) when its digest changed."""
        found = digest(value)
        slot = self.state.keys.get(_k(k))
        if slot is not None and slot[0] == found:
            return False
        if value is None and slot is None:
            return False
        self.state.keys[_k(k)] = [found, when]
        return True

    def _derived(self, now: dict[str, Parsed], before: dict[str, Parsed], when: int) -> None:
        """Mentions and citing: each entry is its dossiers' parts in dossier order, so only the parts of the
        dossiers that changed are made again (all of them when a name a part prints may have changed)."""
        dossiers = {n[:-5]: v for n, v in self.parsed.items() if file_role(n) == "dossier"}
        corpus = Corpus(tuple(dossiers[d] for d in sorted(dossiers)), (),
                        parties=self.parsed.get(PARTIES) or ())
        renamed = any(file_role(n) == "dossier" and (before.get(n) is None or now[n] is None
                      or before[n].name != now[n].name) for n in now) or PARTIES in now
        again = sorted(dossiers) if renamed else sorted(n[:-5] for n in now if file_role(n) == "dossier")
        affected: set[tuple[str, str]] = set()
        for stem in again:
            old = self.contrib.pop(stem, ({}, {}))
            if stem in dossiers:
                mentions, citing = contributions(dossiers[stem], corpus)
                self.contrib[stem] = ({t: tuple(v) for t, v in mentions.items()},
                                      {s: tuple(v) for s, v in citing.items()})
            new = self.contrib.get(stem, ({}, {}))
            for part, kind in ((0, "mentions"), (1, "citing")):
                for name in old[part].keys() | new[part].keys():
                    if old[part].get(name) != new[part].get(name):
                        affected.add((kind, name))
        for kind, name in sorted(affected):
            part = 0 if kind == "mentions" else 1
            whole = tuple(x for d in sorted(self.contrib) for x in self.contrib[d][part].get(name, ()))
            self._key(key(kind, name), whole or None, when)

    # --- what a listed commit changed -------------------------------------------------------

    def _report(self, now: dict[str, Parsed], before: dict[str, Parsed], gap_before: set[str],
                changed: Mapping[str, Any]) -> Change:
        unreadable = sorted(self.prefix + n for n in changed if file_role(n) and (n in self.gap or n in gap_before))
        compared = [n for n in now if n not in gap_before]
        full = any(file_role(n) != "dossier" for n in compared)
        old_dossiers, new_dossiers = {}, {}
        for name, value in self.parsed.items():
            if file_role(name) != "dossier" or name in self.gap:
                continue
            if full or name in compared:
                new_dossiers[name] = value
                old_dossiers[name] = before.get(name, value) if name in compared else value
        for name in compared:
            if file_role(name) == "dossier" and now[name] is None and before.get(name) is not None:
                old_dossiers[name] = before[name]
        for name in list(old_dossiers):
            if old_dossiers[name] is None:
                del old_dossiers[name]

        def corpus(dossiers: dict[str, Dossier], when: str) -> Corpus:
            def pick(name: str) -> Any:
                if when == "before" and name in before and name not in gap_before:
                    return before[name]
                return self.parsed.get(name)
            sources = pick(BIBLIOGRAPHY) if BIBLIOGRAPHY not in self.gap else None
            parties = pick(PARTIES) if PARTIES not in self.gap else None
            about = pick(ABOUT) if ABOUT not in self.gap else None
            return Corpus(tuple(dossiers[n] for n in sorted(dossiers)), sources or (), about, parties=parties or ())

        report = compare(_side("base", corpus(old_dossiers, "before"), self.settings),
                         _side("target", corpus(new_dossiers, "now"), self.settings))
        return Change(Commit("", "", ""), report.dossiers, report.sources, report.parties, report.about,
                      tuple(unreadable))


def _side(role: str, corpus: Corpus, settings: Settings) -> Side:
    return Side(role, role, None, "", "", corpus, settings, ())


_SYMLINK = Code("symbolic-link", "")
_NOT_FILE = Code("unreadable-file", "")


def file_role(name: str) -> str | None:
    """What a file of the dossiers folder is, as `load.load_folder` reads it: "dossier", "sources",
    "parties", "about", or None (not read)."""
    if name.startswith("."):
        return None
    if name == BIBLIOGRAPHY:
        return "sources"
    if name == PARTIES:
        return "parties"
    if name == ABOUT:
        return "about"
    if name.endswith(".yaml") and path_id_problem(name[:-5]) is None:
        return "dossier"
    return None


def read_revision_file(blobs: Blobs, oid: str, name: str, role: str, display: str, settings: Settings) -> Parsed:
    """One file at a revision, read by today's loader and readers with that revision's settings: its value,
    or the first error that stops it (the pass then skips it there)."""
    limits = settings.limits
    try:
        data = blobs.read(oid, limits.max_file_bytes)
        text = decode(_capped(data, display, limits), display)
        if role == "about":
            return _about(text, display, settings)
        node = parse(text, display, limits)
    except BuildFailed as failed:
        return failed.problems[0]
    except OSError as e:
        return Problem(Pos(display), _NOT_FILE, str(e))
    report = Report()
    reader = DossierReader(report, limits, settings.vocabularies(), Locator({display: text}), dict(DOSSIER_KINDS))
    if role == "dossier":
        value: Any = read_dossier(node, name[:-5], reader)
    elif role == "sources":
        value = read_bibliography(node, display, reader)
    else:
        value = read_parties(node, display, reader)
    errors = [p for p in report.problems if p.severity == "error"]
    if value is None:
        return errors[0] if errors else Problem(Pos(display), _NOT_FILE, "holds no dossier")
    if errors and role == "dossier":
        return Partial(value, _bad_entries(value, errors), errors[0])
    return errors[0] if errors else value


@dataclass(frozen=True)
class Partial:
    """A dossier file that reads only in part under today's format: the entries whose lines hold an error are
    `bad`; the others are as good as in a file that reads (an old revision's relationship written in an
    older format does not hide when its claims changed)."""

    dossier: Dossier
    bad: frozenset[str]        # "group/id" of the entries that did not read
    problem: Problem           # the first error


def _bad_entries(dossier: Dossier, errors: list[Problem]) -> frozenset[str]:
    """The entries whose lines (from their first to the next entry's) hold an error."""
    items = sorted((x.pos.line, f"{group(x)}/{x.id}") for x in (*dossier.claims, *dossier.events,
                                                               *dossier.relationships))
    bad = set()
    for problem in errors:
        line = problem.pos.line
        found = None
        for start, name in items:
            if start <= line:
                found = name
            else:
                break
        if found is not None and line > 0:
            bad.add(found)
    return frozenset(bad)


def _about(text: str, display: str, settings: Settings) -> Any:
    report = Report()
    reader = DossierReader(report, settings.limits, settings.vocabularies(), Locator({}), dict(DOSSIER_KINDS))
    about = read_about(LoadedFolder(about=text, about_display=display), reader)
    errors = [p for p in report.problems if p.severity == "error"]
    return errors[0] if errors else about


# --- the step the build runs ----------------------------------------------------------------------

def read_history(request: Request) -> tuple[History, list[Problem]]:
    where = Pos(str(request.dossiers))
    checkout = find_checkout(request.dossiers)
    if checkout is None:
        return NO_HISTORY, []  # not a git checkout: nothing to say
    try:
        repository = Repository.containing(request.dossiers)
        folder = repository.relative(request.dossiers)
        if not repository.has_commits():
            return NO_HISTORY, []
        boundary = is_shallow(repository)
        log = first_parent_log(repository, folder)
    except GitError as e:
        return NO_HISTORY, [Problem(where, HISTORY_UNAVAILABLE, f"git failed ({e}): the site is built without "
                                    "its history (no changes pages, no dates)" + _hint(str(e), checkout), "warning")]
    if not log:
        return NO_HISTORY, []
    settings_path = _inside(repository, request.settings_file)
    n = len(log)
    first = 1 if log[0].id in boundary else 0
    listed_from = max(first, n - request.window)
    cache = Cache.beside(request, folder, settings_path)
    state = cache.load(log) if cache else None
    if state is None:
        fixed = request.settings if request.settings_file is not None and settings_path is None \
            else request.read_settings("", "(built-in defaults)")
        try:
            with Blobs(repository) as blobs:
                state = Replay(blobs, folder, settings_path, fixed, request.read_settings, listed_from).run(log, boundary)
        except (GitError, OSError) as e:  # a cat-file that died mid-way: a broken pipe
            return NO_HISTORY, [Problem(where, HISTORY_UNAVAILABLE, f"git failed ({e}): the site is built without "
                                        "its history (no changes pages, no dates)", "warning")]
        if cache:
            cache.save(state)
    commits = [commit_of(c) for c in log]
    history = assemble(state, commits, listed_from, request)
    problems = _problems(state, log, commits, where, bool(boundary) and first == 1, listed_from)
    return history, problems


def _hint(message: str, repository: Path) -> str:
    if "dubious ownership" in message:
        return (f"; if this checkout is to be trusted, mark it safe: git config --global --add safe.directory "
                f"{repository}")
    if "No such file or directory: 'git'" in message:
        return "; install git, or build from a folder that is not a checkout"
    return ""


def _inside(repository: Repository, path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return repository.relative(path) or None
    except GitError:
        return None


def _problems(state: State, log: list[LogCommit], commits: list[Commit], where: Pos, shallow: bool,
              listed_from: int) -> list[Problem]:
    out = []
    if shallow:
        out.append(Problem(where, HISTORY_SHALLOW, f"the checkout is a shallow clone (its history stops at commit "
                           f"{log[0].id[:12]}): dates before it are left out and it is not listed; fetch the whole "
                           "history (git fetch --unshallow, or fetch-depth: 0 in actions/checkout) for them",
                           "warning"))
    for path, (indices, first_problem) in sorted(state.unreadable.items()):
        last = log[indices[-1]].id[:12]
        count = f"at {len(indices)} commits ({log[indices[0]].id[:12]} to {last})" if len(indices) > 1 \
            else "at this commit"
        out.append(Problem(Pos(f"{last}:{path}"), HISTORY_UNREADABLE, f"does not wholly read under today's format "
                           f"{count}: what does not read is skipped there, and what changed across it carries no "
                           f"date (first problem: {_problem_text(first_problem)})", "notice"))
    for commit in commits[listed_from:]:
        if commit.refused:
            out.append(Problem(Pos(commit.id), MESSAGE_REFUSED, f"the commit message {commit.refused}, so the "
                               "changes pages show a placeholder instead of it", "notice"))
    return out


def _problem_text(line: str) -> str:
    """A stored problem line without its position (which names the file already)."""
    head, sep, rest = line.partition(": ")
    return shown(rest if sep else line, 200)


# --- commit messages: contributed text ---------------------------------------------------------------

def commit_of(commit: LogCommit) -> Commit:
    """A commit as pages show it. Its message is screened as a dossier file is (`load.decode`'s rules): one
    that is not UTF-8, or holds a control or bidirectional character, is never printed: a placeholder is."""
    date = _utc(commit.date)
    try:
        text = commit.message.decode("utf-8")
    except UnicodeDecodeError:
        return Commit(commit.id, date, REFUSED, refused="is not UTF-8")
    bad = _BAD_CHAR.search(text.replace("\r", ""))
    if bad:
        char = bad.group()
        kind = "bidirectional control" if "\u202a" <= char <= "\u2069" else "control"
        return Commit(commit.id, date, REFUSED, refused=f"holds the {kind} character U+{ord(char):04X}")
    paragraphs = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n")]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        return Commit(commit.id, date, "(no message)")
    return Commit(commit.id, date, paragraphs[0], tuple(paragraphs[1:]))


REFUSED = "(message not shown: it holds characters the site does not print)"


def _utc(stamp: str) -> str:
    """git's ISO 8601 date with an offset, in UTC: "2026-11-03T13:00:00+01:00" -> "2026-11-03T12:00:00Z"."""
    from datetime import datetime, timezone
    return datetime.fromisoformat(stamp).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- from the state to what pages read -------------------------------------------------------------

def assemble(state: State, commits: list[Commit], listed_from: int, request: Request) -> History:
    n = len(commits)
    listed = tuple(_change(state.reports.get(commits[i].id), commits[i]) for i in range(n - 1, listed_from - 1, -1))
    listed_ids = [commits[i].id for i in range(n - 1, listed_from - 1, -1)]

    def at(index: int) -> Commit | None:
        return None if index == UNKNOWN or index is None else commits[index]

    working = request.working
    uncommitted = _uncommitted(state, working)
    dossiers: dict[str, DossierHistory] = {}
    for dossier in working.corpus.dossiers:
        stored = state.entries.get(dossier.id, {})
        entries = {}
        for item in (*dossier.claims, *dossier.events, *dossier.relationships):
            slot = stored.get(f"{group(item)}/{item.id}")
            if slot is None or slot[0] != digest(fingerprint(item)):
                entries[(group(item), item.id)] = Dates(uncommitted=True)
            else:
                entries[(group(item), item.id)] = Dates(at(slot[1]), at(slot[2]))
        slot = state.keys.get(_k(key("dossier", dossier.id)))
        dirty = key("dossier", dossier.id) in uncommitted
        changes = tuple(commits[i] for i in range(n - 1, listed_from - 1, -1) if dossier.id in state.touched[i])
        total = sum(1 for t in state.touched if dossier.id in t)
        dossiers[dossier.id] = DossierHistory(None if dirty or slot is None else at(slot[1]), dirty,
                                              MappingProxyType(entries), changes, total)
    dated: dict[Key, str | None] = {}
    for s, (_, index) in state.keys.items():
        found = at(index)
        dated[_unk(s)] = found.date if found else None
    dated.update(_window_dates(state, commits, listed_from, request.window))
    for dossier_id, found in dossiers.items():
        dated.setdefault(key("history", dossier_id), dated.get(key("dossier", dossier_id)))
    months: dict[str, int] = {}
    for commit in commits[state.first_known:]:
        months[commit.month] = months.get(commit.month, 0) + 1
    return History(listed, n, request.window, state.first_known == 1, MappingProxyType(dossiers),
                   MappingProxyType(dated), frozenset(uncommitted), True, MappingProxyType(months))


def _change(data: Any, commit: Commit) -> Change:
    change = _from_data(Change, data) if data is not None else Change(commit)
    return Change(commit, change.dossiers, change.sources, change.parties, change.about, change.unreadable)


def _uncommitted(state: State, working: Inputs) -> set[Key]:
    """The keys whose value in the working tree differs from the last commit's (by digest)."""
    corpus = working.corpus
    keys: set[Key] = {key("dossiers", ""), key("sources", ""), key("parties", ""), key("about", "")}
    for d in corpus.dossiers:
        keys |= {key("dossier", d.id), key("name", d.id), key("anchors", d.id)}
    keys |= {key("source", s.id) for s in corpus.sources} | {key("party", p.id) for p in corpus.parties}
    keys |= {key("mentions", t) for t in working.indexes.mentions} | {key("citing", s) for s in working.indexes.citing}
    keys |= {_unk(s) for s in state.keys}
    out = set()
    for k in keys:
        value = _value(k, working)
        slot = state.keys.get(_k(k))
        if (slot[0] if slot else digest(None)) != digest(value):
            out.add(k)
    return out


def _value(k: Key, inputs: Inputs) -> Any:
    """A key's value as the pass records it (None where value_of says nothing is there)."""
    if k[0] == "anchors":
        corpus = inputs.corpus
        return anchors_of(corpus.dossier(k[1])) if corpus.has_dossier(k[1]) else None
    value = value_of(k, inputs)
    if k[0] in ("mentions", "citing", "about") and not value:
        return None
    if k[0] in ("sources", "parties", "dossiers"):
        return tuple(value)
    return value


def _window_dates(state: State, commits: list[Commit], listed_from: int, window: int) -> dict[Key, str | None]:
    """When the values of the listing keys last changed: ("changes", "") (every commit), ("changes", month)
    (its listed commits and the months beside it), ("history", dossier) (its listed commits and count),
    replayed backwards over the states of the window (each is the last `window` commits of its time)."""
    n, first = len(commits), state.first_known
    dossiers = sorted(state.entries)

    def values(j: int) -> dict[Key, Any]:
        ids = list(range(j, max(first, j + 1 - window) - 1, -1))
        months = list(dict.fromkeys(commits[i].month for i in ids))
        out: dict[Key, Any] = {key("changes", ""): tuple(ids)}
        for m_index, month in enumerate(months):
            out[key("changes", month)] = (tuple(i for i in ids if commits[i].month == month),
                                          months[m_index - 1] if m_index else None,
                                          months[m_index + 1] if m_index + 1 < len(months) else None)
        touched: dict[str, list[int]] = {d: [] for d in dossiers}
        for i in ids:
            for d in state.touched[i]:
                touched.setdefault(d, []).append(i)
        for d, found in touched.items():
            out[key("history", d)] = tuple(found)
        return out

    final = values(n - 1)
    counts = {}
    for i, found in enumerate(state.touched):
        for d in found:
            counts[d] = counts.get(d, 0) + 1
    out: dict[Key, str | None] = {}
    pending = dict(final)
    j = n - 1
    while pending and j >= first:
        earlier = values(j - 1) if j - 1 >= first else {}
        for k in [k for k in pending if earlier.get(k) != pending[k]]:
            out[k] = commits[j].date
            del pending[k]
        j -= 1
    for k in pending:
        out[k] = None
    # A dossier's history value also holds how many commits changed it: its last change dates it too.
    for k, when in list(out.items()):
        if k[0] == "history":
            last = max((i for i, t in enumerate(state.touched) if k[1] in t), default=None)
            if last is not None and last >= first and (when is None or commits[last].date > when):
                out[k] = commits[last].date
    return out


# --- the cache ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cache:
    """One JSON file per history, in ``.sourcebook-cache/`` beside the settings file."""

    folder: Path
    params: str

    @classmethod
    def beside(cls, request: Request, folder: str, settings_path: str | None) -> "Cache | None":
        """The cache beside the settings file (without one, beside the dossiers folder); None where that
        would be inside the dossiers folder or the output, or is not a plain folder."""
        base = request.settings.folder if request.settings.folder is not None else request.dossiers.absolute().parent
        where = Path(os.path.realpath(base)) / CACHE_FOLDER
        for forbidden in (request.dossiers, request.out):
            inside = Path(os.path.realpath(forbidden))
            if where == inside or inside in where.parents:
                return None
        if where.is_symlink() or (where.exists() and not where.is_dir()):
            return None
        outside = None
        if request.settings_file is not None and settings_path is None:
            try:
                outside = digest(request.settings_file.read_bytes().decode("utf-8", "replace"))
            except OSError:
                outside = None
        params = digest((CACHE_FORMAT, generator_version(), folder, settings_path, outside, request.window))
        return cls(where, params)

    def path(self, commit: str) -> Path:
        return self.folder / f"history-{self.params}-{commit}.json"

    def load(self, log: list[LogCommit]) -> State | None:
        try:
            data = json.loads(self.path(log[-1].id).read_text(encoding="utf-8"))
            state = State.from_data(data)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if state.commits != [c.id for c in log] or len(state.touched) != len(log):
            return None
        return state

    def save(self, state: State) -> None:
        """Written atomically (a temporary file renamed over it); a cache that cannot be written is skipped."""
        try:
            self.folder.mkdir(exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():  # git-ignored wherever the settings file is, as .pytest_cache/ is
                ignore.write_text("# written by sourcebook: the history cache, never committed\n*\n",
                                  encoding="utf-8")
            handle, temporary = tempfile.mkstemp(prefix=".history-", dir=self.folder)
            with os.fdopen(handle, "w", encoding="utf-8") as f:
                json.dump(state.as_data(), f, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
            os.replace(temporary, self.path(state.commits[-1]))
            mine = sorted(self.folder.glob(f"history-{self.params}-*.json"), key=lambda p: p.stat().st_mtime)
            for old in mine[:-CACHES_KEPT]:
                old.unlink(missing_ok=True)
        except OSError:
            return


# --- reports as JSON data, and back ----------------------------------------------------------------------

def _to_data(value: Any) -> Any:
    if is_dataclass(value):
        return {f.name: _to_data(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple):
        return [_to_data(v) for v in value]
    return value


def _from_data(kind: Any, data: Any) -> Any:
    """`data` (from `_to_data`) as a value of `kind`: a dataclass, a tuple, a union with None, a plain value."""
    origin = typing.get_origin(kind)
    if kind is Any:
        return data
    if origin in (UnionType, typing.Union):
        options = [a for a in typing.get_args(kind) if a is not NoneType]
        return None if data is None else _from_data(options[0], data)
    if origin is tuple:
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_from_data(args[0], v) for v in data)
        return tuple(_from_data(a, v) for a, v in zip(args, data))
    if origin is typing.Literal:
        if data not in typing.get_args(kind):
            raise ValueError(f"{data!r} is not one of {typing.get_args(kind)}")
        return data
    if is_dataclass(kind):
        hints = _hints(kind)
        return kind(**{name: _from_data(hint, data[name]) for name, hint in hints if name in data})
    if kind in (str, int, bool) and not isinstance(data, kind):
        raise TypeError(f"{data!r} is not a {kind.__name__}")
    return data


@lru_cache(maxsize=None)
def _hints(kind: type) -> tuple[tuple[str, Any], ...]:
    """A dataclass's fields and their types, resolved once (typing.get_type_hints is slow: reading 50
    cached reports took 4.6 s of a 19 s profiled build before this cache, 0.1 s after)."""
    hints = typing.get_type_hints(kind)
    return tuple((f.name, hints[f.name]) for f in fields(kind))


@lru_cache(maxsize=1)
def generator_version() -> str:
    """The package's version and a digest of its source: a cache made by other code is never read."""
    try:
        from importlib.metadata import version
        name = version("sourcebook")
    except Exception:  # noqa: BLE001 - not installed: the source digest alone
        name = "unknown"
    package = Path(__file__).resolve().parents[1]
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return f"{name}+{h.hexdigest()}"
