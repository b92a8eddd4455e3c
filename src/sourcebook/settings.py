"""Site settings, declared as data: ``[tool.sourcebook]`` in a pyproject.toml, over the defaults below.

Each setting is a `reading.Field`, read by the same kind readers as dossier
fields (the TOML table is turned into positioned nodes first), and
documented from its declaration: docs/settings.md is generated from
`CORE_SETTINGS` and the page families' settings (`python build.py
schema --docs`; a test fails when the file drifts). A vocabulary given in
the file replaces the default one whole.

``--config FILE`` names the file; otherwise the nearest pyproject.toml at or
above the dossiers folder is used; with none (or one without the table) the
defaults apply, so a bare folder of dossiers still builds.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from .limits import LIMIT_DOCS, Limits
from .load import Map, Node, Scalar, Seq
from .problems import BuildFailed, Code, Pos, Problem, Report, did_you_mean, shown
from .reading import (INVALID_URL, MISSING, UNKNOWN_VALUE, WRONG_TYPE, Field, Reader, kind_of, read_ids,
                      read_path_id, read_positive_number, read_text)

CONFIG_UNREADABLE = Code("config-unreadable", "the settings file cannot be read")
CONFIG_INVALID = Code("config-invalid", "the settings file is not valid TOML")
BASE_URL_UNSET = Code("base-url-unset", "base_url is not set, so what needs absolute URLs is left out (notice)")
CODES = (CONFIG_UNREADABLE, CONFIG_INVALID, BASE_URL_UNSET)
TABLE = "[tool.sourcebook]"

VOCABULARY_DEFAULTS: dict[str, dict[str, str]] = {
    "topics": {
        "ownership": "Ownership, leadership and state ties", "market": "Products and market position",
        "finances": "Finances and listings", "us-government": "US government actions",
        "security": "Security concerns and other governments",
        "human-rights": "Human rights and surveillance allegations",
        "supply-chain": "Dependence on US technology",
    },
    "sectors": {
        "telecommunications": "Telecommunications equipment", "consumer-electronics": "Consumer electronics",
        "semiconductors": "Semiconductors", "cloud": "Cloud computing", "drones": "Drones",
        "video-surveillance": "Video surveillance", "artificial-intelligence": "Artificial intelligence",
        "facial-recognition": "Facial recognition", "speech-recognition": "Speech recognition",
    },
    "tags": {
        "entity-list": "US Entity List", "ndaa-889": "NDAA Section 889", "fcc-covered-list": "FCC Covered List",
        "dod-military-list": "Pentagon list of Chinese military companies", "investment-ban": "US investment ban",
        "export-controls": "US export controls", "xinjiang": "Xinjiang", "state-ownership": "State ownership",
        "listing": "Stock listing", "seed": "From the seed article",
    },
    "relationship_types": {
        "owner": "Owner", "investor": "Investor", "supplier": "Supplier", "customer": "Customer",
        "partner": "Partner", "competitor": "Competitor", "regulator-action": "Action by",
    },
    "profile_fields": {
        "founded": "Founded", "headquarters": "Headquarters", "founders": "Founders", "leadership": "Leadership",
        "listing": "Listing", "ownership": "Ownership", "employees": "Employees",
    },
    "source_kinds": {
        "government": "Government", "news": "News", "ngo": "NGO", "company": "Company", "research": "Research",
        "legal": "Law firm", "reference": "Reference work",
    },
}
VOCABULARIES = tuple(VOCABULARY_DEFAULTS)

CORE_SETTINGS: tuple[Field, ...] = (
    Field("title", "text", default="sourcebook", example='"sourcebook: Chinese technology companies"',
          doc="The site's name: every page's title and header."),
    Field("description", "text", default="", example='"Sourced dossiers on six companies."',
          doc="One sentence about the site: the home page's lead."),
    Field("base_url", "base-url", default=None, example='"https://example.org/dossiers/"',
          doc="Where the site is published: an absolute http(s) URL ending in `/` (`build --base-url` "
              "overrides it). Empty or absent means unset (a notice says what is left out): canonical links, "
              "Open Graph URLs, sitemap.xml, robots.txt and feed.xml need it, and 404.html's links start at "
              "its path (at `/` without it)."),
    Field("language", "language", default="en", example='"en"', doc="The pages' language, a BCP 47 tag."),
    Field("short_name", "path-id", default="sourcebook", example='"china-tech"',
          doc="A short name for files: every build writes the offline copy as `<short_name>-offline.zip`, "
              "whose pages sit in a folder of that name."),
    Field("licence", "text", default=None, example='"CC BY 4.0"',
          doc="The licence of the dossier text, as the data page and the data exports name it; without one they "
              "say no licence is stated."),
    Field("licence_url", "url", default=None, example='"https://creativecommons.org/licenses/by/4.0/"',
          doc="Where the licence can be read."),
    Field("topics", "vocabulary", default=VOCABULARY_DEFAULTS["topics"], example='{ market = "Market" }',
          doc="Claim topics, id = label, in display order; topic ids name folders (`topics/<id>/`)."),
    Field("sectors", "vocabulary", default=VOCABULARY_DEFAULTS["sectors"], example='{ drones = "Drones" }',
          doc="Company sectors, id = label; sector ids name folders (`sectors/<id>/`)."),
    Field("tags", "vocabulary", default=VOCABULARY_DEFAULTS["tags"], example='{ entity-list = "US Entity List" }',
          doc="Tags for claims and events, id = label."),
    Field("relationship_types", "vocabulary", default=VOCABULARY_DEFAULTS["relationship_types"],
          example='{ owner = "Owner" }', doc="Relationship types, id = label, in display order."),
    Field("profile_fields", "vocabulary", default=VOCABULARY_DEFAULTS["profile_fields"],
          example='{ founded = "Founded" }', doc="The facts a dossier's profile may hold, id = label, in display order."),
    Field("source_kinds", "vocabulary", default=VOCABULARY_DEFAULTS["source_kinds"],
          example='{ news = "News" }', doc="Kinds of source, id = label, in display order."),
    Field("identity_fields", "ids", default=("founded", "headquarters", "founders", "listing"),
          example='["founded", "headquarters"]',
          doc="The profile fields that count as basic identity facts: the only entries a source restricted to "
              "identity facts (`restricted_to: identity-facts`) may support on its own."),
    Field("extra_files", "folder", default="extra", example='"extra"',
          doc="A folder whose files are copied to the site's root as they are (CNAME, .nojekyll, favicon.ico, "
              ".well-known/, verification files), relative to the settings file's folder (without one, to the "
              "dossiers folder's parent). Trusted like templates, so never inside the dossiers folder; no "
              "symbolic links. An extra file may replace a generated file that is not a page (robots.txt, "
              "static/...), never a page. Absent folder: none (an error if the setting names it); empty: none."),
    Field("limits", "limits", default=Limits(), example="{ max_file_bytes = 5242880 }",
          doc="Limits on contributed input (a table; see below)."),
)


@dataclass(frozen=True)
class Settings:
    """Read settings: ``settings.title``, ``settings.vocabulary("topics")``, ``settings.limits``."""

    values: Mapping[str, Any]
    path: str = "(built-in defaults)"   # what messages call the settings file
    folder: Path | None = None          # where the settings file is: extra files and caches live beside it
    given: Mapping[str, Pos] = field(default_factory=dict)  # settings the file gives, and where
    vocabulary_names: tuple[str, ...] = VOCABULARIES  # every declared vocabulary, a family's own included

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["values"][name] if name != "values" else self.__dict__["values"]
        except KeyError:
            raise AttributeError(name) from None

    def pos(self, name: str) -> Pos:
        """Where a setting's value is written, for problems about it (the file itself for a default)."""
        return self.given.get(name, Pos(self.path))

    def replace(self, name: str, value: Any, pos: Pos) -> "Settings":
        """These settings with one value replaced (a command-line option), and where it came from."""
        return Settings(MappingProxyType({**self.values, name: value}), self.path, self.folder,
                        MappingProxyType({**self.given, name: pos}), self.vocabulary_names)

    @property
    def limits(self) -> Limits:
        return self.values["limits"]

    def vocabulary(self, name: str) -> Mapping[str, str]:
        return self.values[name]

    def vocabularies(self) -> dict[str, Mapping[str, str]]:
        """Every vocabulary dossier fields may name (`Field.vocab`): the core ones and the families' own."""
        return {name: self.values[name] for name in self.vocabulary_names}


def vocabulary_names(declared: Iterable[Field]) -> tuple[str, ...]:
    return tuple(f.name for f in declared if f.kind == "vocabulary")


def defaults(declared: Iterable[Field] = CORE_SETTINGS) -> Settings:
    declared = tuple(declared)
    return Settings(MappingProxyType({f.name: _frozen(f.default) for f in declared}),
                    vocabulary_names=vocabulary_names(declared))


def find_config(dossiers: Path) -> Path | None:
    """The nearest pyproject.toml at or above the dossiers folder."""
    for folder in (dossiers.resolve(), *dossiers.resolve().parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def read_settings(path: Path | None, declared: tuple[Field, ...] = CORE_SETTINGS,
                  kinds: Mapping[str, Any] | None = None) -> tuple[Settings, list[Problem]]:
    """Settings from `path` (None: the defaults), and the notices about them; BuildFailed (exit 2) on errors."""
    if path is None:
        return defaults(declared), []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise BuildFailed([Problem(Pos(str(path)), CONFIG_UNREADABLE, str(e))], 2) from None
    return read_settings_text(text, str(path), path.parent, declared, kinds)


def read_settings_text(text: str, display: str, folder: Path | None = None,
                       declared: tuple[Field, ...] = CORE_SETTINGS,
                       kinds: Mapping[str, Any] | None = None) -> tuple[Settings, list[Problem]]:
    """Settings from the text of a settings file that messages call `display` (`diff` reads one from a
    git revision this way); `folder` is where it lives, if on disk. BuildFailed (exit 2) on errors."""
    report = Report()
    table = _table(text, display)
    if table is None:
        settings = Settings(defaults(declared).values, "(built-in defaults)", folder,
                            vocabulary_names=vocabulary_names(declared))
    else:
        node = TomlNodes(display, text).map(table, ("tool", "sourcebook"))
        values, given = _read(node, declared, kinds or {}, report)
        settings = Settings(MappingProxyType(values), display, folder, MappingProxyType(given),
                            vocabulary_names(declared))
    if report.has_errors:
        raise BuildFailed(report.problems, 2)
    return settings, report.problems


def base_url_notice(settings: Settings) -> list[Problem]:
    """The one notice a build without base_url gives (check does not: it writes nothing)."""
    if settings.values.get("base_url") is not None:
        return []
    return [Problem(Pos(settings.path), BASE_URL_UNSET, "base_url is not set: canonical links, Open Graph URLs, "
                    "sitemap.xml, robots.txt, feed.xml and absolute citation URLs are left out, and 404.html "
                    "links from the host's root (set base_url or --base-url)", "notice")]


def with_base_url(settings: Settings, value: str) -> Settings:
    """`build --base-url`: read like the setting (empty means unset), and replacing it; exit 2 when invalid."""
    report = Report()
    where = Pos("--base-url")
    url = read_base_url(Reader(report, Limits()), Scalar(where, value, False), "--base-url")
    if report.has_errors:
        raise BuildFailed(report.problems, 2)
    return settings.replace("base_url", url, where)


def _table(text: str, display: str) -> dict[str, Any] | None:
    try:
        table = tomllib.loads(text).get("tool", {}).get("sourcebook")
    except tomllib.TOMLDecodeError as e:
        raise BuildFailed([Problem(Pos(display), CONFIG_INVALID, str(e))], 2) from None
    if table is not None and not isinstance(table, dict):
        raise BuildFailed([Problem(Pos(display), CONFIG_INVALID, f"{TABLE} must be a table")], 2)
    return table


def _read(node: Map, declared: tuple[Field, ...], kinds: Mapping[str, Any],
          report: Report) -> tuple[dict[str, Any], dict[str, Pos]]:
    """The values (defaults where absent or unreadable), and where the file gives each one it gives."""
    reader = Reader(report, Limits(), kinds={**SETTING_KINDS, **kinds})
    values = reader.entity(node, declared, TABLE) or {}
    given = {f.name: values[f"_pos_{f.name}"] for f in declared if f"_pos_{f.name}" in values}
    out = {f.name: _frozen(f.default if values.get(f.name) in (None, MISSING) else values[f.name])
           for f in declared}
    fields = out.get("profile_fields", {})
    for name in out.get("identity_fields", ()):
        if name not in fields:
            report.error(values.get("_pos_identity_fields", node.pos), UNKNOWN_VALUE,
                         f"identity_fields names '{shown(name)}', which is not in profile_fields"
                         f"{did_you_mean(name, fields)}")
    return out, given


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType(dict(value))
    if isinstance(value, list):
        return tuple(value)
    return value


# --- documentation, generated from the declarations ------------------------------------

def settings_markdown(declared: tuple[Field, ...]) -> str:
    """docs/settings.md: every setting, its default and what it does (tests/test_settings.py keeps it in step)."""
    lines = ["# Settings", "",
             "Settings live in `[tool.sourcebook]` of a `pyproject.toml` (the nearest one at or above the dossiers",
             "folder, or the file `--config` names); without one the defaults below apply. A vocabulary given",
             "replaces the default one whole. This page is generated from the declarations in",
             "`src/sourcebook/settings.py` and the page families' own (`python build.py schema --settings-doc",
             "docs/settings.md`).", "",
             "| setting | kind | default | what it does |", "|---|---|---|---|"]
    for f in declared:
        lines.append(f"| `{f.name}` | {f.kind} | {_default(f)} | {f.doc} |")
    lines += ["", "## `[tool.sourcebook.limits]`", "", "| limit | default | what it bounds |", "|---|---|---|"]
    for lf in fields(Limits):
        lines.append(f"| `{lf.name}` | {getattr(Limits(), lf.name)!r} | {LIMIT_DOCS[lf.name]} |")
    lines += ["", "An example:", "", "```toml", "[tool.sourcebook]"]
    lines += [f"{f.name} = {f.example}" for f in declared if f.example and f.kind not in ("vocabulary", "limits")]
    lines += ["", "[tool.sourcebook.topics]", 'ownership = "Ownership, leadership and state ties"',
              'market = "Products and market position"', "", "[tool.sourcebook.limits]", "max_text_chars = 20000",
              "```", ""]
    return "\n".join(lines)


def _default(f: Field) -> str:
    if f.kind == "vocabulary":
        return f"{len(f.default)} entries: " + ", ".join(f"`{k}`" for k in f.default)
    if f.kind == "limits":
        return "see below"
    if f.default is None:
        return "unset"
    if isinstance(f.default, tuple):
        return ", ".join(f"`{v}`" for v in f.default)
    return f"`{f.default}`" if f.default != "" else "empty"


# --- the settings' own kinds ---------------------------------------------------------

def read_base_url(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    if isinstance(node, Scalar) and not node.value.strip():
        return None  # empty means unset
    value = read_text(r, node, what)
    if value is MISSING:
        return MISSING
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or not value.endswith("/") \
            or parts.query or parts.fragment or not _URL_CHARACTERS.fullmatch(value) or not _clean_path(parts.path):
        r.report.error(node.pos, INVALID_URL, f"{what} '{shown(value)}' must be an absolute http(s) URL "
                       "ending in '/', such as 'https://example.org/dossiers/'")
        return MISSING
    return value


# What RFC 3986 allows in a URL, unescaped: every page's canonical link, the sitemap and the
# feed print base_url as it is, and the sitemap protocol wants URLs already escaped.
_URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


def _clean_path(path: str) -> bool:
    """A base path 404.html can link from: no empty segment ('//' would read as another host), no '.' or '..'."""
    segments = path.split("/")[1:-1]
    return all(s not in ("", ".", "..") for s in segments)


def read_folder(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    """A folder, as written: relative paths are taken from the settings file's folder by whoever uses it."""
    if isinstance(node, Scalar) and not node.value.strip():
        return ""  # empty means none
    return read_text(r, node, what)


def read_vocabulary(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    """A table of id = "label"; ids name folders, so they pass the folder-name checks ids get."""
    if not isinstance(node, Map):
        r.report.error(node.pos, WRONG_TYPE, f"{what} must be a table of id = \"label\", not a {kind_of(node)}")
        return MISSING
    out: dict[str, str] = {}
    for key, (key_node, value_node) in node.entries.items():
        name = read_path_id(r, key_node, f"a key of {what}")
        label = read_text(r, value_node, f"the label of '{shown(key)}' in {what}")
        if name is not MISSING and label is not MISSING:
            out[name] = label
    return out


def read_limits(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    declared = tuple(Field(lf.name, "positive-number", doc=LIMIT_DOCS[lf.name]) for lf in fields(Limits))
    values = r.entity(node, declared, "[tool.sourcebook.limits]")
    if values is None:
        return MISSING
    given = {k: type(getattr(Limits(), k))(v) for k, v in values.items()
             if not k.startswith("_") and v not in (None, MISSING)}
    return Limits(**given)


SETTING_KINDS = {"base-url": read_base_url, "folder": read_folder, "vocabulary": read_vocabulary,
                 "limits": read_limits, "positive-number": read_positive_number, "ids": read_ids}


# --- TOML as positioned nodes ------------------------------------------------------------

_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_KEY = re.compile(r"""^(\s*)("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")


class TomlNodes:
    """tomllib keeps no positions: find each key's line by scanning the text for table headers and keys."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.keys: dict[tuple[str, ...], Pos] = {}
        table: tuple[str, ...] = ()
        for number, line in enumerate(text.split("\n"), 1):
            header = _HEADER.match(line)
            if header:
                table = tuple(part.strip().strip('"\'') for part in header.group(1).split("."))
                self.keys.setdefault(table, Pos(path, number, line.index("[") + 1))
                continue
            key = _KEY.match(line)
            if key:
                self.keys.setdefault((*table, key.group(2).strip('"\'')), Pos(path, number, len(key.group(1)) + 1))

    def pos(self, at: tuple[str, ...]) -> Pos:
        for n in range(len(at), 0, -1):
            if at[:n] in self.keys:
                return self.keys[at[:n]]
        return Pos(self.path, 1, 1)

    def map(self, table: dict[str, Any], at: tuple[str, ...]) -> Map:
        node = Map(self.pos(at))
        for key, value in table.items():
            where = (*at, key)
            node.entries[key] = (Scalar(self.pos(where), key, False), self.node(value, where))
        return node

    def node(self, value: Any, at: tuple[str, ...]) -> Node:
        if isinstance(value, dict):
            return self.map(value, at)
        if isinstance(value, list):
            return Seq(self.pos(at), [self.node(item, at) for item in value])
        if isinstance(value, bool):
            return Scalar(self.pos(at), "true" if value else "false", True)
        return Scalar(self.pos(at), str(value), not isinstance(value, str))
