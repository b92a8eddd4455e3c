"""Every [[wiki-link]] and relationship target names a dossier (one that exists, or a file that
could not be read, whose checks are skipped); no relationship targets its own dossier.
Each problem points at the value at fault: the line holding the link, the target's value."""
from __future__ import annotations

from ..problems import Code, did_you_mean
from ..reading import wikilinks_of
from .rule import Context, Rule

UNKNOWN_DOSSIER = Code("unknown-dossier", "a [[link]] or relationship target that names no dossier")
SELF_RELATIONSHIP = Code("self-relationship", "a relationship of a dossier with itself")


def check(context: Context) -> None:
    report = context.report
    existing = {d.id for d in context.corpus.dossiers}
    known = existing | context.unread_dossiers
    for dossier in context.corpus.dossiers:
        for statement in dossier.statements():
            for target in wikilinks_of(statement.text):
                if target not in known:
                    report.error(context.locate(statement.text_pos, f"[[{target}"), UNKNOWN_DOSSIER,
                                 f"[[{target}]] in {statement.label} names no dossier{did_you_mean(target, existing)}")
        for rel in dossier.relationships:
            if rel.target is None:
                continue
            if rel.target not in known:
                report.error(rel.target_pos, UNKNOWN_DOSSIER, f"relationship '{rel.id}' targets '{rel.target}', "
                             f"which has no dossier{did_you_mean(rel.target, existing)}; an organisation without "
                             "a dossier is a 'party'")
            elif rel.target == dossier.id:
                report.error(rel.target_pos, SELF_RELATIONSHIP, f"relationship '{rel.id}' targets its own dossier")


RULE = Rule("known-dossiers", (UNKNOWN_DOSSIER, SELF_RELATIONSHIP), check)
