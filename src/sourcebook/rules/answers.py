"""The other side's answer: a contested entry shows it, or says that none is on record.

A response that only says the company did not reply is not an answer: such an
entry is unanswered, and says so with `no_reply`, which renders differently.
"Only says" is one sentence saying so ("declined to comment", "did not reply");
a response that goes on to give the company's position is an answer.
"""
from __future__ import annotations

import re

from ..problems import Code
from ..text import plain
from .rule import Context, Rule

CONTESTED_UNANSWERED = Code("contested-unanswered",
                            "a contested entry with no response and no no_reply (warning)")
SILENCE_AS_RESPONSE = Code("silence-as-response",
                           "a response that only says there was no reply, which is no_reply's job (warning)")
_SILENCE = re.compile(r"\b(did not|didn't|does not|has not|had not|declined to|refused to|failed to)\s+"
                      r"(reply|respond|comment|answer)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?:\s+|$)")


def check(context: Context) -> None:
    for dossier in context.corpus.dossiers:
        for entry in dossier.entries:
            if entry.status == "contested" and not entry.responses and entry.no_reply is None:
                context.report.warn(entry.pos, CONTESTED_UNANSWERED,
                                    f"{entry.kind} '{entry.id}' is contested but gives the other side no response: "
                                    "add its response with its sources, or no_reply: none-on-record (or a cited "
                                    "no_reply: {text, sources}) when none is on record")
            for response in entry.responses:
                words = plain(response.text)
                if _SILENCE.search(words) and len(_SENTENCE_END.findall(words.rstrip() + " ")) <= 1:
                    context.report.warn(response.pos, SILENCE_AS_RESPONSE,
                                        f"a response to {entry.kind} '{entry.id}' only says there was no reply; "
                                        "write it as no_reply: {text, sources}, so the entry reads as unanswered")


RULE = Rule("answers", (CONTESTED_UNANSWERED, SILENCE_AS_RESPONSE), check)
