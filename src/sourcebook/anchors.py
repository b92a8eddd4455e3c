"""The anchor grammar: every element id on every page comes from here.

Four productions, which no two can share a spelling:

- *content*: a dossier's own entry id (``us-army-ban``), as `ids.ID_PATTERN`
  allows: lowercase groups joined by single hyphens, never ``_`` or ``--``;
- *section*: a page section's name (``references``, ``timeline``), a closed
  list, which content ids may therefore not use (`SECTIONS`, documented as
  the reserved ids in docs/dossier-format.md);
- *foreign*: an entry shown outside its dossier, ``<dossier>--<entry>``:
  the double hyphen is the one thing a content id can never hold, and it
  holds no ``_``;
- *structural*: an id a page makes for itself, ``<kind>_<part>[_<part>...]``,
  its kind from the closed list `KINDS`: it always holds ``_``, which no
  content, section or foreign id does.

`classify` tells the productions apart (tests check it on every id of the
shipped site), and `linkcheck` fails a build whose page holds one id twice.
"""
from __future__ import annotations

import re

from .ids import ID_PATTERN

SECTIONS = (
    "main", "content", "top", "nav", "search", "search-results", "profile", "claims", "timeline",
    "relationships", "related", "mentioned-in", "references", "cited-by", "sources", "footer",
    "contents", "legend", "graph", "history", "data",
)
KINDS = (
    "heading",   # heading_<section or structural part>: a section's heading, for aria-labelledby
    "ref",       # ref_<n>: reference n in a page's reference list
    "cite",      # cite_<anchor>_<k>: the k-th citation marker of the entry with that anchor
    "topic",     # topic_<topic>: a topic's group of claims
    "profile",   # profile_<field>: a profile fact
    "response",  # response_<entry anchor>_<i>: the i-th response to an entry
    "reply",     # reply_<entry anchor>: an entry's cited note that no reply is on record
    "group",     # group_<key>: a group on a cross-company page (a company, a kind, a letter, a year)
    "part",      # part_<name>: any other part of a page a theme wants to name
)
_SECTIONS = frozenset(SECTIONS)
_KINDS = frozenset(KINDS)
_PART = re.compile(rf"(?:{ID_PATTERN.pattern})(?:--{ID_PATTERN.pattern})?|[0-9]+")


def section(name: str) -> str:
    if name not in _SECTIONS:
        raise ValueError(f"{name!r} is not a declared section id (anchors.SECTIONS)")
    return name


def content(entry_id: str) -> str:
    if not ID_PATTERN.fullmatch(entry_id) or entry_id in _SECTIONS:
        raise ValueError(f"{entry_id!r} is not a content id")
    return entry_id


def foreign(dossier: str, entry_id: str) -> str:
    """An entry of `dossier` shown on another page (a topic page, the timeline)."""
    if not ID_PATTERN.fullmatch(dossier) or not ID_PATTERN.fullmatch(entry_id):
        raise ValueError(f"{dossier!r}, {entry_id!r}: a foreign id joins a dossier id and an entry id")
    return f"{dossier}--{entry_id}"


def structural(kind: str, *parts: object) -> str:
    if kind not in _KINDS:
        raise ValueError(f"{kind!r} is not a declared anchor kind (anchors.KINDS)")
    if not parts:
        raise ValueError("a structural id has at least one part")
    return "_".join((kind, *(str(p) for p in parts)))


def heading(of: str) -> str:
    return structural("heading", of)


def ref(number: int) -> str:
    return structural("ref", number)


def cite(anchor: str, k: int) -> str:
    return structural("cite", anchor, k)


def topic(topic_id: str) -> str:
    return structural("topic", topic_id)


def profile(field: str) -> str:
    return structural("profile", field)


def response(entry_anchor: str, i: int) -> str:
    return structural("response", entry_anchor, i)


def reply(entry_anchor: str) -> str:
    return structural("reply", entry_anchor)


def group(key: str) -> str:
    return structural("group", key)


def support(dossier: str, entry_id: str, fact: str) -> str:
    """What names the citation markers of an entry supporting one fact on the comparison page
    (``cite_<dossier>--<entry>_<fact>_<k>``): one entry may support several facts there."""
    if not ID_PATTERN.fullmatch(fact):
        raise ValueError(f"{fact!r} is not a fact id")
    return f"{foreign(dossier, entry_id)}_{fact}"


def classify(anchor: str) -> str:
    """Which production made `anchor`: "content", "section", "foreign" or "structural"; ValueError else."""
    if anchor in _SECTIONS:
        return "section"
    if ID_PATTERN.fullmatch(anchor):
        return "content"
    if "_" in anchor:
        kind, _, rest = anchor.partition("_")
        if kind in _KINDS and rest and all(_valid_part(p) for p in rest.split("_")):
            return "structural"
    else:
        dossier, sep, entry = anchor.partition("--")
        if sep and ID_PATTERN.fullmatch(dossier) and ID_PATTERN.fullmatch(entry):
            return "foreign"
    raise ValueError(f"{anchor!r} is not an id of the anchor grammar")


def _valid_part(part: str) -> bool:
    return bool(_PART.fullmatch(part)) or part in _SECTIONS


class Ids:
    """The grammar as templates see it: ``{{ ids.section('references') }}``, ``{{ ids.ref(3) }}``."""

    section = staticmethod(section)
    heading = staticmethod(heading)
    ref = staticmethod(ref)
    topic = staticmethod(topic)
    group = staticmethod(group)
    structural = staticmethod(structural)


IDS = Ids()
