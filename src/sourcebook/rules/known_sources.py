"""Every citation names a source in sources.yaml (skipped when sources.yaml could not be read)."""
from __future__ import annotations

from ..problems import Code, did_you_mean
from .rule import Context, Rule

UNKNOWN_SOURCE = Code("unknown-source", "a citation of a source that sources.yaml does not define")


def check(context: Context) -> None:
    if context.sources_unread:
        return
    known = {s.id for s in context.corpus.sources}
    for dossier in context.corpus.dossiers:
        for statement in dossier.statements():
            for ref in statement.sources:
                if ref.id not in known:
                    context.report.error(ref.pos, UNKNOWN_SOURCE, f"{statement.label} cites '{ref.id}', which is "
                                         f"not in sources.yaml{did_you_mean(ref.id, known)}")


RULE = Rule("known-sources", (UNKNOWN_SOURCE,), check)
