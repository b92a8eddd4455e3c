"""Ids are unique in their scope: sources across the bibliography, entries within a dossier;
no entry takes an id the page uses for a section (`anchors.SECTIONS`).

An entry's `former_ids` are permalinks too (the page keeps an element with
each, so an old link still leads to the entry): each must be free of every
current id of its dossier, of every other former id there, and of the
reserved ids.
"""
from __future__ import annotations

from .. import anchors
from ..model import Dossier
from ..problems import Code, Pos, Report, one_of
from .rule import Context, Rule

DUPLICATE_ID = Code("duplicate-id", "an id used twice in its scope")
RESERVED_ID = Code("reserved-id", "an id (or former id) the page uses for itself")
FORMER_ID_IN_USE = Code("former-id-in-use", "a former id that is an entry's current id in the same dossier")
DUPLICATE_FORMER_ID = Code("duplicate-former-id", "a former id listed twice in one dossier")


def check(context: Context) -> None:
    report = context.report
    first: dict[str, Pos] = {}
    for source in context.corpus.sources:
        if source.id in first:
            report.error(source.pos, DUPLICATE_ID, f"source '{source.id}' is already defined at line "
                         f"{first[source.id].line}")
        else:
            first[source.id] = source.pos
    for dossier in context.corpus.dossiers:
        current = _current_ids(dossier, report)
        _former_ids(dossier, current, report)


def _items(dossier: Dossier):
    """(id, kind, pos, former ids, their positions) of every claim, event and relationship."""
    for e in dossier.entries:
        yield e.id, e.kind, e.pos, e.former_ids, e.former_pos
    for r in dossier.relationships:
        yield r.id, "relationship", r.pos, r.former_ids, r.former_pos


def _current_ids(dossier: Dossier, report: Report) -> dict[str, tuple[str, Pos]]:
    seen: dict[str, tuple[str, Pos]] = {}
    for item_id, kind, pos, _, _ in _items(dossier):
        if not item_id:
            continue  # its id could not be read: already reported
        if item_id in anchors.SECTIONS:
            report.error(pos, RESERVED_ID, f"{kind} id '{item_id}' is used by the page itself; "
                         f"reserved: {one_of(anchors.SECTIONS)}")
        elif item_id in seen:
            report.error(pos, DUPLICATE_ID, f"{kind} id '{item_id}' is already used at line "
                         f"{seen[item_id][1].line} (claims, events and relationships share one set of ids "
                         "per dossier)")
        else:
            seen[item_id] = (kind, pos)
    return seen


def _former_ids(dossier: Dossier, current: dict[str, tuple[str, Pos]], report: Report) -> None:
    claimed: dict[str, tuple[str, str, Pos]] = {}  # former id -> (kind, id, where) of the first entry listing it
    for item_id, kind, _, former_ids, former_pos in _items(dossier):
        for former, pos in zip(former_ids, former_pos):
            what = f"former id '{former}' of {kind} '{item_id}'"
            if former in anchors.SECTIONS:
                report.error(pos, RESERVED_ID, f"{what} is used by the page itself; reserved: "
                             f"{one_of(anchors.SECTIONS)}")
            elif former == item_id:
                report.error(pos, FORMER_ID_IN_USE, f"{kind} '{item_id}' lists its own id among its former ids")
            elif former in current:
                other_kind, other_pos = current[former]
                report.error(pos, FORMER_ID_IN_USE, f"{what} is the id of {other_kind} '{former}' (line "
                             f"{other_pos.line}): an old permalink must lead to one entry")
            elif former in claimed:
                other_kind, other_id, other_pos = claimed[former]
                if other_id == item_id:
                    message = f"{what} is listed twice (first at line {other_pos.line})"
                else:
                    message = (f"{what} is also a former id of {other_kind} '{other_id}' (line {other_pos.line}): "
                               "an old permalink must lead to one entry")
                report.error(pos, DUPLICATE_FORMER_ID, message)
            else:
                claimed[former] = (kind, item_id, pos)


RULE = Rule("unique-ids", (DUPLICATE_ID, RESERVED_ID, FORMER_ID_IN_USE, DUPLICATE_FORMER_ID), check)
