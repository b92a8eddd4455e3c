"""Every claim and event cites at least one source with a locator (a warning)."""
from __future__ import annotations

from ..problems import Code
from .rule import Context, Rule

MISSING_LOCATOR = Code("missing-locator", "a claim or event none of whose citations has a locator (warning)")


def check(context: Context) -> None:
    for dossier in context.corpus.dossiers:
        for entry in dossier.entries:
            if entry.sources and not any(ref.locator for ref in entry.sources):
                context.report.warn(entry.pos, MISSING_LOCATOR,
                                    f"{entry.kind} '{entry.id}' cites no source with a locator; add one "
                                    "({id: ..., locator: para 3}), or 'whole article' where the whole source "
                                    "supports it")


RULE = Rule("locators", (MISSING_LOCATOR,), check)
