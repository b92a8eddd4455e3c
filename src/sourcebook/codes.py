"""Every problem code, gathered from the modules that declare them (for docs/errors.md and its tests).

A module that reports problems declares its codes as `Code` values and lists
them in its `CODES`; rules, page families and outputs declare theirs in their
registration. tests/test_errors.py checks that every code is gathered here,
documented and triggered by a fixture.
"""
from __future__ import annotations

from . import extra, linkcheck, load, problems, reading, render, settings, validate
from .changes import replay
from .destinations import folder
from .destinations import zip as zip_destination
from .families import FAMILIES
from .outputs import OUTPUTS
from .problems import Code
from .rules import RULES

CORE = (problems, load, reading, validate, settings, render, linkcheck, folder, zip_destination, extra, replay)


def registered() -> dict[str, Code]:
    """Code name -> Code, in the order docs/errors.md lists them."""
    found: dict[str, Code] = {}
    groups = [m.CODES for m in CORE]
    groups += [r.codes for r in RULES] + [f.codes for f in FAMILIES] + [o.codes for o in OUTPUTS]
    for group in groups:
        for code in group:
            found.setdefault(str(code), code)
    return found
