"""JSON Schemas for editors, generated from the format's declarations (`format.ENTITIES`).

`python build.py schema` writes them to ``schema/``; a test regenerates them
and fails when the shipped files drift.
"""
from __future__ import annotations

import json

from .dates import DATE_PATTERN, WHEN_PATTERN
from .format import ENTITIES
from .ids import ID_PATTERN
from .model import NONE_ON_RECORD
from .reading import LANGUAGE_PATTERN, URL_PATTERN, Field
from .settings import Settings

FILES = ("dossier.schema.json", "sources.schema.json", "parties.schema.json")


def json_schemas(settings: Settings) -> dict[str, dict]:
    """{"dossier.schema.json": ..., "sources.schema.json": ..., "parties.schema.json": ...} for these settings."""
    defs = {name: _object(name, settings) for name in ENTITIES}
    dossier = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "sourcebook dossier",
        **defs["dossier"],
        "$defs": {k: v for k, v in defs.items() if k not in ("dossier", "source", "party")},
    }
    parties = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "sourcebook parties (parties.yaml)",
        "type": "array",
        "items": {"$ref": "#/$defs/party"},
        "$defs": {"party": defs["party"]},
    }
    sources = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "sourcebook bibliography (sources.yaml)",
        "type": "array",
        "items": {"$ref": "#/$defs/source"},
        "$defs": {"source": defs["source"]},
    }
    return {"dossier.schema.json": dossier, "sources.schema.json": sources, "parties.schema.json": parties}


def dump(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _object(entity: str, settings: Settings) -> dict:
    fields = ENTITIES[entity]
    obj: dict = {
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in fields if f.required],
        "properties": {f.name: _property(f, settings) for f in fields},
    }
    if entity == "relationship":
        obj["oneOf"] = [{"required": ["target"]}, {"required": ["party"]}]
    return obj


def _property(f: Field, settings: Settings) -> dict:
    schema = _kind_schema(f, settings)
    if f.doc:
        schema = {"description": f.doc, **schema}
    return schema


def _kind_schema(f: Field, settings: Settings) -> dict:
    text = {"type": "string", "minLength": 1, "maxLength": settings.limits.max_text_chars}
    vocab = {"type": "string", "enum": list(settings.vocabulary(f.vocab))} if f.vocab else {}
    ref = {"$ref": "#/$defs/source_ref"}
    identifier = {"type": "string", "pattern": f"^{ID_PATTERN.pattern}$"}
    kinds: dict[str, dict] = {
        "id": identifier,
        "ids": {"type": "array", "items": identifier, "uniqueItems": True},
        "path-id": identifier,
        "text": text,
        "markdown": text,
        "inline": text,
        "texts": {"type": "array", "items": text},
        "date": {"type": "string", "pattern": f"^{DATE_PATTERN}$"},
        "when": {"type": "string", "pattern": f"^(?:{WHEN_PATTERN})$"},
        "url": {"type": "string", "pattern": URL_PATTERN},
        "urls": {"type": "array", "items": {"type": "string", "pattern": URL_PATTERN}},
        "language": {"type": "string", "pattern": LANGUAGE_PATTERN},
        "vocab": vocab,
        "vocabs": {"type": "array", "items": vocab},
        "choice": {"type": "string", "enum": list(f.choices)},
        "sources": {"type": "array", "minItems": 1, "items": {"oneOf": [identifier, ref]}},
        "responses": {"type": "array", "items": {"$ref": "#/$defs/response"}},
        "no-reply": {"oneOf": [{"type": "string", "const": NONE_ON_RECORD}, {"$ref": "#/$defs/no_reply"}]},
        "profile": {"type": "object", "additionalProperties": False, "properties": {
            key: {"$ref": "#/$defs/profile_fact"} for key in settings.vocabulary("profile_fields")}},
        "claims": {"type": "array", "items": {"$ref": "#/$defs/claim"}},
        "events": {"type": "array", "items": {"$ref": "#/$defs/event"}},
        "relationships": {"type": "array", "items": {"$ref": "#/$defs/relationship"}},
    }
    return kinds[f.kind]
