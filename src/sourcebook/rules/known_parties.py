"""Every relationship's party names a party in parties.yaml, so one organisation is one party
everywhere; every party listed is named by something (a warning). Skipped while parties.yaml
cannot be read."""
from __future__ import annotations

from ..problems import Code, did_you_mean
from .rule import Context, Rule

UNKNOWN_PARTY = Code("unknown-party", "a relationship's party that parties.yaml does not define")
UNUSED_PARTY = Code("unused-party", "a party no relationship names (warning)")


def check(context: Context) -> None:
    if context.parties_unread:
        return
    corpus, report = context.corpus, context.report
    known = {p.id for p in corpus.parties}
    named: set[str] = set()
    for dossier in corpus.dossiers:
        for rel in dossier.relationships:
            if rel.party is None:
                continue
            named.add(rel.party)
            if rel.party not in known:
                where = context.parties_display or "parties.yaml"
                report.error(rel.target_pos, UNKNOWN_PARTY, f"relationship '{rel.id}' names party '{rel.party}', "
                             f"which is not in {where.rsplit('/', 1)[-1]}{did_you_mean(rel.party, known)}")
    if not context.unread_dossiers:
        for party in corpus.parties:
            if party.id not in named:
                report.warn(party.pos, UNUSED_PARTY, f"party '{party.id}' is named by no relationship")


RULE = Rule("known-parties", (UNKNOWN_PARTY, UNUSED_PARTY), check)
