"""Two corpora in, a frozen report of what changed out: claim by claim, source by source, page by page.

`compare(base, target)` takes two `Side`s (each a validated corpus with its
own settings, problems and, when it validates, the pages' recorded reads)
and returns a `Report`. Nothing here reads files, runs git or renders: the
`diff` command builds the sides (`pipeline.side`) and prints the report
(`changes.render`); the history pages of issue 19 can build on the same two
calls.

Entries are matched by id within a dossier. An entry whose `former_ids`
name an id the base has and the target lost is *renamed* (authoritative); a
removed and an added entry of the same kind whose content matches (the same
text, or the same sources and date with texts at least `SIMILAR` alike word
by word; for relationships the same type and other end) are *possibly
renamed*. Pages are compared from their records alone: a page changes when a
key it read denotes another value (`reads.value_of`) — no second render.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

from ..limits import Limits
from ..model import Corpus, Dossier, Entry, NoReply, Party, ProfileFact, Relationship, Source, SourceRef
from ..problems import Problem
from ..reads import CHROME, Inputs, Key, value_of
from ..settings import VOCABULARIES, Settings
from .words import Words, one_line, similarity, word_diff

SIMILAR = 0.8       # word similarity above which a removed and an added entry are "possibly renamed"
KIND_ORDER = {"profile fact": 0, "claim": 1, "event": 2, "relationship": 3}
Change = Literal["added", "removed", "changed", "renamed", "possibly renamed"]


# --- what is compared ---------------------------------------------------------------------

@dataclass(frozen=True)
class Side:
    """One side of a comparison: what was read, and what it holds."""

    role: str                      # "base" or "target"
    label: str                     # the revision as given ("main", "HEAD"), "the working tree", or a folder
    commit: str | None             # the commit read; for the working tree, the commit checked out
    folder: str                    # the dossiers folder, as messages name it
    settings_path: str             # the settings file read, or "(built-in defaults)"
    corpus: Corpus
    settings: Settings
    problems: tuple[Problem, ...]  # as `check` reports them (settings problems included)
    inputs: Inputs | None = None   # None when the side has errors: its pages are not computed
    pages: Mapping[str, frozenset[Key]] | None = None   # page path -> the keys it read
    chrome: object = None          # what every page shows around its view (render.Chrome)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")


# --- the report -------------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldChange:
    name: str
    old: str | None                # None: it was not set
    new: str | None                # None: it is no longer set
    words: Words | None = None     # for texts: the word diff


@dataclass(frozen=True)
class Cited:
    id: str
    locator: str | None


@dataclass(frozen=True)
class EntryReport:
    """A claim, event, relationship or profile fact that was added, removed, changed or renamed."""

    kind: str                              # "claim", "event", "relationship", "profile fact"
    id: str                                # its id (a profile fact: its key) on the side that has it
    change: Change
    where: str                             # file:line on the target (on the base for a removed entry)
    old_id: str | None = None              # renamed, possibly renamed: the id it had
    text: str | None = None                # an added or removed entry: what it says (one line)
    sources: tuple[Cited, ...] = ()        # an added or removed entry: what it cites
    fields: tuple[FieldChange, ...] = ()   # text (with its word diff), topic, date, tags, status, ...
    status: str | None = None              # "newly contested", "no longer unconfirmed", "now unanswered (was ...)"
    sources_added: tuple[Cited, ...] = ()
    sources_removed: tuple[Cited, ...] = ()
    locators: tuple[FieldChange, ...] = ()  # name: the source id; old/new: its locator
    responses_added: tuple[str, ...] = ()
    responses_removed: tuple[str, ...] = ()
    weaker: tuple[str, ...] = ()           # why its sourcing is weaker: fewer sources, a lost locator


@dataclass(frozen=True)
class DossierReport:
    id: str
    name: str
    change: Literal["added", "removed", "changed"]
    where: str
    fields: tuple[FieldChange, ...] = ()   # name, native_name, legal_name, aliases, sectors, scripts
    entries: tuple[EntryReport, ...] = ()  # profile facts, claims, events, relationships

    def count(self, change: str) -> int:
        return sum(1 for e in self.entries if e.change == change)


@dataclass(frozen=True)
class RecordReport:
    """A source of the bibliography or a party of parties.yaml that was added, removed or edited."""

    kind: Literal["source", "party"]
    id: str
    change: Literal["added", "removed", "edited"]
    where: str
    title: str                     # a source's title, a party's name (on the side that has it)
    fields: tuple[FieldChange, ...] = ()
    cited_by: int = 0              # a source: how many statements cite it (on the side that has it)


@dataclass(frozen=True)
class SettingChange:
    name: str                                  # "topics", "title", "limits.max_depth"
    added: tuple[tuple[str, str], ...] = ()    # a vocabulary: (id, label) added
    removed: tuple[tuple[str, str], ...] = ()  # ... removed
    changed: tuple[FieldChange, ...] = ()      # ... relabelled (name: the id); another setting: its value


@dataclass(frozen=True)
class PageChange:
    path: str
    reasons: tuple[str, ...] = ()  # the changed keys it read: "dossier alpha", "source src-a", "chrome"


@dataclass(frozen=True)
class PagesReport:
    computed: bool                         # False: a side does not validate, so its pages were not made
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[PageChange, ...] = ()
    unchanged: int = 0


@dataclass(frozen=True)
class SideReport:
    role: str
    label: str
    commit: str | None
    folder: str
    settings_path: str
    dossiers: int
    sources: int
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")


@dataclass(frozen=True)
class Report:
    base: SideReport
    target: SideReport
    dossiers: tuple[DossierReport, ...]
    sources: tuple[RecordReport, ...]
    parties: tuple[RecordReport, ...]
    settings: tuple[SettingChange, ...]
    about: FieldChange | None
    pages: PagesReport

    @property
    def empty(self) -> bool:
        """Nothing differs in the content (problems are not differences)."""
        return not (self.dossiers or self.sources or self.parties or self.settings or self.about)


def compare(base: Side, target: Side) -> Report:
    old, new = base.corpus, target.corpus
    dossiers = tuple(_dossiers(old, new))
    sources = tuple(_records("source", old.sources, new.sources, _SOURCE_FIELDS, _citations(old), _citations(new)))
    parties = tuple(_records("party", old.parties, new.parties, _PARTY_FIELDS, {}, {}))
    about = _text_change("about.md", old.about, new.about)
    return Report(_side_report(base), _side_report(target), dossiers, sources, parties,
                  tuple(_settings(base.settings, target.settings)), about, _pages(base, target))


def _side_report(side: Side) -> SideReport:
    return SideReport(side.role, side.label, side.commit, side.folder, side.settings_path,
                      len(side.corpus.dossiers), len(side.corpus.sources), side.problems)


# --- dossiers ---------------------------------------------------------------------------------

def _dossiers(old: Corpus, new: Corpus) -> Iterable[DossierReport]:
    ids = sorted({d.id for d in old.dossiers} | {d.id for d in new.dossiers})
    for dossier_id in ids:
        before = old.dossier(dossier_id) if old.has_dossier(dossier_id) else None
        after = new.dossier(dossier_id) if new.has_dossier(dossier_id) else None
        if before == after:
            continue
        if before is None:
            assert after is not None
            yield DossierReport(after.id, after.name, "added", _where(after.pos),
                                entries=tuple(_sorted(_added(x) for x in _items(after))))
        elif after is None:
            yield DossierReport(before.id, before.name, "removed", _where(before.pos),
                                entries=tuple(_sorted(_removed(x) for x in _items(before))))
        else:
            yield DossierReport(after.id, after.name, "changed", _where(after.pos),
                                tuple(_dossier_fields(before, after)), tuple(_entries(before, after)))


Item = ProfileFact | Entry | Relationship


def _items(dossier: Dossier) -> list[Item]:
    return [*dossier.profile, *dossier.claims, *dossier.events, *dossier.relationships]


def _kind(item: Item) -> str:
    return "profile fact" if isinstance(item, ProfileFact) else "relationship" if isinstance(
        item, Relationship) else item.kind


def _id(item: Item) -> str:
    return item.key if isinstance(item, ProfileFact) else item.id


def _where(pos: Any) -> str:
    return str(pos) if pos.path else ""


def _sorted(reports: Iterable[EntryReport]) -> list[EntryReport]:
    return sorted(reports, key=lambda e: (KIND_ORDER[e.kind], e.id))


def _dossier_fields(old: Dossier, new: Dossier) -> Iterable[FieldChange]:
    for name in ("name", "native_name", "legal_name", "native_script", "text_script"):
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            yield FieldChange(name, a, b)
    for name in ("aliases", "sectors"):
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            yield FieldChange(name, ", ".join(a) or None, ", ".join(b) or None)


def _entries(old: Dossier, new: Dossier) -> list[EntryReport]:
    before = {(_group(x), _id(x)): x for x in _items(old)}
    after = {(_group(x), _id(x)): x for x in _items(new)}
    out: list[EntryReport] = []
    for key in sorted(before.keys() & after.keys()):
        report = _changed(before[key], after[key], "changed")
        if report is not None:
            out.append(report)
    gone = [k for k in before if k not in after]          # file order, so pairing is stable
    came = [k for k in after if k not in before]
    # Authoritative renames: an added entry lists a lost id among its former ids.
    for key in list(came):
        item = after[key]
        former = next((f for f in getattr(item, "former_ids", ()) if (key[0], f) in gone), None)
        if former is not None:
            gone.remove((key[0], former))
            came.remove(key)
            out.append(_changed(before[(key[0], former)], item, "renamed")
                       or _renamed_only(before[(key[0], former)], item, "renamed"))
    # Possible renames: a lost and an added entry of the same kind whose content matches.
    for old_key, new_key in _content_matches([before[k] for k in gone], [after[k] for k in came]):
        gone.remove(old_key)
        came.remove(new_key)
        out.append(_changed(before[old_key], after[new_key], "possibly renamed")
                   or _renamed_only(before[old_key], after[new_key], "possibly renamed"))
    redirects = {f: _id(x) for x in _items(new) for f in getattr(x, "former_ids", ())}
    out += [_removed(before[k], redirects.get(k[1])) for k in gone]
    out += [_added(after[k]) for k in came]
    return _sorted(out)


def _group(item: Item) -> str:
    """Claims and events share ids (an event may become a claim); profile facts have their own keys."""
    return "fact" if isinstance(item, ProfileFact) else "relationship" if isinstance(item, Relationship) else "entry"


def _content_matches(gone: list[Item], came: list[Item]) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    scored = []
    for i, a in enumerate(gone):
        for j, b in enumerate(came):
            score = _match(a, b)
            if score is not None:
                scored.append((-score, i, j))
    pairs, used_old, used_new = [], set(), set()
    for _, i, j in sorted(scored):
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append(((_group(gone[i]), _id(gone[i])), (_group(came[j]), _id(came[j]))))
    return pairs


def _match(a: Item, b: Item) -> float | None:
    """How well a lost entry matches an added one (None: not a possible rename)."""
    if isinstance(a, ProfileFact) or isinstance(b, ProfileFact) or _kind(a) != _kind(b):
        return None
    if isinstance(a, Relationship):
        assert isinstance(b, Relationship)
        if (a.type, a.target, a.party) != (b.type, b.target, b.party):
            return None
        return similarity(a.text or "", b.text or "")
    assert isinstance(b, Entry)
    score = similarity(a.text, b.text)
    if score == 1.0 or (score >= SIMILAR and _ids(a.sources) == _ids(b.sources) and a.when == b.when):
        return score
    return None


def _renamed_only(old: Item, new: Item, change: Change) -> EntryReport:
    return EntryReport(_kind(new), _id(new), change, _where(new.pos), old_id=_id(old))


def _added(item: Item) -> EntryReport:
    return EntryReport(_kind(item), _id(item), "added", _where(item.pos), text=_shown(item),
                       sources=_cited(item.sources), fields=tuple(_placement(item)))


def _removed(item: Item, now_at: str | None = None) -> EntryReport:
    fields = (FieldChange("permalink", None, f"now leads to {now_at} (its former_ids)"),) if now_at else ()
    return EntryReport(_kind(item), _id(item), "removed", _where(item.pos), text=_shown(item),
                       sources=_cited(item.sources), fields=fields)


def _placement(item: Item) -> Iterable[FieldChange]:
    """Where an added entry goes and what it is marked: topic, date, status, standing."""
    if isinstance(item, Entry):
        if item.topic:
            yield FieldChange("topic", None, item.topic)
        yield FieldChange("as_of" if item.kind == "claim" else "date", None, item.when.iso())
        if item.mark:
            yield FieldChange("status", None, item.mark)
    elif isinstance(item, Relationship):
        yield FieldChange("type", None, item.type)
        yield FieldChange("target" if item.target else "party", None, item.target or item.party)
        if item.standing != "established":
            yield FieldChange("standing", None, item.standing)
        if item.status:
            yield FieldChange("status", None, item.status)


def _shown(item: Item) -> str | None:
    text = item.value if isinstance(item, ProfileFact) else item.text
    return one_line(text) if text else None


def _cited(refs: tuple[SourceRef, ...]) -> tuple[Cited, ...]:
    return tuple(Cited(r.id, one_line(r.locator) if r.locator else None) for r in refs)


def _ids(refs: tuple[SourceRef, ...]) -> list[str]:
    return sorted({r.id for r in refs})


def _changed(old: Item, new: Item, change: Change) -> EntryReport | None:
    """What differs between two versions of one entry; None when nothing does (positions aside)."""
    if old == new:
        return None
    fields = list(_fields(old, new))
    added, removed, locators, weaker = _sourcing(old.sources, new.sources)
    status = _status(old, new)
    responses_added, responses_removed = _responses(old, new)
    old_id = _id(old) if change != "changed" else None
    report = EntryReport(_kind(new), _id(new), change, _where(new.pos), old_id=old_id, fields=tuple(fields),
                         status=status, sources_added=added, sources_removed=removed, locators=locators,
                         responses_added=responses_added, responses_removed=responses_removed, weaker=weaker)
    if change == "changed" and report == EntryReport(_kind(new), _id(new), change, _where(new.pos)):
        return None  # only what the report does not show differs (the order of sources, say)
    return report


def _fields(old: Item, new: Item) -> Iterable[FieldChange]:
    if _kind(old) != _kind(new):
        yield FieldChange("kind", _kind(old), _kind(new))
    text = _text_change("value" if isinstance(new, ProfileFact) else "text",
                        old.value if isinstance(old, ProfileFact) else old.text,
                        new.value if isinstance(new, ProfileFact) else new.text)
    if text:
        yield text
    if isinstance(old, Entry) and isinstance(new, Entry):
        yield from _differs("topic", old.topic, new.topic)
        yield from _differs("as_of" if new.kind == "claim" else "date", old.when.iso(), new.when.iso())
        yield from _differs("tags", ", ".join(old.tags) or None, ", ".join(new.tags) or None)
        yield from _differs("according_to", old.according_to, new.according_to)
        yield from _differs("no_reply", _no_reply(old.no_reply), _no_reply(new.no_reply))
    if isinstance(old, Relationship) and isinstance(new, Relationship):
        yield from _differs("type", old.type, new.type)
        yield from _differs("target", old.target, new.target)
        yield from _differs("party", old.party, new.party)
        yield from _differs("as_of", old.as_of.iso() if old.as_of else None, new.as_of.iso() if new.as_of else None)
        yield from _differs("standing", old.standing, new.standing)
    if not isinstance(old, ProfileFact) and not isinstance(new, ProfileFact) \
            and tuple(f for f in new.former_ids if f != old.id) != old.former_ids:  # a rename's own is no news
        yield from _differs("former_ids", ", ".join(old.former_ids) or None, ", ".join(new.former_ids) or None)


def _differs(name: str, old: str | None, new: str | None) -> Iterable[FieldChange]:
    if old != new:
        yield FieldChange(name, one_line(old) if old else None, one_line(new) if new else None)


def _text_change(name: str, old: str | None, new: str | None) -> FieldChange | None:
    if " ".join((old or "").split()) == " ".join((new or "").split()):
        return None  # re-wrapped or re-indented: the same words
    return FieldChange(name, one_line(old) if old else None, one_line(new) if new else None,
                       word_diff(old or "", new or ""))


def _no_reply(note: NoReply | None) -> str | None:
    if note is None:
        return None
    return "none on record" if note.text is None else note.text


def _status(old: Item, new: Item) -> str | None:
    """How the standing a reader is told of changed: "newly contested", "now unanswered (was contested)"."""
    a = old.mark if isinstance(old, Entry) else getattr(old, "status", None)
    b = new.mark if isinstance(new, Entry) else getattr(new, "status", None)
    if a == b:
        return None
    if a is None:
        return f"newly {b}"
    if b is None:
        return f"no longer {a}"
    if (a, b) == ("unanswered", "contested"):
        return "reply added (was unanswered)"
    return f"now {b} (was {a})"


def _responses(old: Item, new: Item) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if not isinstance(old, Entry) or not isinstance(new, Entry):
        return (), ()
    before = [(" ".join(r.text.split()), _ids(r.sources)) for r in old.responses]
    after = [(" ".join(r.text.split()), _ids(r.sources)) for r in new.responses]
    added = [one_line(t) for t, s in _minus(after, before)]
    removed = [one_line(t) for t, s in _minus(before, after)]
    return tuple(added), tuple(removed)


def _minus(items: list, others: list) -> list:
    left = list(others)
    out = []
    for item in items:
        if item in left:
            left.remove(item)
        else:
            out.append(item)
    return out


def _sourcing(old: tuple[SourceRef, ...], new: tuple[SourceRef, ...]):
    """Sources added and removed, locators changed, and why the sourcing is weaker (if it is)."""
    before, after = _locators(old), _locators(new)
    added = tuple(Cited(i, after[i]) for i in dict.fromkeys(r.id for r in new) if i not in before)
    removed = tuple(Cited(i, before[i]) for i in dict.fromkeys(r.id for r in old) if i not in after)
    locators = tuple(FieldChange(i, before[i], after[i]) for i in dict.fromkeys(r.id for r in new)
                     if i in before and before[i] != after[i])
    weaker = []
    if len(after) < len(before):
        weaker.append(f"cites {len(after)} source{'s' if len(after) != 1 else ''} (was {len(before)})")
    weaker += [f"{c.name} lost its locator ({c.old})" for c in locators if c.old and not c.new]
    if any(before.values()) and not any(after.values()) and not any(c.old and not c.new for c in locators):
        weaker.append("no citation has a locator any more")
    return added, removed, locators, tuple(weaker)


def _locators(refs: tuple[SourceRef, ...]) -> dict[str, str | None]:
    """Each source cited, in order, with its first locator (a source cited twice: the one that has one)."""
    out: dict[str, str | None] = {}
    for ref in refs:
        if out.get(ref.id) is None:
            out[ref.id] = one_line(ref.locator) if ref.locator else None
    return out


# --- the bibliography and the parties ---------------------------------------------------------

_SOURCE_FIELDS = tuple(f.name for f in fields(Source) if f.name not in ("id", "pos"))
_PARTY_FIELDS = tuple(f.name for f in fields(Party) if f.name not in ("id", "pos"))


def _citations(corpus: Corpus) -> dict[str, int]:
    counts: dict[str, int] = {}
    for dossier in corpus.dossiers:
        for statement in dossier.statements():
            for source_id in {r.id for r in statement.sources}:
                counts[source_id] = counts.get(source_id, 0) + 1
    return counts


def _records(kind: Literal["source", "party"], old: tuple, new: tuple, names: tuple[str, ...],
             old_cited: dict[str, int], new_cited: dict[str, int]) -> Iterable[RecordReport]:
    before = {r.id: r for r in reversed(old)}
    after = {r.id: r for r in reversed(new)}
    order = list(dict.fromkeys([*(r.id for r in new), *(r.id for r in old)]))
    for record_id in order:
        a, b = before.get(record_id), after.get(record_id)
        if a == b:
            continue
        if a is None:
            yield RecordReport(kind, record_id, "added", _where(b.pos), _title(b), cited_by=new_cited.get(record_id, 0))
        elif b is None:
            yield RecordReport(kind, record_id, "removed", _where(a.pos), _title(a),
                               cited_by=old_cited.get(record_id, 0))
        else:
            changes = tuple(c for name in names for c in _differs(name, _value(getattr(a, name)),
                                                                 _value(getattr(b, name))))
            yield RecordReport(kind, record_id, "edited", _where(b.pos), _title(b), changes,
                               new_cited.get(record_id, 0))


def _title(record: Source | Party) -> str:
    return one_line(record.title if isinstance(record, Source) else record.name)


def _value(value: Any) -> str | None:
    if value is None or value == ():
        return None
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return value.iso() if hasattr(value, "iso") else str(value)


# --- settings ---------------------------------------------------------------------------------

def _settings(old: Settings, new: Settings) -> Iterable[SettingChange]:
    for name in sorted(old.values.keys() | new.values.keys()):
        a, b = old.values.get(name), new.values.get(name)
        if a == b:
            continue
        if name in VOCABULARIES or isinstance(a, Mapping) or isinstance(b, Mapping):
            yield _vocabulary(name, a or {}, b or {})
        elif isinstance(a, Limits) or isinstance(b, Limits):
            changed = tuple(c for f in fields(Limits) for c in _differs(
                f.name, _value(getattr(a, f.name, None)), _value(getattr(b, f.name, None))))
            yield SettingChange(name, changed=changed)
        else:
            yield SettingChange(name, changed=tuple(_differs(name, _value(a), _value(b))))


def _vocabulary(name: str, old: Mapping[str, str], new: Mapping[str, str]) -> SettingChange:
    added = tuple((k, one_line(v)) for k, v in new.items() if k not in old)
    removed = tuple((k, one_line(v)) for k, v in old.items() if k not in new)
    relabelled = tuple(c for k in new if k in old for c in _differs(k, old[k], new[k]))
    if not (added or removed or relabelled):  # the same ids and labels in another order
        relabelled = (FieldChange("order", ", ".join(old), ", ".join(new)),)
    return SettingChange(name, added, removed, relabelled)


# --- pages, from their recorded reads -----------------------------------------------------------

def _pages(base: Side, target: Side) -> PagesReport:
    if base.pages is None or target.pages is None or base.inputs is None or target.inputs is None:
        return PagesReport(False)
    keys = {k for ks in (*base.pages.values(), *target.pages.values()) for k in ks}
    changed_keys = {k for k in keys if _value_at(k, base) != _value_at(k, target)}
    added = tuple(sorted(target.pages.keys() - base.pages.keys()))
    removed = tuple(sorted(base.pages.keys() - target.pages.keys()))
    changed, unchanged = [], 0
    for path in sorted(base.pages.keys() & target.pages.keys()):
        reasons = sorted(changed_keys & (base.pages[path] | target.pages[path]))
        if reasons:
            changed.append(PageChange(path, tuple(_reason(k) for k in reasons)))
        else:
            unchanged += 1
    return PagesReport(True, added, removed, tuple(changed), unchanged)


def _value_at(k: Key, side: Side) -> Any:
    assert side.inputs is not None
    return side.chrome if k == CHROME else value_of(k, side.inputs)


def _reason(k: Key) -> str:
    kind, name = k
    return f"{kind} {name}" if name else {"dossiers": "the list of dossiers", "sources": "the list of sources",
                                           "parties": "the list of parties", "about": "about.md",
                                           "chrome": "the site's title and navigation",
                                           "aliases": "the names automatic links match",
                                           "years": "the timeline's years"}.get(kind, kind)

