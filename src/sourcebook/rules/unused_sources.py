"""Every source is cited by something (a warning; skipped while a dossier cannot be read,
since it may be the one that cites it)."""
from __future__ import annotations

from ..problems import Code
from .rule import Context, Rule

UNUSED_SOURCE = Code("unused-source", "a source nothing cites (warning)")


def check(context: Context) -> None:
    if context.unread_dossiers:
        return
    cited = {ref.id for d in context.corpus.dossiers for s in d.statements() for ref in s.sources}
    for source in context.corpus.sources:
        if source.id not in cited:
            context.report.warn(source.pos, UNUSED_SOURCE, f"source '{source.id}' is cited by nothing")


RULE = Rule("unused-sources", (UNUSED_SOURCE,), check)
