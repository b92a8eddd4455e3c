"""The JSON Schemas for editors: generated from the model, shipped, and true to the validator."""
from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from conftest import ALPHA, DOSSIERS, ROOT
from sourcebook import pipeline
from sourcebook.schema import dump, json_schemas


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict]:
    return json_schemas(pipeline.read_options_settings(pipeline.Options(config=ROOT / "pyproject.toml"))[0])


def _as_typed(path) -> object:
    """YAML as an editor's schema check sees it: every scalar a string (BaseLoader)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def test_shipped_schemas_match_the_model(schemas):
    for name, schema in schemas.items():
        shipped = (ROOT / "schema" / name).read_text(encoding="utf-8")
        assert shipped == dump(schema), f"schema/{name} is stale: run `python build.py schema`"


def test_shipped_dossiers_satisfy_the_schema(schemas):
    dossier_schema = schemas["dossier.schema.json"]
    for path in sorted(DOSSIERS.glob("*.yaml")):
        if path.name in ("sources.yaml", "parties.yaml"):
            jsonschema.validate(_as_typed(path), schemas[path.name.replace(".yaml", ".schema.json")])
        else:
            jsonschema.validate(_as_typed(path), dossier_schema)


@pytest.mark.parametrize("old,new", [
    ("topic: market", "topic: markets"),         # unknown vocabulary value
    ("as_of: 2019-05", "as_of: May 2019"),       # not a date
    ("    type: competitor\n", "    type: competitor\n    colour: red\n"),   # unknown key
    ("    target: beta\n", ""),                  # neither target nor party
    ("id: alpha", "id: Alpha"),                  # invalid id
])
def test_schema_rejects_what_the_validator_rejects(schemas, tmp_path, old, new):
    path = tmp_path / "alpha.yaml"
    path.write_text(ALPHA.replace(old, new))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(_as_typed(path), schemas["dossier.schema.json"])


def test_schema_is_valid_json_schema(schemas):
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)
        json.dumps(schema)
