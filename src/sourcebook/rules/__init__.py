"""The corpus rules, in the order they run: one module a rule, registered here and nowhere else.

A rule is a `Rule(name, codes, check)`; `check(context)` reports problems.
Each code has a failing fixture with its exact message in tests/test_errors.py
and an example in docs/errors.md. To add a rule: write its module, add one line.
"""
from __future__ import annotations

from . import (answers, homographs, known_dossiers, known_parties, known_sources, locators, modeline,
               restricted_sources, standing, unique_ids, unused_sources)
from .rule import Rule

RULES: tuple[Rule, ...] = (
    unique_ids.RULE,
    known_sources.RULE,
    known_dossiers.RULE,
    known_parties.RULE,
    locators.RULE,
    unused_sources.RULE,
    modeline.RULE,
    # the sourcing policy (docs/dossier-format.md, "The sourcing policy")
    answers.RULE,
    restricted_sources.RULE,
    standing.RULE,
    homographs.RULE,
)
