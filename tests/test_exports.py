"""The data exports as their users meet them: JSON read back by a JSON Schema validator, CSV read back
by Python's csv module (as a spreadsheet would: BOM, CRLF, quoting), JSON-LD read back from the page.

The oracle is the YAML itself (read with PyYAML's BaseLoader, so every scalar is the text typed),
never the build's own model: every claim and event is rebuilt, with its responses, its no-reply
note, its sources and locators and the full records of the sources it cites, once from
data/dossiers.json and once from the CSV files, and compared with what the YAML says.
"""
from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import DOSSIERS, ROOT, SOURCES, minimal_files, write_corpus, write_editor_corpus
from sourcebook import pipeline
from test_policy import PARTIES, POLICY_ALPHA

BOM = b"\xef\xbb\xbf"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SOURCE_FIELDS = ("id", "title", "publisher", "author", "published", "url", "other_urls", "archive_url", "accessed",
                 "kind", "language", "note", "restricted_to")

# Every policy field (test_policy's corpus: contested, unanswered, cited and uncited no-reply, according_to,
# open periods, reported and ended ties with a party) and cells a spreadsheet would run as formulas.
HOSTILE_SOURCES = SOURCES + """\
- id: src-c
  title: "=HYPERLINK(\\"https://evil.example/\\",\\"click\\")"
  publisher: "@SUM(A1:A9)"
  author: "-2+3"
  url: https://example.net/c
  kind: reference
  note: "'quoted' and 海康威视"
  restricted_to: identity-facts
"""
HOSTILE_ALPHA = POLICY_ALPHA.replace(
    'founded: {value: "2006", sources: [{id: src-a, locator: p. 1}]}',
    'founded: {value: "2006", sources: [{id: src-a, locator: p. 1}, {id: src-c, locator: "+1 page"}]}').replace(
    "    text: Added to a list.\n",
    '    text: "=1+1 was added to a list, said 海康威视"\n    according_to: "\\tTabbed Agency"\n')


@pytest.fixture(scope="module")
def policy_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A corpus that uses every policy field and formula-like text, built: (dossiers folder, site)."""
    tmp = tmp_path_factory.mktemp("policy")
    folder = write_editor_corpus(tmp / "dossiers", {**minimal_files(), "alpha.yaml": HOSTILE_ALPHA,
                                                    "parties.yaml": PARTIES, "sources.yaml": HOSTILE_SOURCES})
    result = pipeline.build(pipeline.Options(dossiers=folder, out=tmp / "site", strict=True))
    assert [p.code for p in result.warnings if p.severity != "notice"] == []
    return folder, tmp / "site"


@pytest.fixture(scope="module", params=["shipped", "policy"])
def built(request: pytest.FixtureRequest) -> tuple[Path, Path]:
    if request.param == "shipped":
        return DOSSIERS, request.getfixturevalue("shipped_site")
    return request.getfixturevalue("policy_site")


# --- the oracle: what the YAML says ------------------------------------------------------------

def yaml_of(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _refs(refs: list[Any]) -> list[dict[str, Any]]:
    return [{"id": r, "locator": None} if isinstance(r, str) else {"id": r["id"], "locator": _strip(r.get("locator"))}
            for r in refs]


def yaml_entries(folder: Path) -> list[dict[str, Any]]:
    """Every claim and event of every dossier, in dossier (id) then file order, as the YAML says it."""
    sources = {s["id"]: {k: _strip(v) for k, v in s.items()} for s in yaml_of(folder / "sources.yaml")}
    out = []
    for path in sorted(p for p in folder.glob("*.yaml") if p.stem not in ("sources", "parties")):
        data = yaml_of(path)
        for kind, key, when in (("claim", "claims", "as_of"), ("event", "events", "date")):
            for item in data.get(key) or []:
                no_reply = item.get("no_reply")
                entry = {
                    "dossier": data["id"], "kind": kind, "id": item["id"], "topic": item.get("topic"),
                    "text": item["text"].strip(), "when": item[when].strip(), "tags": item.get("tags", []),
                    "status": item.get("status"), "according_to": _strip(item.get("according_to")),
                    "responses": [{"text": r["text"].strip(), "sources": _refs(r["sources"])}
                                  for r in item.get("responses") or []],
                    "no_reply": no_reply if no_reply is None or isinstance(no_reply, str)
                    else {"text": no_reply["text"].strip(), "sources": _refs(no_reply["sources"])},
                    "sources": _refs(item["sources"]),
                }
                entry["cited"] = [sources[r["id"]] for r in entry["sources"]]
                out.append(entry)
    return out


# --- rebuilding from the exports ----------------------------------------------------------------

def _when(value: dict[str, str | None]) -> str:
    start, end = value["start"], value["end"]
    return start if start == end else f"{start or ''}..{end or ''}"  # type: ignore[return-value]


def _source_as_yaml(record: dict[str, Any]) -> dict[str, Any]:
    """A source record with what the YAML left out removed (null, an empty list) and derived keys dropped."""
    return {k: record[k] for k in SOURCE_FIELDS if record[k] not in (None, [])}


def _no_reply(value: dict[str, Any] | None) -> Any:
    if value is None:
        return None
    if not value["cited"]:
        assert value["text"] is None and value["sources"] == []
        return "none-on-record"
    return {"text": value["text"]["markdown"], "sources": value["sources"]}


def entries_from_json(site: Path) -> list[dict[str, Any]]:
    data = json.loads((site / "data/dossiers.json").read_text(encoding="utf-8"))
    sources = {s["id"]: _source_as_yaml(s) for s in data["sources"]}
    out = []
    for d in data["dossiers"]:
        for kind, key, when in (("claim", "claims", "as_of"), ("event", "events", "date")):
            for c in d[key]:
                out.append({
                    "dossier": d["id"], "kind": kind, "id": c["id"], "topic": c["topic"], "text": c["text"]["markdown"],
                    "when": _when(c[when]), "tags": c["tags"], "status": c["status"],
                    "according_to": c["according_to"],
                    "responses": [{"text": r["text"]["markdown"], "sources": r["sources"]} for r in c["responses"]],
                    "no_reply": _no_reply(c["no_reply"]), "sources": c["sources"],
                    "cited": [sources[r["id"]] for r in c["sources"]],
                })
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    """A CSV file as a spreadsheet reads it; every cell with the one added apostrophe removed."""
    data = path.read_bytes()
    assert data.startswith(BOM), f"{path.name}: no byte-order mark"
    text = data[len(BOM):].decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    for row in rows:
        for cell in row:
            assert not cell.startswith(TRIGGERS), f"{path.name}: a cell a spreadsheet would run: {cell[:40]!r}"
    header, body = rows[0], rows[1:]
    return [{k: (v[1:] if v.startswith("'") else v) for k, v in zip(header, row)} for row in body]


def _cell(value: str) -> Any:
    return json.loads(value) if value[:1] in ("[", "{") else (value or None)


def entries_from_csv(site: Path) -> list[dict[str, Any]]:
    sources = {}
    for row in read_csv(site / "data/sources.csv"):
        record = {k: _cell(row[k]) if k == "other_urls" else (row[k] or None) for k in SOURCE_FIELDS}
        sources[row["id"]] = _source_as_yaml(record)
    out = []
    for row in read_csv(site / "data/claims.csv"):
        assert _when({"start": row["start"] or None, "end": row["end"] or None}) == row["as_of"]
        sources_cell = _cell(row["sources"])
        out.append({
            "dossier": row["dossier"], "kind": row["kind"], "id": row["id"], "topic": row["topic"] or None,
            "text": row["text_markdown"], "when": row["as_of"], "tags": _cell(row["tags"]),
            "status": row["status"] or None, "according_to": row["according_to"] or None,
            "responses": [{"text": r["text"]["markdown"], "sources": r["sources"]} for r in _cell(row["responses"])],
            "no_reply": _no_reply(_cell(row["no_reply"])), "sources": sources_cell,
            "cited": [sources[r["id"]] for r in sources_cell],
        })
    return out


# --- round trips -------------------------------------------------------------------------------

def test_every_claim_round_trips_through_dossiers_json(built):
    folder, site = built
    expected = yaml_entries(folder)
    assert len(expected) > 3
    assert entries_from_json(site) == expected


def test_every_claim_round_trips_through_the_csv_files(built):
    folder, site = built
    assert entries_from_csv(site) == yaml_entries(folder)


def test_citations_csv_holds_every_citation_in_order(built):
    """citations.csv, one row a citation, gives each claim's and response's sources and locators again."""
    folder, site = built
    cited: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in read_csv(site / "data/citations.csv"):
        cited[(row["dossier"], row["anchor"])].append(
            {"position": int(row["position"]), "id": row["source"], "locator": row["locator"] or None})
        assert row["page"] == f"companies/{row['dossier']}/#{row['anchor']}"
    for key, rows in cited.items():
        assert [r["position"] for r in rows] == list(range(1, len(rows) + 1)), key
    for e in yaml_entries(folder):
        assert [{"id": r["id"], "locator": r["locator"]} for r in cited[(e["dossier"], e["id"])]] == e["sources"]
        for i, response in enumerate(e["responses"], 1):
            assert [{"id": r["id"], "locator": r["locator"]}
                    for r in cited[(e["dossier"], f"response_{e['id']}_{i}")]] == response["sources"]
    statements = {row["statement"] for row in read_csv(site / "data/citations.csv")}
    assert {"profile fact", "claim", "event", "relationship"} <= statements


def test_relationships_and_parties_round_trip(policy_site):
    folder, site = policy_site
    data = json.loads((site / "data/dossiers.json").read_text(encoding="utf-8"))
    by_id = {d["id"]: d for d in data["dossiers"]}
    rows = {(r["dossier"], r["id"]): r for r in read_csv(site / "data/relationships.csv")}
    for path in sorted(p for p in folder.glob("*.yaml") if p.stem not in ("sources", "parties")):
        dossier = yaml_of(path)
        records = by_id[dossier["id"]]["relationships"]
        assert [r["id"] for r in records] == [r["id"] for r in dossier.get("relationships") or []]
        for given, record in zip(dossier.get("relationships") or [], records):
            row = rows[(dossier["id"], given["id"])]
            expected = {"type": given["type"], "target": given.get("target"), "party": given.get("party"),
                        "standing": given.get("standing", "established"), "status": given.get("status"),
                        "as_of": given.get("as_of"), "text": _strip(given.get("text")), "sources": _refs(given["sources"])}
            assert {"type": record["type"], "target": record["target"], "party": record["party"],
                    "standing": record["standing"], "status": record["status"],
                    "as_of": record["as_of"] and _when(record["as_of"]),
                    "text": record["text"] and record["text"]["markdown"], "sources": record["sources"]} == expected
            assert {"type": row["type"], "target": row["target"] or None, "party": row["party"] or None,
                    "standing": row["standing"], "status": row["status"] or None, "as_of": row["as_of"] or None,
                    "text": row["text_markdown"] or None, "sources": _cell(row["sources"])} == expected
    parties = yaml_of(folder / "parties.yaml")
    assert [{k: v for k, v in p.items() if v not in (None, [])} for p in data["parties"]] == parties
    assert [{k: v for k, v in ((k, _cell(v)) for k, v in p.items()) if v}
            for p in read_csv(site / "data/parties.csv")] == parties


def test_policy_fields_are_all_there(policy_site):
    """The fields readers are told in words are in the data too: marks, attribution, replies, standing,
    restricted sources, open periods."""
    _, site = policy_site
    data = json.loads((site / "data/dossiers.json").read_text(encoding="utf-8"))
    alpha = next(d for d in data["dossiers"] if d["id"] == "alpha")
    claims = {c["id"]: c for c in alpha["claims"]}
    assert claims["rival"]["mark"] == "unanswered" and claims["rival"]["according_to"] == "Example News"
    assert claims["rival"]["no_reply"] == {"cited": False, "text": None, "sources": [], "anchor": "reply_rival"}
    assert claims["denied"]["mark"] == "contested" and claims["denied"]["as_of"] == {"start": None, "end": "2019"}
    assert claims["silent"]["as_of"] == {"start": "2021", "end": None}
    assert claims["silent"]["no_reply"]["cited"] is True
    assert claims["silent"]["no_reply"]["sources"] == [{"id": "src-b", "locator": "para 9"}]
    ties = {r["id"]: r for r in alpha["relationships"]}
    assert (ties["talks-gamma"]["standing"], ties["talks-gamma"]["party"]) == ("reported", "gamma-fund")
    assert ties["former-owner"]["standing"] == "ended"
    assert next(s for s in data["sources"] if s["id"] == "src-c")["restricted_to"] == "identity-facts"
    assert data["licence"] is None  # the fixture's settings state none
    rows = {r["id"]: r for r in read_csv(site / "data/claims.csv")}
    assert (rows["rival"]["mark"], rows["denied"]["start"], rows["denied"]["end"]) == ("unanswered", "", "2019")


# --- CSV as spreadsheets read it ----------------------------------------------------------------

def test_csv_cells_that_would_run_as_formulas_start_with_an_apostrophe(policy_site):
    _, site = policy_site
    raw = (site / "data/sources.csv").read_bytes()
    assert raw.startswith(BOM) and raw.endswith(b"\r\n")
    assert "海康威视".encode() in raw
    rows = list(csv.reader(io.StringIO(raw[len(BOM):].decode("utf-8"), newline="")))
    src_c = next(r for r in rows if r[0] == "src-c")
    header = rows[0]
    cells = dict(zip(header, src_c))
    assert cells["title"] == "'=HYPERLINK(\"https://evil.example/\",\"click\")"
    assert cells["publisher"] == "'@SUM(A1:A9)" and cells["author"] == "'-2+3"
    assert cells["note"] == "''quoted' and 海康威视"  # an apostrophe of its own gets one more, so the rule undoes
    event = next(r for r in read_csv(site / "data/claims.csv") if r["id"] == "listed")
    assert event["text_markdown"] == "=1+1 was added to a list, said 海康威视"
    assert event["according_to"] == "\tTabbed Agency".strip()  # the format strips it; nothing to neutralise
    locators = {r["locator"] for r in read_csv(site / "data/citations.csv")}
    assert "+1 page" in locators
    for path in sorted((site / "data").glob("*.csv")):
        read_csv(path)  # asserts: BOM, and no cell a spreadsheet would run


# --- the JSON Schema ---------------------------------------------------------------------------

def test_the_json_files_validate_against_their_shipped_schema(built):
    _, site = built
    schema = json.loads((site / "data/dossiers.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    files = [site / "data/dossiers.json", *sorted((site / "data/companies").glob("*.json"))]
    assert len(files) > 2
    for path in files:
        document = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
        assert document["$schema"] == ("dossiers.schema.json" if path.parent.name == "data"
                                       else "../dossiers.schema.json")


@pytest.mark.parametrize("damage", ["drop a key", "unknown mark", "extra key", "text as a string"])
def test_the_schema_rejects_what_the_export_never_writes(policy_site, damage):
    _, site = policy_site
    schema = json.loads((site / "data/dossiers.schema.json").read_text(encoding="utf-8"))
    document = json.loads((site / "data/dossiers.json").read_text(encoding="utf-8"))
    claim = document["dossiers"][0]["claims"][0]
    if damage == "drop a key":
        del claim["mark"]
    elif damage == "unknown mark":
        claim["mark"] = "disputed"
    elif damage == "extra key":
        claim["colour"] = "red"
    else:
        claim["text"] = claim["text"]["markdown"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)


def test_a_company_file_holds_its_dossier_and_only_what_it_cites(shipped_site):
    everything = json.loads((shipped_site / "data/dossiers.json").read_text(encoding="utf-8"))
    for d in everything["dossiers"]:
        one = json.loads((shipped_site / f"data/companies/{d['id']}.json").read_text(encoding="utf-8"))
        assert one["dossiers"] == [d]
        cited = {ref["id"] for fact in d["profile"] for ref in fact["sources"]} | {
            ref["id"] for key in ("claims", "events", "relationships") for item in d[key]
            for ref in item["sources"] + [x for r in item.get("responses", []) for x in r["sources"]]
            + ((item.get("no_reply") or {}).get("sources") or [])}
        assert [s["id"] for s in one["sources"]] == [s["id"] for s in everything["sources"] if s["id"] in cited]
        named = {r["party"] for r in d["relationships"] if r["party"]}
        assert [p["id"] for p in one["parties"]] == [p["id"] for p in everything["parties"] if p["id"] in named]
    assert everything["licence"] == {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}


# --- the data page -----------------------------------------------------------------------------

def test_the_data_page_documents_every_file_with_its_real_first_lines(shipped_site):
    html = BeautifulSoup((shipped_site / "data/index.html").read_text(encoding="utf-8"), "html.parser")
    linked = {a["href"] for a in html.select("main a[href]") if not a["href"].startswith(("http", "#"))}
    written = {p.relative_to(shipped_site / "data").as_posix() for p in (shipped_site / "data").rglob("*")
               if p.is_file() and p.name != "index.html"}
    assert linked == written, "the data page links every data file, and only those"
    for section in html.select("#part_csv > section"):
        name = section.h3.get_text(strip=True)
        path = shipped_site / name
        columns = [th.get_text() for th in section.select("tbody th")]
        lines = path.read_bytes()[len(BOM):].decode("utf-8").split("\r\n")
        assert next(csv.reader([lines[0]])) == columns, f"{name}: the documented columns are the header"
        example = section.select_one("pre.example").get_text()
        assert example == "\r\n".join(lines[:2]) + "\r\n" or example.replace("\r\n", "\n") == "\n".join(lines[:2]) + "\n"
    assert len(html.select("#part_csv > section")) == len(list((shipped_site / "data").glob("*.csv")))
    claim = json.loads(html.select_one("#part_json pre.example").get_text())
    first = json.loads((shipped_site / "data/dossiers.json").read_text(encoding="utf-8"))["dossiers"][0]["claims"][0]
    assert claim == first
    licence = html.select_one("#part_licence a[rel~=license]")
    assert licence is not None and licence["href"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "CC BY 4.0" in licence.get_text()


def test_without_a_licence_the_data_page_says_none_is_stated(policy_site):
    _, site = policy_site
    html = BeautifulSoup((site / "data/index.html").read_text(encoding="utf-8"), "html.parser")
    assert "No licence is stated" in html.select_one("#part_licence").get_text()


# --- JSON-LD -----------------------------------------------------------------------------------

class _Blocks(HTMLParser):
    """The text of every JSON-LD data block, as a browser hands it to a JSON reader."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.blocks: list[str] = []
        self.inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and ("type", "application/ld+json") in attrs:
            self.inside = True
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        self.inside = self.inside and tag != "script"

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.blocks[-1] += data


def json_ld(page: Path) -> list[Any]:
    parser = _Blocks()
    parser.feed(page.read_text(encoding="utf-8"))
    return [json.loads(block) for block in parser.blocks]


def test_every_company_page_describes_its_organisation_and_cited_claims(shipped_site):
    data = json.loads((shipped_site / "data/dossiers.json").read_text(encoding="utf-8"))
    sources = {s["id"]: s for s in data["sources"]}
    for d in data["dossiers"]:
        [block] = json_ld(shipped_site / f"companies/{d['id']}/index.html")
        assert block["@context"] == "https://schema.org"
        org, *works = block["@graph"]
        assert (org["@type"], org["name"], org.get("legalName")) == ("Organization", d["name"], d["legal_name"])
        assert org["alternateName"] == [n for n in (d["native_name"], *d["aliases"]) if n]
        entries = d["claims"] + d["events"]
        assert [c["@id"] for c in org["subjectOf"]] == [f"#{e['id']}" for e in entries]
        by_id = {w["@id"]: w for w in works}
        for claim, entry in zip(org["subjectOf"], entries):
            assert claim["@type"] == "Claim" and claim["text"].endswith(entry["text"]["plain"])
            assert claim.get("creativeWorkStatus") == entry["mark"]
            cited = [by_id[c["@id"]] for c in claim["citation"]]
            assert [w["url"] for w in cited] == [sources[r["id"]]["url"] for r in entry["sources"]]
            assert [w["name"] for w in cited] == [sources[r["id"]]["title"] for r in entry["sources"]]


HOSTILE_TEXT = "</script><script>alert(1)</script><!-- & </SCRIPT > \u2028 'x' \"y\""


def test_hostile_text_cannot_close_the_json_ld_block(tmp_path):
    """Contributed text that tries to end the data block stays inside it, escaped, and reads back exactly."""
    files = minimal_files()
    files["beta.yaml"] = files["beta.yaml"].replace("text: Founded in 2001.", f"text: {json.dumps(HOSTILE_TEXT)}")
    files["sources.yaml"] = files["sources.yaml"].replace("title: B article", f"title: {json.dumps(HOSTILE_TEXT)}")
    folder = write_corpus(tmp_path / "dossiers", files)
    pipeline.build(pipeline.Options(dossiers=folder, out=tmp_path / "site"))
    page = tmp_path / "site/companies/beta/index.html"
    raw = page.read_text(encoding="utf-8")
    start = raw.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    body = raw[start:raw.index("</script>", start)]
    assert not any(c in body for c in "<>&"), "the block holds raw <, > or &"
    [block] = json_ld(page)
    org, work = block["@graph"]
    assert org["subjectOf"][0]["text"] == " ".join(HOSTILE_TEXT.split())  # plain text: spaces collapsed
    assert work["name"] == HOSTILE_TEXT
    inline = [s for s in BeautifulSoup(raw, "html.parser").find_all("script") if not s.get("src")]
    assert [s.get("type") for s in inline] == ["application/ld+json"], "text made a script element of its own"
    import safety
    assert safety.unsafe_output(tmp_path / "site") == []
