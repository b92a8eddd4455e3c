"""Word-level differences between two texts (difflib over words), and one-line text.

Texts are compared as sequences of words, so re-wrapping a folded YAML
block or re-indenting changes nothing; a report prints them on one line
(whitespace collapsed), so no text from a dossier can start a line of its own.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

from ..problems import escape_controls

Op = Literal["=", "-", "+"]
CONTEXT = 8          # words kept on each side of a change ...
LONG_RUN = 3 * CONTEXT  # ... when an unchanged run is longer than this; the middle is shown as "…"


def one_line(text: str) -> str:
    """Whitespace (line breaks included) collapsed to single spaces; other controls escaped."""
    return escape_controls(" ".join(text.split()))


@dataclass(frozen=True)
class Words:
    """A word diff: runs of unchanged ("="), removed ("-") and added ("+") words, in reading order."""

    runs: tuple[tuple[Op, str], ...]

    @property
    def added(self) -> int:
        return sum(len(t.split()) for op, t in self.runs if op == "+")

    @property
    def removed(self) -> int:
        return sum(len(t.split()) for op, t in self.runs if op == "-")

    def elided(self) -> "Words":
        """Long unchanged runs shortened to their first and last CONTEXT words around an "…"."""
        out: list[tuple[Op, str]] = []
        last = len(self.runs) - 1
        for i, (op, text) in enumerate(self.runs):
            words = text.split()
            if op == "=" and len(words) > LONG_RUN:
                head = words[:CONTEXT] if i > 0 else []
                tail = words[-CONTEXT:] if i < last else []
                text = " ".join([*head, "…", *tail])
            out.append((op, text))
        return Words(tuple(out))


def word_diff(old: str, new: str) -> Words:
    a, b = old.split(), new.split()
    runs: list[tuple[Op, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(("=", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("+", " ".join(b[j1:j2])))
    return Words(tuple((op, escape_controls(text)) for op, text in runs))


def similarity(old: str, new: str) -> float:
    """How alike two texts are, word by word: 1.0 the same words, 0.0 none shared."""
    a, b = old.split(), new.split()
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
