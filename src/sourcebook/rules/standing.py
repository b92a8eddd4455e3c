"""A relationship that is only reported, or has ended, says what and when: a reported tie
(talks, a planned deal) has text saying what was reported; an ended one has an as_of."""
from __future__ import annotations

from ..problems import Code
from .rule import Context, Rule

STANDING_UNEXPLAINED = Code("standing-unexplained",
                            "a reported relationship without text, or an ended one without as_of (warning)")


def check(context: Context) -> None:
    for dossier in context.corpus.dossiers:
        for rel in dossier.relationships:
            if rel.standing == "reported" and rel.text is None:
                context.report.warn(rel.pos, STANDING_UNEXPLAINED, f"relationship '{rel.id}' is reported, not "
                                    "established, but says nothing of what was reported: add text (the talks, the "
                                    "planned deal)")
            elif rel.standing == "ended" and rel.as_of is None:
                context.report.warn(rel.pos, STANDING_UNEXPLAINED, f"relationship '{rel.id}' has ended but gives "
                                    "no as_of: say when it held or ended (2015..2019, ..2019)")


RULE = Rule("standing", (STANDING_UNEXPLAINED,), check)
