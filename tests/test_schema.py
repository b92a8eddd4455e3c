"""The JSON Schemas for editors: generated from the declarations, shipped, draft-07, and exact where they
can be. How an editor applies them (yaml-language-server over real files) is tests/test_editor.py."""
from __future__ import annotations

import calendar
import json

import jsonschema
import pytest

from conftest import ROOT
from sourcebook import pipeline, schema
from sourcebook.dates import PartialDate
from sourcebook.format import ENTITIES
from sourcebook.reading import Field
from sourcebook.settings import read_settings


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict]:
    return schema.json_schemas(pipeline.read_options_settings(pipeline.Options(config=ROOT / "pyproject.toml"))[0])


def test_shipped_schemas_match_the_model(schemas):
    for name, generated in schemas.items():
        shipped = (ROOT / "schema" / name).read_text(encoding="utf-8")
        assert shipped == schema.dump(generated), f"schema/{name} is stale: run `python build.py schema`"


def test_schemas_are_draft_07(schemas):
    for generated in schemas.values():
        assert generated["$schema"] == "http://json-schema.org/draft-07/schema#"
        jsonschema.Draft7Validator.check_schema(generated)
        assert "$defs" not in json.dumps(generated)  # draft-07 says definitions


def _valid(property_schema: dict, definitions: dict, value: object) -> bool:
    return jsonschema.Draft7Validator({**property_schema, "definitions": definitions}).is_valid(value)


def test_a_date_is_valid_exactly_when_check_reads_it(schemas):
    """Every month 00-13 and day 00-32 of a common year, a leap year, 1900 and 2000."""
    source = schemas["sources.schema.json"]["definitions"]["source"]
    published = source["properties"]["published"]
    for year in (1900, 2000, 2023, 2024):
        for month in range(14):
            for day in range(33):
                text = f"{year}-{month:02d}-{day:02d}"
                try:
                    PartialDate.parse(text)
                    readable = True
                except ValueError:
                    readable = False
                assert _valid(published, {}, text) == readable, text
            assert _valid(published, {}, f"{year}-{month:02d}") == (1 <= month <= 12)
        assert _valid(published, {}, year) and _valid(published, {}, str(year))
    assert calendar.isleap(2000) and not calendar.isleap(1900)


def test_a_period_as_check_reads_it(schemas):
    claim = schemas["dossier.schema.json"]["definitions"]["claim"]
    as_of = claim["properties"]["as_of"]
    for ok in ("2011..2017", "2011 .. 2017", "..2019", "2019..", " 2019-05 ", "2024-02-29..2024-03", 2015):
        assert _valid(as_of, {}, ok), ok
    for bad in ("..", "2019...2020", "2019-13..2020", "May 2019", 999, 20151, True, None, 2015.5):
        assert not _valid(as_of, {}, bad), bad


def test_text_is_limited_as_check_trims_it(tmp_path):
    """max_text_chars counts the text without the spaces around it, as read_text does (a `|` block ends
    with a newline; a quoted text may keep spaces)."""
    config = tmp_path / "limits.toml"
    config.write_text("[tool.sourcebook.limits]\nmax_text_chars = 10\n")
    settings, _ = read_settings(config, pipeline.declared_settings())
    dossier = schema.json_schemas(settings)["dossier.schema.json"]
    name = dossier["properties"]["name"]
    for ok in ("a" * 10, "a" * 10 + "\n", "  " + "a" * 10 + "  ", "a", "a b"):
        assert _valid(name, {}, ok), repr(ok)
    for bad in ("a" * 11, " ", "", "\n", 10, False, None, ["a"]):
        assert not _valid(name, {}, bad), repr(bad)


def test_ids_and_vocabularies(schemas):
    definitions = schemas["dossier.schema.json"]["definitions"]
    claim_id = definitions["claim"]["properties"]["id"]
    for ok in ("rival", "entity-list-2019", " rival ", "a" * 100):
        assert _valid(claim_id, definitions, ok), ok
    for bad in ("Rival", "rival--x", "-rival", "rival-", "a" * 101, "references", "main", 2019, ""):
        assert not _valid(claim_id, definitions, bad), bad
    source_id = schemas["sources.schema.json"]["definitions"]["source"]["properties"]["id"]
    assert not _valid(source_id, {}, "con") and _valid(source_id, {}, "console")
    topic = definitions["claim"]["properties"]["topic"]
    assert _valid(topic, {}, "market") and not _valid(topic, {}, "markets")


def test_a_kind_the_generator_does_not_know_fails_loudly(monkeypatch, schemas):
    monkeypatch.setitem(ENTITIES, "claim", ENTITIES["claim"] + (Field("reply_form", "reply-form"),))
    with pytest.raises(ValueError, match="schema.py has no JSON Schema for field kind 'reply-form' "
                                         r"\('reply_form' of claim\)"):
        schema.json_schemas(pipeline.read_options_settings(pipeline.Options(config=ROOT / "pyproject.toml"))[0])


def test_a_new_field_of_a_known_kind_reaches_the_schema(monkeypatch):
    monkeypatch.setitem(ENTITIES, "source", ENTITIES["source"] + (Field("attribution", "text", doc="Credit."),))
    generated = schema.json_schemas(pipeline.read_options_settings(pipeline.Options())[0])
    attribution = generated["sources.schema.json"]["definitions"]["source"]["properties"]["attribution"]
    assert attribution["description"] == "Credit." and attribution["type"] == "string"
