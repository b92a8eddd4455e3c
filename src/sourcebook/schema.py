"""JSON Schemas for editors, generated from the format's declarations (`format.ENTITIES`).

`python build.py schema` writes them to ``schema/``; a test regenerates them
and fails when the shipped files drift, and tests/test_editor.py runs
yaml-language-server (what VS Code's YAML extension runs) over the shipped
dossiers and over failing fixtures.

What the schemas say is what ``check --strict`` says, as far as JSON Schema
can say it, *about the values an editor sees*. Editors read YAML 1.2 (the npm
`yaml` package's core schema), where a plain ``2015`` is a number and
``2019-10-09`` stays a string, while sourcebook reads every scalar as its text
(`load.py`). So a year may be a number (dates, profile values), a list may be
null (``claims:`` with nothing after it), and everything else that YAML 1.2
types as a number, boolean or null is refused here, as ``check --strict``
refuses it (`validate.NEEDS_QUOTES`). Patterns allow the spaces `check` trims,
and refuse impossible dates (month 13, 30 February). They declare draft-07:
the draft every editor's validator supports (yaml-language-server before 1.20
validated every schema as draft-07, whatever it declared).

Not expressible here, so left to `check`: an id equal to its file name,
unique ids, known sources and dossiers, periods that end before they start,
Markdown images and links, a quoted vocabulary value with spaces around it.
"""
from __future__ import annotations

import json
from collections.abc import Callable

from .anchors import SECTIONS
from .format import ENTITIES
from .ids import DEVICE_NAMES, ID_PATTERN, MAX_ID_LENGTH
from .model import NONE_ON_RECORD
from .reading import LANGUAGE_PATTERN, MAX_BRACKETS, URL_PATTERN, Field
from .settings import Settings

FILES = ("dossier.schema.json", "sources.schema.json", "parties.schema.json")
DRAFT = "http://json-schema.org/draft-07/schema#"
REF = "#/definitions/"

# Dates with the days each month has (29 February in leap years only): the
# pattern `dates.PartialDate.parse` enforces in code.
_YEAR = r"[0-9]{4}"
_LEAP = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"
_DAY = (rf"{_YEAR}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
        rf"|02-(?:0[1-9]|1[0-9]|2[0-8]))|{_LEAP}-02-29")
DATE = rf"{_YEAR}(?:-(?:0[1-9]|1[0-2]))?|{_DAY}"
WHEN = rf"(?:{DATE})(?:\s*\.\.\s*(?:{DATE})?)?|\.\.\s*(?:{DATE})"
_NUMBER_YEAR = {"type": "integer", "minimum": 1000, "maximum": 9999}  # `as_of: 2015`; 0999 is 999 to YAML 1.2


def json_schemas(settings: Settings) -> dict[str, dict]:
    """{"dossier.schema.json": ..., "sources.schema.json": ..., "parties.schema.json": ...} for these settings."""
    kinds = _Kinds(settings)
    entities = {name: _object(name, kinds) for name in ENTITIES}
    dossier = _document("sourcebook dossier (<id>.yaml)", entities["dossier"], entities)
    sources = _document("sourcebook bibliography (sources.yaml)", kinds.listed({"$ref": REF + "source"}), entities)
    parties = _document("sourcebook parties (parties.yaml)", kinds.listed({"$ref": REF + "party"}), entities)
    return {"dossier.schema.json": dossier, "sources.schema.json": sources, "parties.schema.json": parties}


def dump(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _document(title: str, root: dict, entities: dict[str, dict]) -> dict:
    """A schema file: the root schema and the definitions it reaches, in declaration order."""
    reached: set[str] = set()
    pending = _refs(root)
    while pending:
        name = pending.pop()
        if name not in reached:
            reached.add(name)
            pending |= _refs(entities[name])
    definitions = {name: entities[name] for name in ENTITIES if name in reached}
    return {"$schema": DRAFT, "title": title, **root, **({"definitions": definitions} if definitions else {})}


def _refs(schema: object) -> set[str]:
    if isinstance(schema, dict):
        found = {schema["$ref"].removeprefix(REF)} if "$ref" in schema else set()
        return found.union(*(_refs(v) for v in schema.values()))
    if isinstance(schema, list):
        return set().union(*(_refs(v) for v in schema))
    return set()


def _object(entity: str, kinds: "_Kinds") -> dict:
    fields = ENTITIES[entity]
    properties = {f.name: _property(f, entity, kinds) for f in fields}
    if entity in _ENTRIES:
        properties["id"] = {**properties["id"], "not": _words(SECTIONS)}
    obj: dict = {"type": "object", "additionalProperties": False}
    required = [f.name for f in fields if f.required]
    if required:
        obj["required"] = required
    obj["properties"] = properties
    if entity == "relationship":
        obj["oneOf"] = [{"required": ["target"]}, {"required": ["party"]}]
    return obj


_ENTRIES = ("claim", "event", "relationship")  # their ids are anchors on the page: sections are reserved


def _property(f: Field, entity: str, kinds: "_Kinds") -> dict:
    build = _KINDS.get(f.kind)
    if build is None:
        raise ValueError(f"schema.py has no JSON Schema for field kind '{f.kind}' ('{f.name}' of {entity}): "
                         "add one to schema._KINDS, so that editors check the field as `check` does")
    schema = build(kinds, f)
    if f.doc:
        schema = {"description": f.doc, **schema} if "$ref" not in schema else \
            {"description": f.doc, "allOf": [schema]}  # draft-07 ignores a $ref's siblings
    return schema


def _stripped(pattern: str) -> str:
    """A whole value matching pattern, with the spaces around it that `check` trims."""
    return rf"^\s*(?:{pattern})\s*$"


def _unanchored(pattern: str) -> str:
    return pattern.removeprefix("^").removesuffix("$")


def _words(words: tuple[str, ...] | frozenset[str]) -> dict:
    return {"type": "string", "pattern": _stripped("|".join(sorted(words)))}


class _Kinds:
    """The schema of each field kind, for one set of settings (vocabularies and limits)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        limit = settings.limits.max_text_chars
        self.max_entries = settings.limits.max_entries
        self.text = {"type": "string",
                     # non-blank, and at most max_text_chars once trimmed (`reading.read_text`)
                     "pattern": rf"^\s*\S(?:[\s\S]{{0,{limit - 2}}}\S)?\s*$",
                     "patternErrorMessage": f"Text, not empty, at most {limit} characters."}
        self.markdown = {**self.text, "not": {"pattern": rf"(?:[^\[]*\[){{{MAX_BRACKETS + 1}}}"}}
        self.identifier = {"type": "string",
                           "pattern": rf"^\s*(?=[a-z0-9-]{{1,{MAX_ID_LENGTH}}}\s*$){ID_PATTERN.pattern}\s*$",
                           "patternErrorMessage": "An id: lowercase letters a-z and digits, in groups joined "
                                                  f"by single hyphens (entity-list-2019); at most {MAX_ID_LENGTH}."}

    def listed(self, items: dict) -> dict:
        """A list; empty (`claims:` with nothing after it) is null to YAML 1.2 and no entries to `check`."""
        return {"type": ["array", "null"], "maxItems": self.max_entries, "items": items}

    def vocab(self, f: Field) -> dict:
        labels = self.settings.vocabulary(f.vocab)
        if not labels:
            return {"not": {}, "description": f"The {f.vocab} vocabulary is empty: no value is allowed."}
        return {"type": "string", "enum": list(labels), "enumDescriptions": list(labels.values())}


_Build = Callable[[_Kinds, Field], dict]
_KINDS: dict[str, _Build] = {
    "id": lambda k, f: k.identifier,
    "path-id": lambda k, f: {**k.identifier, "not": _words(DEVICE_NAMES)},
    "text": lambda k, f: k.text,
    "markdown": lambda k, f: k.markdown,
    # profile values are inline text, and may be a bare number: `founded: {value: 2006, ...}`
    "inline": lambda k, f: {"anyOf": [k.markdown, {"type": "number"}]},
    "texts": lambda k, f: k.listed(k.text),
    "ids": lambda k, f: {**k.listed(k.identifier), "uniqueItems": True},
    "date": lambda k, f: {"anyOf": [{"type": "string", "pattern": _stripped(DATE),
                                     "patternErrorMessage": "A date: YYYY, YYYY-MM or YYYY-MM-DD, one that exists."},
                                    _NUMBER_YEAR]},
    "when": lambda k, f: {"anyOf": [{"type": "string", "pattern": _stripped(WHEN),
                                     "patternErrorMessage": "A date (YYYY, YYYY-MM or YYYY-MM-DD, one that exists) "
                                                            "or a period: START..END, ..END (until), START.. (since)."},
                                    _NUMBER_YEAR]},
    "url": lambda k, f: {"type": "string", "pattern": _stripped(_unanchored(URL_PATTERN)),
                         "patternErrorMessage": "An absolute http(s) URL with a host."},
    "urls": lambda k, f: k.listed(_KINDS["url"](k, f)),
    "language": lambda k, f: {"type": "string", "pattern": _stripped(_unanchored(LANGUAGE_PATTERN)),
                              "patternErrorMessage": "A BCP 47 language tag such as en, zh or zh-Hans."},
    "vocab": lambda k, f: k.vocab(f),
    "vocabs": lambda k, f: k.listed(k.vocab(f)),
    "choice": lambda k, f: {"type": "string", "enum": list(f.choices)},
    "sources": lambda k, f: {"type": "array", "minItems": 1, "maxItems": k.max_entries,
                             "items": {"anyOf": [k.identifier, {"$ref": REF + "source_ref"}]}},
    "responses": lambda k, f: k.listed({"$ref": REF + "response"}),
    "no-reply": lambda k, f: {"anyOf": [_words((NONE_ON_RECORD,)), {"$ref": REF + "no_reply"}]},
    "profile": lambda k, f: {"type": "object", "additionalProperties": False, "properties": {
        key: {"description": label, "allOf": [{"$ref": REF + "profile_fact"}]}
        for key, label in k.settings.vocabulary("profile_fields").items()}},
    "claims": lambda k, f: k.listed({"$ref": REF + "claim"}),
    "events": lambda k, f: k.listed({"$ref": REF + "event"}),
    "relationships": lambda k, f: k.listed({"$ref": REF + "relationship"}),
}
