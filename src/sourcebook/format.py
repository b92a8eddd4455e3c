"""The dossier format, declared once: every entity's fields, their kinds and their docs.

`validate.py` reads dossiers by these declarations, `schema.py` turns the
same declarations into the JSON Schemas editors use, and docs/dossier-format.md
describes them (a test keeps the three in step). A field's kind also decides
its text format: "markdown" and "inline" values are Markdown (see `text.py`),
"text" values are plain and never reach the Markdown parser.
"""
from __future__ import annotations

from .model import NONE_ON_RECORD, RESTRICTIONS, SCRIPTS, STANDINGS, STATUSES
from .reading import Field

SOURCES_FIELD = Field("sources", "sources", True, doc="Source ids, or {id, locator} mappings; at least one.")
FORMER_IDS_FIELD = Field("former_ids", "ids", doc="Ids this entry had before it was renamed: their permalinks "
                         "keep leading to it, and `diff` reports the rename.")
# The comparison's facts (the `compare` setting, the compare page's columns) this entry establishes on its own:
# tags say what an entry is about; only `establishes` fills a cell.
ESTABLISHES_FIELD = Field("establishes", "vocabs", vocab="compare",
                          doc="Key facts of the comparison page (the `compare` setting) this entry establishes, "
                              "e.g. [entity-list]; an entry about a fact that does not establish it (a call for a "
                              "listing, a report that one is weighed) carries a tag instead.")

ENTITIES: dict[str, tuple[Field, ...]] = {
    "dossier": (
        Field("id", "id", True, doc="Equals the file name."),
        Field("name", "text", True),
        Field("native_name", "text", doc="The name in Chinese."),
        Field("native_script", "choice", choices=SCRIPTS, default="simplified",
              doc="The script of native_name: simplified (marked zh-Hans, the default) or traditional (zh-Hant)."),
        Field("text_script", "choice", choices=SCRIPTS,
              doc="The script of Chinese inside the dossier's texts, when known; without it they are marked zh."),
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
        FORMER_IDS_FIELD,
        Field("topic", "vocab", True, vocab="topics"),
        Field("text", "markdown", True, doc="Markdown; [[id]] or [[id|label]] links a dossier."),
        Field("as_of", "when", True, doc="The date or period the claim describes."),
        Field("tags", "vocabs", vocab="tags"),
        Field("status", "choice", choices=STATUSES),
        Field("responses", "responses", doc="The other side, each cited."),
        Field("no_reply", "no-reply", doc="The other side has not answered: none-on-record (shown as \"No reply is "
              "on record in the sources used\"), or {text, sources} citing the source that says so."),
        Field("according_to", "text", doc="Whose claim this is, shown with the entry (\"According to ...\"); plain text."),
        ESTABLISHES_FIELD,
        SOURCES_FIELD,
    ),
    "event": (
        Field("id", "id", True),
        FORMER_IDS_FIELD,
        Field("date", "when", True),
        Field("text", "markdown", True),
        Field("topic", "vocab", vocab="topics"),
        Field("tags", "vocabs", vocab="tags"),
        Field("status", "choice", choices=STATUSES),
        Field("responses", "responses"),
        Field("no_reply", "no-reply", doc="The other side has not answered: none-on-record (shown as \"No reply is "
              "on record in the sources used\"), or {text, sources} citing the source that says so."),
        Field("according_to", "text", doc="Whose claim this is, shown with the entry (\"According to ...\"); plain text."),
        ESTABLISHES_FIELD,
        SOURCES_FIELD,
    ),
    "relationship": (
        Field("id", "id", True),
        FORMER_IDS_FIELD,
        Field("type", "vocab", True, vocab="relationship_types"),
        Field("target", "id", doc="Another dossier's id (give target or party)."),
        Field("party", "id", doc="An outside organisation's id in parties.yaml (give target or party)."),
        Field("text", "markdown"),
        Field("as_of", "when"),
        Field("status", "choice", choices=STATUSES, doc="contested or unconfirmed, as for claims."),
        Field("standing", "choice", choices=STANDINGS, default="established",
              doc="established (the default), reported (talks, a planned deal: not shown to have happened) or "
                  "ended (it no longer holds)."),
        ESTABLISHES_FIELD,
        SOURCES_FIELD,
    ),
    "no_reply": (
        Field("text", "markdown", True, doc="What the source says of the silence, e.g. did not respond to requests "
              "for comment."),
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
        Field("restricted_to", "choice", choices=RESTRICTIONS,
              doc="identity-facts: the source may support basic identity facts only (the profile fields the "
                  "identity_fields setting names); other entries citing only it must be attributed or unconfirmed."),
    ),
    "party": (
        Field("id", "path-id", True, doc="What relationships name in 'party'."),
        Field("name", "text", True, doc="The one spelling every page shows."),
        Field("native_name", "text"),
        Field("aliases", "texts", doc="Other spellings, for search."),
        Field("note", "text"),
    ),
}
NO_REPLY_WORD = NONE_ON_RECORD


def field_names(entity: str) -> list[str]:
    return [f.name for f in ENTITIES[entity]]
