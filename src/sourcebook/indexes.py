"""The corpus-wide tables views need, computed once per build from the statement walk.

For each dossier, the entries of *other* dossiers that link to or target it
("mentioned in") and the dossiers it is tied to either way, by a
relationship or a wiki-link ("related companies"); for each source,
everything that cites it; and every dossier's names (its name, legal name,
native name and aliases), which automatic links match. They are derived
data: a page that shows one reads it through `reads.Reads`, which records
the table's key (``("mentions", "dji")``, ``("aliases", "")``), so an
incremental build can tell which pages an edit touches by comparing the
tables before and after it.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping

from .dates import When
from .model import Corpus, Dossier, Relationship, Source
from .text import Text, wikilink_targets


@dataclass(frozen=True)
class Mention:
    """An entry of another dossier that links to, or targets, a dossier."""

    dossier: str        # the mentioning dossier's id
    dossier_name: str
    anchor: str
    kind: str           # "claim", "event", "relationship", ...
    text: Text | None


@dataclass(frozen=True)
class Citing:
    """Something that cites a source, with the locator of that citation."""

    dossier: str
    dossier_name: str
    anchor: str
    kind: str           # "profile fact", "claim", "event", "response", "no reply", "relationship"
    text: Text
    locator: str | None
    lang: str = "zh"    # the language tag of Chinese runs in its text


@dataclass(frozen=True)
class Tie:
    """One reason two dossiers are related: an entry of one (`dossier`) that targets or links the other."""

    dossier: str        # whose entry it is
    anchor: str         # the entry's id on that dossier's page
    kind: str           # "claim", "event", "relationship"
    relationship: str | None  # a relationship's type id when the entry is a relationship targeting the other


@dataclass(frozen=True)
class Related:
    """Another dossier tied to this one, and every tie, whichever dossier holds it."""

    dossier: str
    dossier_name: str
    ties: tuple[Tie, ...]   # this dossier's entries first, then the other's, each in page order


Counts = tuple[tuple[str, int], ...]  # (dossier id, how many), in dossier order, dossiers with none left out


@dataclass(frozen=True)
class Indexes:
    mentions: Mapping[str, tuple[Mention, ...]]  # dossier id -> mentions of it, in dossier then page order
    citing: Mapping[str, tuple[Citing, ...]]     # source id -> what cites it
    related: Mapping[str, tuple[Related, ...]]  # dossier id -> related, by name
    aliases: Mapping[str, tuple[str, ...]]      # dossier id -> names automatic links match
    # What the cross-company pages list, so each page reads only the dossiers it shows:
    topics: Mapping[str, Counts]    # topic -> claims and events on it, per dossier
    years: Mapping[str, Counts]     # year -> events that sort into it, per dossier
    sectors: Mapping[str, tuple[str, ...]]  # sector -> the dossiers in it
    source_kinds: Mapping[str, tuple[tuple[str, str], ...]]  # kind -> (initial, source id)




def build_indexes(corpus: Corpus) -> Indexes:
    mentions: dict[str, list[Mention]] = defaultdict(list)
    citing: dict[str, list[Citing]] = defaultdict(list)
    ties: dict[str, dict[str, list[Tie]]] = defaultdict(lambda: defaultdict(list))
    for dossier in corpus.dossiers:
        for statement in dossier.statements():
            item = statement.item
            shown = statement.text if statement.text is not None else _other_end(item, corpus)
            for ref in statement.sources:
                citing[ref.id].append(Citing(dossier.id, dossier.name, statement.anchor, statement.kind,
                                             shown, ref.locator, dossier.text_lang))
            if statement.kind in ("response", "no reply", "profile fact"):
                continue  # mentions come from entries (with their responses) and relationships
            texts = [statement.text or ""]
            if statement.kind in ("claim", "event"):
                texts += [r.text for r in item.responses]  # type: ignore[union-attr]
            linked = {t for text in texts for t in wikilink_targets(text)}
            if isinstance(item, Relationship) and item.target:
                linked.add(item.target)
            for target in sorted(linked - {dossier.id}):
                mentions[target].append(Mention(dossier.id, dossier.name, statement.anchor, statement.kind,
                                                statement.text))
                if corpus.has_dossier(target):
                    tie = Tie(dossier.id, statement.anchor, statement.kind,
                              item.type if isinstance(item, Relationship) and item.target == target else None)
                    ties[dossier.id][target].append(tie)
                    ties[target][dossier.id].append(tie)
    return Indexes(MappingProxyType({k: tuple(v) for k, v in mentions.items()}),
                   MappingProxyType({k: tuple(v) for k, v in citing.items()}),
                   MappingProxyType({k: _related(k, v, corpus) for k, v in ties.items()}),
                   MappingProxyType({d.id: names_of(d) for d in corpus.dossiers}),
                   _counts((d.id, e.topic) for d in corpus.dossiers for e in d.entries if e.topic),
                   _counts((d.id, year_of(e.when)) for d in corpus.dossiers for e in d.events),
                   _grouped((s, d.id) for d in corpus.dossiers for s in dict.fromkeys(d.sectors)),
                   _grouped((s.kind, (initial(s.title), s.id)) for s in _unique(corpus)))


def year_of(when: When) -> str:
    """The year an event is listed under on the timeline: the year it sorts by (a period's end;
    an ongoing period's start)."""
    return f"{when.sort_key()[0]:04d}"


def initial(title: str) -> str:
    """Where a title is filed when a list of sources is split by initial: its first letter or digit,
    a-z, '0-9', or 'other' (a title in Chinese, say)."""
    first = next((c for c in title.casefold() if c.isalnum()), "")
    if "a" <= first <= "z":
        return first
    return "0-9" if "0" <= first <= "9" else "other"


def _counts(pairs: Iterable[tuple[str, str]]) -> Mapping[str, Counts]:
    """(dossier, key) pairs in dossier order -> key -> ((dossier, n), ...)."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for dossier_id, k in pairs:
        out[k][dossier_id] = out[k].get(dossier_id, 0) + 1
    return MappingProxyType({k: tuple(v.items()) for k, v in sorted(out.items())})


def _grouped(pairs: Iterable[tuple[str, Any]]) -> Mapping[str, tuple[Any, ...]]:
    out: dict[str, list[Any]] = defaultdict(list)
    for k, value in pairs:
        out[k].append(value)
    return MappingProxyType({k: tuple(v) for k, v in sorted(out.items())})


def _unique(corpus: Corpus) -> Iterator[Source]:
    """Sources in bibliography order, each id once (the first definition, as `Corpus.source` has it)."""
    seen: set[str] = set()
    for source in corpus.sources:
        if source.id not in seen:
            seen.add(source.id)
            yield source


def names_of(dossier: Dossier) -> tuple[str, ...]:
    """The names automatic links look for: name, legal name, native name, aliases (each once)."""
    names = (dossier.name, dossier.legal_name, dossier.native_name, *dossier.aliases)
    return tuple(dict.fromkeys(n for n in names if n))


def _related(dossier_id: str, by_other: dict[str, list[Tie]], corpus: Corpus) -> tuple[Related, ...]:
    out = []
    for other, found in by_other.items():
        own = [t for t in found if t.dossier == dossier_id]
        theirs = [t for t in found if t.dossier != dossier_id]
        out.append(Related(other, corpus.dossier(other).name, tuple(own + theirs)))
    return tuple(sorted(out, key=lambda r: (r.dossier_name.casefold(), r.dossier)))


def _other_end(item: object, corpus: Corpus) -> str:
    """A relationship without text is shown by the name at its other end."""
    if isinstance(item, Relationship):
        if item.party:
            party = corpus.party(item.party)
            return party.name if party else item.party
        return corpus.dossier(item.target).name if item.target and corpus.has_dossier(item.target) else ""
    return ""
