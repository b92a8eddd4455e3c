"""A source restricted to identity facts (`restricted_to: identity-facts`, such as a reference
work) supports only those: an entry resting on such sources alone is an identity profile field
(the `identity_fields` setting), attributed (`according_to`), or marked unconfirmed."""
from __future__ import annotations

from ..model import Entry, ProfileFact, Relationship
from ..problems import Code, one_of
from .rule import Context, Rule

RESTRICTED_SOURCE = Code("restricted-source",
                         "an entry resting only on sources restricted to identity facts (warning)")


def check(context: Context) -> None:
    restricted = {s.id for s in context.corpus.sources if s.restricted_to == "identity-facts"}
    if not restricted:
        return
    identity = set(context.settings.identity_fields)
    for dossier in context.corpus.dossiers:
        for statement in dossier.statements():
            ids = [ref.id for ref in statement.sources]
            if not ids or not set(ids) <= restricted or statement.kind in ("response", "no reply"):
                continue
            item = statement.item
            if isinstance(item, ProfileFact) and item.key in identity:
                continue
            if isinstance(item, Entry) and (item.according_to or item.status == "unconfirmed"):
                continue
            if isinstance(item, Relationship) and item.status == "unconfirmed":
                continue
            context.report.warn(statement.pos, RESTRICTED_SOURCE,
                                f"{statement.label} rests only on {one_of(set(ids))}, restricted to identity "
                                f"facts: {_remedy(item)}")


def _remedy(item: object) -> str:
    if isinstance(item, ProfileFact):
        return "cite another source, or add the field to the identity_fields setting if it is one"
    if isinstance(item, Relationship):
        return "cite another source, or mark it status: unconfirmed"
    return "cite another source, say whose claim it is (according_to), or mark it status: unconfirmed"


RULE = Rule("restricted-sources", (RESTRICTED_SOURCE,), check)
