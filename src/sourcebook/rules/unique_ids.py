"""Ids are unique in their scope: sources across the bibliography, entries within a dossier;
no entry takes an id the page uses for a section (`anchors.SECTIONS`)."""
from __future__ import annotations

from .. import anchors
from ..problems import Code, Pos, one_of
from .rule import Context, Rule

DUPLICATE_ID = Code("duplicate-id", "an id used twice in its scope")
RESERVED_ID = Code("reserved-id", "an id the page uses for itself")


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
        seen: dict[str, Pos] = {}
        items = [(e.id, e.pos, e.kind) for e in dossier.entries]
        items += [(r.id, r.pos, "relationship") for r in dossier.relationships]
        for item_id, pos, kind in items:
            if not item_id:
                continue  # its id could not be read: already reported
            if item_id in anchors.SECTIONS:
                report.error(pos, RESERVED_ID, f"{kind} id '{item_id}' is used by the page itself; "
                             f"reserved: {one_of(anchors.SECTIONS)}")
            elif item_id in seen:
                report.error(pos, DUPLICATE_ID, f"{kind} id '{item_id}' is already used at line "
                             f"{seen[item_id].line} (claims, events and relationships share one set of ids "
                             "per dossier)")
            else:
                seen[item_id] = pos


RULE = Rule("unique-ids", (DUPLICATE_ID, RESERVED_ID), check)
