"""JSON-LD for a company page: a schema.org Organization whose claims and events are `Claim`s with `citation`s.

The page prints it in a ``<script type="application/ld+json">`` data block,
which browsers neither run nor check against the Content-Security-Policy.
Contributed text must not be able to end that element: the JSON is made by
`json.dumps`, never by a template, and then every ``<``, ``>`` and ``&`` is
written as a JSON escape (``\\u003c`` ...), which JSON readers decode to
the same text and an HTML parser never sees as markup. Only then is the
string marked safe for the template (`block`).

Claims are identified by their element id (``"@id": "#<id>"``), which JSON-LD
resolves against the page's own address, so the block is the same in the
hosted tree and the offline copy; with `base_url` set the Organization also
carries its page's absolute ``url``. Each cited work is written once, in the
block's ``@graph``, as a blank node (``_:<source id>``) that citations name:
writing it out at every citation made the block three times longer.
"""
from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from ..dates import When
from ..model import Dossier, Entry, SourceRef
from ..reads import Reads
from ..text import plain

_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def block(data: Any) -> Markup:
    """`data` as the text of a JSON-LD script element: JSON whose <, > and & are escaped, marked safe."""
    return Markup(json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES))


def organization(dossier: Dossier, reads: Reads, page_path: str) -> Markup:
    base_url = reads.setting("base_url")
    org: dict[str, Any] = {"@type": "Organization", "name": dossier.name}
    names = [n for n in (dossier.native_name, *dossier.aliases) if n]
    if names:
        org["alternateName"] = names
    if dossier.legal_name:
        org["legalName"] = dossier.legal_name
    if base_url:
        org["url"] = base_url + page_path.removesuffix("index.html")
    cited: dict[str, None] = {}
    org["subjectOf"] = [_claim(e, reads, cited) for e in dossier.entries]
    return block({"@context": "https://schema.org", "@graph": [org, *(_work(reads, s) for s in cited)]})


def _claim(entry: Entry, reads: Reads, cited: dict[str, None]) -> dict[str, Any]:
    words = plain(entry.text, reads.name)
    claim: dict[str, Any] = {"@type": "Claim", "@id": f"#{entry.id}",
                             "text": f"According to {entry.according_to}: {words}" if entry.according_to else words,
                             "temporalCoverage": temporal_coverage(entry.when)}
    if entry.mark:
        claim["creativeWorkStatus"] = entry.mark
    claim["citation"] = _cite(entry.sources, cited)
    if entry.responses:
        claim["comment"] = [{"@type": "Comment", "text": plain(r.text, reads.name),
                             "citation": _cite(r.sources, cited)} for r in entry.responses]
    return claim


def _cite(refs: tuple[SourceRef, ...], cited: dict[str, None]) -> list[dict[str, str]]:
    for ref in refs:
        cited.setdefault(ref.id)
    return [{"@id": f"_:{ref.id}"} for ref in refs]


def _work(reads: Reads, source_id: str) -> dict[str, Any]:
    s = reads.source(source_id)
    work: dict[str, Any] = {"@type": "CreativeWork", "@id": f"_:{s.id}", "name": s.title,
                            "publisher": {"@type": "Organization", "name": s.publisher}, "url": s.url}
    if s.published:
        work["datePublished"] = s.published.iso()
    if s.language:
        work["inLanguage"] = s.language
    return work


def temporal_coverage(when: When) -> str:
    """schema.org's temporalCoverage: an ISO 8601 date or interval; '..' marks an open end."""
    if not when.is_period:
        return when.iso()
    return f"{when.start.iso() if when.start else '..'}/{when.end.iso() if when.end else '..'}"
