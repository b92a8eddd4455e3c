"""How other YAML readers type a plain scalar that sourcebook reads as text.

sourcebook keeps every scalar as the text typed (`load.py`). Editors do not:
yaml-language-server (VS Code's YAML extension, and the editors that embed
it) reads YAML 1.2 with the npm `yaml` package's core schema, where a plain
``2015`` is a number, ``true`` a boolean and ``~`` null; YAML 1.1 readers
(PyYAML's loaders, Ruby's, many older tools) read ``yes``, ``no``, ``on`` and
``off`` as booleans too. `check --strict` warns where that happens to a value
meant as text (`validate.NEEDS_QUOTES`), and the JSON Schemas (`schema.py`)
accept numbers only where the format takes them (years, profile values).

The patterns are the npm package's own (yaml 2.x: ``dist/schema/core/*.js``,
``common/null.js``, ``yaml-1.1/bool.js``); tests/test_editor.py runs the
package over the same words and checks that both agree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = re.compile(r"[Tt]rue|TRUE")
_FALSE = re.compile(r"[Ff]alse|FALSE")
_OCT = re.compile(r"0o[0-7]+")
_INT = re.compile(r"[-+]?[0-9]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_INF = re.compile(r"([-+]?)\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.nan|\.NaN|\.NAN")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)")
_YAML11_TRUE = re.compile(r"Y|y|[Yy]es|YES|[Oo]n|ON")
_YAML11_FALSE = re.compile(r"N|n|[Nn]o|NO|[Oo]ff|OFF")
_CAN_START = frozenset("0123456789+-.~nNtTfFyYoO")  # the first characters of every pattern above
_ANY = re.compile("|".join(f"(?:{p.pattern})" for p in (
    _TRUE, _FALSE, _OCT, _INT, _HEX, _INF, _NAN, _FLOAT, _YAML11_TRUE, _YAML11_FALSE)))  # one test for most text
_SAFE_INTEGER = 2 ** 53  # JavaScript numbers are doubles: past this, integers lose digits


@dataclass(frozen=True)
class Typed:
    """What a YAML reader makes of a plain scalar when not a string."""

    reader: str  # "YAML 1.2" or "YAML 1.1"
    kind: str    # "null", "boolean" or "number"
    shown: str   # the value as that reader's world prints it: "null", "false", "1.5"


def typed(text: str) -> Typed | None:
    """How YAML 1.2's core schema (else YAML 1.1) reads a plain scalar; None when both read a string."""
    if text and (text[0] not in _CAN_START or (text[0].isalpha() and len(text) > 5)):
        return None  # most text: no number starts so, and no word YAML types is longer than "false"
    if text in NULL_WORDS:
        return Typed("YAML 1.2", "null", "null")
    if not _ANY.fullmatch(text):
        return None
    if _TRUE.fullmatch(text) or _FALSE.fullmatch(text):
        return Typed("YAML 1.2", "boolean", "true" if _TRUE.fullmatch(text) else "false")
    number = _number(text)
    if number is not None:
        return Typed("YAML 1.2", "number", number)
    if _YAML11_TRUE.fullmatch(text) or _YAML11_FALSE.fullmatch(text):
        return Typed("YAML 1.1", "boolean", "true" if _YAML11_TRUE.fullmatch(text) else "false")
    return None


def _number(text: str) -> str | None:
    """The number YAML 1.2 reads, printed as JavaScript prints it (String(n)); None: not a number."""
    if _OCT.fullmatch(text):
        return _integer(int(text[2:], 8))
    if _INT.fullmatch(text):
        return _integer(int(text))
    if _HEX.fullmatch(text):
        return _integer(int(text[2:], 16))
    inf = _INF.fullmatch(text)
    if inf:
        return "-Infinity" if inf.group(1) == "-" else "Infinity"
    if _NAN.fullmatch(text):
        return "NaN"
    if _FLOAT.fullmatch(text):
        return js_number(float(text))
    return None


def _integer(value: int) -> str:
    return str(value) if abs(value) <= _SAFE_INTEGER else js_number(float(value))


def js_number(x: float) -> str:
    """ECMAScript's Number::toString: the shortest digits that read back, in its notation."""
    if x != x:
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"  # String(-0) is "0" too
    sign, digits, exponent = Decimal(repr(abs(x))).normalize().as_tuple()
    s = "".join(map(str, digits))
    k = len(s)
    n = k + int(exponent)  # x = 0.s × 10^n
    out = (s + "0" * (n - k) if k <= n <= 21 else
           s[:n] + "." + s[n:] if 0 < n <= 21 else
           "0." + "0" * -n + s if -6 < n <= 0 else
           f"{s[0]}{'.' + s[1:] if k > 1 else ''}e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}")
    return ("-" if x < 0 else "") + out
