"""The dossier format, declared once.

`validate.py` reads these declarations to check keys and types; `json_schemas`
turns the same declarations into the JSON Schemas shipped in ``schema/`` for
editors. A test regenerates them and fails when the shipped files drift.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from .config import Config
from .ids import ID_PATTERN
from .model import DATE_PATTERN, STATUSES, WHEN_PATTERN

URL_PATTERN = r"^https?://[^\s/?#]+[^\s]*$"
LANGUAGE_PATTERN = r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str          # how the value is read; see validate.READERS
    required: bool = False
    vocab: str = ""    # for kinds "vocab" and "vocabs": which vocabulary
    doc: str = ""


SOURCES_FIELD = Field("sources", "sources", True, doc="Source ids, or {id, locator} mappings; at least one.")

ENTITIES: dict[str, tuple[Field, ...]] = {
    "dossier": (
        Field("id", "id", True, doc="Equals the file name."),
        Field("name", "text", True),
        Field("native_name", "text", doc="The name in Chinese."),
        Field("legal_name", "text"),
        Field("aliases", "texts"),
        Field("sectors", "vocabs", True, vocab="sectors"),
        Field("profile", "profile", doc="Header-card facts, each {value, sources}."),
        Field("claims", "claims"),
        Field("events", "events", doc="Dated claims: the timeline."),
        Field("relationships", "relationships"),
    ),
    "claim": (
        Field("id", "id", True),
        Field("topic", "vocab", True, vocab="topics"),
        Field("text", "markdown", True, doc="Markdown; [[id]] or [[id|label]] links a dossier."),
        Field("as_of", "when", True, doc="The date or period the claim describes."),
        Field("tags", "vocabs", vocab="tags"),
        Field("status", "status"),
        Field("responses", "responses", doc="The other side, each cited."),
        SOURCES_FIELD,
    ),
    "event": (
        Field("id", "id", True),
        Field("date", "when", True),
        Field("text", "markdown", True),
        Field("topic", "vocab", vocab="topics"),
        Field("tags", "vocabs", vocab="tags"),
        Field("status", "status"),
        Field("responses", "responses"),
        SOURCES_FIELD,
    ),
    "relationship": (
        Field("id", "id", True),
        Field("type", "vocab", True, vocab="relationship_types"),
        Field("target", "id", doc="Another dossier's id (give target or party)."),
        Field("party", "text", doc="An organisation without a dossier (give target or party)."),
        Field("text", "markdown"),
        Field("as_of", "when"),
        Field("status", "status", doc="contested or unconfirmed, as for claims."),
        SOURCES_FIELD,
    ),
    "response": (
        Field("text", "markdown", True),
        SOURCES_FIELD,
    ),
    "profile_fact": (
        Field("value", "text", True),
        SOURCES_FIELD,
    ),
    "source_ref": (
        Field("id", "id", True),
        Field("locator", "text", doc="Section, paragraph or page."),
    ),
    "source": (
        Field("id", "id", True),
        Field("title", "text", True),
        Field("publisher", "text", True),
        Field("author", "text"),
        Field("published", "date", doc="Omit when the source shows no date."),
        Field("url", "url", True, doc="Where the text can be read."),
        Field("other_urls", "urls"),
        Field("archive_url", "url"),
        Field("accessed", "date"),
        Field("kind", "vocab", True, vocab="source_kinds"),
        Field("language", "language", doc="A BCP 47 tag such as en or zh."),
        Field("note", "text", doc="Shown to readers next to the reference."),
    ),
}


def field_names(entity: str) -> list[str]:
    return [f.name for f in ENTITIES[entity]]


# --- JSON Schema -----------------------------------------------------------------

def json_schemas(config: Config) -> dict[str, dict]:
    """{"dossier.schema.json": ..., "sources.schema.json": ...} for this config."""
    defs = {name: _object(name, config) for name in ENTITIES}
    dossier = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "sourcebook dossier",
        **defs["dossier"],
        "$defs": {k: v for k, v in defs.items() if k not in ("dossier", "source")},
    }
    sources = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "sourcebook bibliography (sources.yaml)",
        "type": "array",
        "items": {"$ref": "#/$defs/source"},
        "$defs": {"source": defs["source"]},
    }
    return {"dossier.schema.json": dossier, "sources.schema.json": sources}


def dump(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _object(entity: str, config: Config) -> dict:
    fields = ENTITIES[entity]
    obj: dict = {
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in fields if f.required],
        "properties": {f.name: _property(f, config) for f in fields},
    }
    if entity == "relationship":
        obj["oneOf"] = [{"required": ["target"]}, {"required": ["party"]}]
    return obj


def _property(f: Field, config: Config) -> dict:
    schema = _kind_schema(f, config)
    if f.doc:
        schema = {"description": f.doc, **schema}
    return schema


def _kind_schema(f: Field, config: Config) -> dict:
    text = {"type": "string", "minLength": 1, "maxLength": config.limits.max_text_chars}
    vocab = {"type": "string", "enum": list(getattr(config, f.vocab, {}))}
    ref = {"$ref": "#/$defs/source_ref"}
    kinds: dict[str, dict] = {
        "id": {"type": "string", "pattern": f"^{ID_PATTERN.pattern}$"},
        "text": text,
        "markdown": text,
        "texts": {"type": "array", "items": text},
        "date": {"type": "string", "pattern": f"^{DATE_PATTERN}$"},
        "when": {"type": "string", "pattern": f"^{WHEN_PATTERN}$"},
        "url": {"type": "string", "pattern": URL_PATTERN},
        "urls": {"type": "array", "items": {"type": "string", "pattern": URL_PATTERN}},
        "language": {"type": "string", "pattern": LANGUAGE_PATTERN},
        "vocab": vocab,
        "vocabs": {"type": "array", "items": vocab},
        "status": {"type": "string", "enum": list(STATUSES)},
        "sources": {"type": "array", "minItems": 1, "items": {
            "oneOf": [{"type": "string", "pattern": f"^{ID_PATTERN.pattern}$"}, ref]}},
        "responses": {"type": "array", "items": {"$ref": "#/$defs/response"}},
        "profile": {"type": "object", "additionalProperties": False, "properties": {
            key: {"$ref": "#/$defs/profile_fact"} for key in config.profile_fields}},
        "claims": {"type": "array", "items": {"$ref": "#/$defs/claim"}},
        "events": {"type": "array", "items": {"$ref": "#/$defs/event"}},
        "relationships": {"type": "array", "items": {"$ref": "#/$defs/relationship"}},
    }
    return kinds[f.kind]
