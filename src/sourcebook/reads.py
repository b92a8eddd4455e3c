"""Pages record what they read: the one way view builders reach the corpus.

A view builder gets a `Reads` for its page and asks it for what it shows
(``reads.dossier("dji")``, ``reads.name("dahua")``, ``reads.citing(src)``);
each call records a coarse key — a dossier, only a dossier's name, a source,
a vocabulary, the list of dossiers or of sources, the about page, a derived
table entry, a setting — and returns the data. The renderer adds the page's
templates and the site chrome, and fragments reused from another page replay
the reads of their first render. The record is the page's dependency list:
nobody writes one by hand.

Whatever a read returns that holds Markdown also records the names that
Markdown's wiki-links will print, so a record made before rendering is
already complete (`diff` lists the pages an edit changes from records
alone). `value_of` says what each key denotes: an edit changes a page only
if it changes the value of a key the page recorded
(tests/test_reads.py checks this for a table of edit kinds).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .indexes import Citing, Counts, Indexes, Mention, Related
from .model import Corpus, Dossier, Party, Source
from .reading import wikilinks_of
from .settings import Settings
from .urls import Key as RouteKey, Route, Target

Key = tuple[str, str]
KINDS = ("dossier", "name", "dossiers", "source", "sources", "party", "parties", "vocabulary", "about",
         "mentions", "citing", "related", "aliases", "topic", "year", "years", "sector", "source-kind", "setting",
         "chrome", "template")
DOSSIERS: Key = ("dossiers", "")
SOURCES: Key = ("sources", "")
PARTIES: Key = ("parties", "")
ABOUT: Key = ("about", "")
CHROME: Key = ("chrome", "")
ALIASES: Key = ("aliases", "")  # every dossier's names: what automatic links match
YEARS: Key = ("years", "")      # the years the timeline has events in
_INTERNED: dict[Key, Key] = {}


def key(kind: str, name: str = "") -> Key:
    """One shared tuple per key, so a site's records cost a pointer per read."""
    k = (kind, name)
    return _INTERNED.setdefault(k, k)


@dataclass(frozen=True)
class Inputs:
    """Everything pages are made from (but the theme, which the renderer holds)."""

    corpus: Corpus
    indexes: Indexes
    settings: Settings
    routes: Mapping[str, Route]  # family name -> its route, from the registry
    # A dossier's read also records the names its texts' wiki-links print; the cross-company pages read
    # each dossier many times, so that list is made once per dossier (it was a third of the views' time).
    _names: dict[str, tuple[Key, ...]] = field(default_factory=dict, compare=False, repr=False)

    def target(self, family: str, key: RouteKey = None, fragment: str = "") -> Target:
        """Where a family's page is: views link to other families by name, never by path."""
        return self.routes[family].target(key, fragment)

    def names_in(self, dossier: Dossier) -> tuple[Key, ...]:
        """The ("name", id) keys of every dossier a dossier's texts wiki-link."""
        found = self._names.get(dossier.id)
        if found is None:
            found = self._names[dossier.id] = tuple(dict.fromkeys(
                key("name", target) for s in dossier.statements() for target in wikilinks_of(s.text)))
        return found


class Reads:
    """One page's recorded access to its inputs."""

    __slots__ = ("inputs", "keys")

    def __init__(self, inputs: Inputs) -> None:
        self.inputs = inputs
        self.keys: set[Key] = set()

    def record(self, keys: Iterable[Key]) -> None:
        self.keys.update(keys)

    def dossier(self, dossier_id: str) -> Dossier:
        dossier = self.inputs.corpus.dossier(dossier_id)
        self.keys.add(key("dossier", dossier_id))
        self.keys.update(self.inputs.names_in(dossier))
        return dossier

    def name(self, dossier_id: str) -> str:
        self.keys.add(key("name", dossier_id))
        corpus = self.inputs.corpus
        return corpus.dossier(dossier_id).name if corpus.has_dossier(dossier_id) else dossier_id

    def dossier_ids(self) -> tuple[str, ...]:
        self.keys.add(DOSSIERS)
        return tuple(d.id for d in self.inputs.corpus.dossiers)

    def source(self, source_id: str) -> Source:
        self.keys.add(key("source", source_id))
        return self.inputs.corpus.source(source_id)

    def source_ids(self) -> tuple[str, ...]:
        self.keys.add(SOURCES)
        return tuple(s.id for s in self.inputs.corpus.sources)

    def party(self, party_id: str) -> Party | None:
        self.keys.add(key("party", party_id))
        return self.inputs.corpus.party(party_id)

    def party_name(self, party_id: str) -> str:
        party = self.party(party_id)
        return party.name if party else party_id

    def party_ids(self) -> tuple[str, ...]:
        self.keys.add(PARTIES)
        return tuple(p.id for p in self.inputs.corpus.parties)

    def vocabulary(self, name: str) -> Mapping[str, str]:
        self.keys.add(key("vocabulary", name))
        return self.inputs.settings.vocabulary(name)

    def setting(self, name: str) -> Any:
        self.keys.add(key("setting", name))
        return self.inputs.settings.values[name]

    def about(self) -> Any:
        self.keys.add(ABOUT)
        about = self.inputs.corpus.about
        self._names_in([about])
        return about

    def mentions(self, dossier_id: str) -> tuple[Mention, ...]:
        self.keys.add(key("mentions", dossier_id))
        found = self.inputs.indexes.mentions.get(dossier_id, ())
        self._names_in(m.text for m in found)
        return found

    def citing(self, source_id: str) -> tuple[Citing, ...]:
        self.keys.add(key("citing", source_id))
        found = self.inputs.indexes.citing.get(source_id, ())
        self._names_in(c.text for c in found)
        return found

    def related(self, dossier_id: str) -> tuple[Related, ...]:
        self.keys.add(key("related", dossier_id))
        return self.inputs.indexes.related.get(dossier_id, ())

    def aliases(self) -> Mapping[str, tuple[str, ...]]:
        """Every dossier's names: read by a view whose texts are automatically linked (the renderer
        matches them; the page's bytes change when any dossier's names do)."""
        self.keys.add(ALIASES)
        return self.inputs.indexes.aliases

    def topic(self, topic_id: str) -> Counts:
        """(dossier, claims and events on the topic) for every dossier with any."""
        self.keys.add(key("topic", topic_id))
        return self.inputs.indexes.topics.get(topic_id, ())

    def years(self) -> tuple[str, ...]:
        self.keys.add(YEARS)
        return tuple(self.inputs.indexes.years)

    def year(self, year: str) -> Counts:
        """(dossier, events listed under the year) for every dossier with any."""
        self.keys.add(key("year", year))
        return self.inputs.indexes.years.get(year, ())

    def sector(self, sector_id: str) -> tuple[str, ...]:
        """The dossiers in a sector."""
        self.keys.add(key("sector", sector_id))
        return self.inputs.indexes.sectors.get(sector_id, ())

    def source_kind(self, kind: str) -> tuple[tuple[str, str], ...]:
        """(initial, source id) for every source of a kind, in bibliography order."""
        self.keys.add(key("source-kind", kind))
        return self.inputs.indexes.source_kinds.get(kind, ())

    def _names_in(self, texts: Iterable[object]) -> None:
        for text in texts:
            for target in wikilinks_of(text):
                self.keys.add(key("name", target))


def value_of(k: Key, inputs: Inputs, chrome: object = None, templates: Mapping[str, str] | None = None) -> Any:
    """What a key denotes in these inputs: equal values mean the pages that read it need not change."""
    kind, name = k
    corpus = inputs.corpus
    if kind == "dossier":
        return corpus.dossier(name) if corpus.has_dossier(name) else None
    if kind == "name":
        return corpus.dossier(name).name if corpus.has_dossier(name) else None
    if kind == "dossiers":
        return tuple(d.id for d in corpus.dossiers)
    if kind == "source":
        return next((s for s in corpus.sources if s.id == name), None)
    if kind == "sources":
        return tuple(s.id for s in corpus.sources)
    if kind == "party":
        return corpus.party(name)
    if kind == "parties":
        return tuple(p.id for p in corpus.parties)
    if kind == "vocabulary":
        return dict(inputs.settings.vocabulary(name))
    if kind == "setting":
        return inputs.settings.values.get(name)
    if kind == "about":
        return corpus.about
    if kind == "mentions":
        return inputs.indexes.mentions.get(name, ())
    if kind == "citing":
        return inputs.indexes.citing.get(name, ())
    if kind == "related":
        return inputs.indexes.related.get(name, ())
    if kind == "aliases":
        return dict(inputs.indexes.aliases)
    if kind == "topic":
        return inputs.indexes.topics.get(name, ())
    if kind == "year":
        return inputs.indexes.years.get(name, ())
    if kind == "years":
        return tuple(inputs.indexes.years)
    if kind == "sector":
        return inputs.indexes.sectors.get(name, ())
    if kind == "source-kind":
        return inputs.indexes.source_kinds.get(name, ())
    if kind == "chrome":
        return chrome
    if kind == "template":
        return (templates or {}).get(name)
    raise ValueError(f"unknown read kind {kind!r}")
