"""The corpus-wide tables views need, computed once per build from the statement walk.

For each dossier, the entries of *other* dossiers that link to or target it
("mentioned in"); for each source, everything that cites it. They are
derived data: a page that shows one reads it through `reads.Reads`, which
records the table's key (``("mentions", "dji")``), so an incremental build
can tell which pages an edit touches by comparing the tables before and
after it.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from .model import Corpus, Dossier, Relationship
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
class Indexes:
    mentions: Mapping[str, tuple[Mention, ...]]  # dossier id -> mentions of it, in dossier then page order
    citing: Mapping[str, tuple[Citing, ...]]     # source id -> what cites it


def build_indexes(corpus: Corpus) -> Indexes:
    mentions: dict[str, list[Mention]] = defaultdict(list)
    citing: dict[str, list[Citing]] = defaultdict(list)
    for dossier in corpus.dossiers:
        mentioned, cited = contributions(dossier, corpus)
        for target, found in mentioned.items():
            mentions[target].extend(found)
        for source_id, found_citing in cited.items():
            citing[source_id].extend(found_citing)
    return Indexes(MappingProxyType({k: tuple(v) for k, v in mentions.items()}),
                   MappingProxyType({k: tuple(v) for k, v in citing.items()}))


def contributions(dossier: Dossier, corpus: Corpus) -> tuple[dict[str, list[Mention]], dict[str, list[Citing]]]:
    """One dossier's part of each table: each table entry is its dossiers' parts in dossier order, so the
    history can tell which entries an edit to one dossier changed. The corpus is read only for the names
    a relationship without text is shown by (`_other_end`)."""
    mentions: dict[str, list[Mention]] = defaultdict(list)
    citing: dict[str, list[Citing]] = defaultdict(list)
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
    return mentions, citing


def _other_end(item: object, corpus: Corpus) -> str:
    """A relationship without text is shown by the name at its other end."""
    if isinstance(item, Relationship):
        if item.party:
            party = corpus.party(item.party)
            return party.name if party else item.party
        return corpus.dossier(item.target).name if item.target and corpus.has_dossier(item.target) else ""
    return ""
