"""The dossier format, declared once: every entity's fields, their kinds and their docs.

`validate.py` reads dossiers by these declarations, `schema.py` turns the
same declarations into the JSON Schemas editors use, and docs/dossier-format.md
describes them (a test keeps the three in step). A field's kind also decides
its text format: "markdown" and "inline" values are Markdown (see `text.py`),
"text" values are plain and never reach the Markdown parser.
"""
from __future__ import annotations

from .model import STATUSES
from .reading import Field

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
        Field("status", "choice", choices=STATUSES),
        Field("responses", "responses", doc="The other side, each cited."),
        SOURCES_FIELD,
    ),
    "event": (
        Field("id", "id", True),
        Field("date", "when", True),
        Field("text", "markdown", True),
        Field("topic", "vocab", vocab="topics"),
        Field("tags", "vocabs", vocab="tags"),
        Field("status", "choice", choices=STATUSES),
        Field("responses", "responses"),
        SOURCES_FIELD,
    ),
    "relationship": (
        Field("id", "id", True),
        Field("type", "vocab", True, vocab="relationship_types"),
        Field("target", "id", doc="Another dossier's id (give target or party)."),
        Field("party", "text", doc="An organisation without a dossier (give target or party); plain text."),
        Field("text", "markdown"),
        Field("as_of", "when"),
        Field("status", "choice", choices=STATUSES, doc="contested or unconfirmed, as for claims."),
        SOURCES_FIELD,
    ),
    "response": (
        Field("text", "markdown", True),
        SOURCES_FIELD,
    ),
    "profile_fact": (
        Field("value", "inline", True, doc="One line of inline Markdown: links and [[id]], never a list."),
        SOURCES_FIELD,
    ),
    "source_ref": (
        Field("id", "id", True),
        Field("locator", "text", doc="Section, paragraph or page."),
    ),
    "source": (
        Field("id", "path-id", True),
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
