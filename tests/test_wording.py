"""The dossiers say things in the project's own words, not the research notes' words.

The research notes in ``../shared/research`` (one Markdown file per company)
paraphrase the sources; the dossiers must paraphrase again rather than copy
the notes. This test fails when the text of a claim, event, relationship,
response or profile value shares a run of ``RUN`` (12) or more consecutive
words with any of the six company notes. Quoted words in a dossier are
exempt: reported speech is meant to keep the speaker's words.

How words are compared (the same on both sides):

* Unicode NFKC, then case-folded: "Entity List" and "entity list" match.
* A possessive "'s" is dropped and any other apostrophe (straight or
  curly) deleted, so "Huawei's", "Huawei’s" and "Huawei" are one word,
  ``huawei``: turning "Huawei Ascend" into "Huawei's Ascend" is not a
  rewording, and the two apostrophe spellings never hide a copy.
* Hyphens and dashes separate words, so "second-largest" equals "second
  largest": the notes and the dossiers hyphenate compounds inconsistently.
* A comma inside a number is dropped ("1,900" is ``1900``) and a decimal
  point kept ("10.42" is one word); every other punctuation mark, "$" and
  "%" included, only separates words. Sentence punctuation does not stop a
  run: twelve copied words across a semicolon are still copied.
* ``[[id]]`` in a dossier counts as the linked dossier's name (what a reader
  sees) and ``[[id|label]]`` as its label.

What is left out before matching:

* In a dossier, text between straight double quotes ("...") or curly double
  quotes (“...”). A quoted span is a break: a run cannot continue through it.
  An unmatched quote mark exempts nothing.
* In the notes, everything but the facts: topic labels (``**[topic]**``,
  "(contested)"), the *(as of)* dates and the backticked source ids. Each line
  of the notes is matched on its own.
* On both sides, the phrases in ``ALLOWED``: proper names that cannot be
  reworded. An allowed phrase is a break too, so it neither counts towards a
  run nor joins the words around it into one.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping

import pytest
import yaml

from conftest import DOSSIERS, ROOT

COMPANIES = ("huawei", "dji", "hikvision", "dahua", "megvii", "iflytek")
RESEARCH = ROOT.parent / "shared" / "research"
RUN = 12  # the shortest shared run that fails; editors aim at ten words or fewer

# Proper names that cannot be reworded: names of five words or more that both the
# dossiers and the notes spell out. Each is removed from both sides before
# matching (and cuts the text there). One line of reason each.
ALLOWED: dict[str, str] = {
    "Shenzhen Da-Jiang Innovations Sciences and Technologies Company Limited":
        "DJI's legal name as section 1709 of the FY2025 NDAA writes it",
    "Non-SDN Chinese Military-Industrial Complex": "title of the US Treasury (OFAC) sanctions list",
    "Secure and Trusted Communications Networks Act": "title of a US statute",
    "Uyghur Forced Labor Prevention Act": "title of a US statute",
    "US Customs and Border Protection": "name of a US federal agency",
    "National Oceanic and Atmospheric Administration": "name of a US federal agency",
    "Public Safety and Homeland Security Bureau": "name of a bureau of the FCC",
    "Ministry of Science and Technology": "name of a Chinese government ministry",
    "University of Science and Technology of China": "name of a university (iFlytek's origin)",
    "Hong Kong University of Science and Technology": "name of a university (DJI's origin)",
    "Hebei Far East Communication System Engineering": "name of a CETC company, named in the IJOP claim",
    "China Venture Capital Fund Corporation": "name of a Megvii shareholder",
    "Bank of China Group Investment": "name of the investment arm that led Megvii's 2019 round",
}

_LINK = re.compile(r"\[\[([^\[\]|\n]*)(?:\|([^\[\]\n]*))?\]\]")
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”')
_POSSESSIVE = re.compile(r"['’ʼ]s\b")
_APOSTROPHE = re.compile(r"['’‘ʼ]")
_NUMBER_COMMA = re.compile(r"(?<=\d),(?=\d)")
_WORD = re.compile(r"\d+(?:\.\d+)+|[^\W_]+")
# In the notes: a bullet's topic label and status, the as-of date, source ids.
_NOTE_APPARATUS = re.compile(
    r"\*\*\[[^\]]*\]\*\*(?:\s*\((?:contested|unconfirmed)\))?"
    r"|\*\([^)]*\)\*"
    r"|`[^`]*`"
)


def words(text: str) -> list[str]:
    """The normalised words of a text (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _APOSTROPHE.sub("", _POSSESSIVE.sub("", text))
    text = _NUMBER_COMMA.sub("", text)
    return _WORD.findall(text)


_ALLOWED_WORDS = [words(phrase) for phrase in ALLOWED]


def _without_allowed(seq: list[str], allowed: Iterable[list[str]]) -> Iterator[list[str]]:
    """Split a word sequence wherever an allowed phrase occurs, dropping the phrase."""
    pieces = [seq]
    for phrase in allowed:
        n = len(phrase)
        split: list[list[str]] = []
        for piece in pieces:
            start = i = 0
            while i + n <= len(piece):
                if piece[i:i + n] == phrase:
                    split.append(piece[start:i])
                    start = i = i + n
                else:
                    i += 1
            split.append(piece[start:])
        pieces = split
    yield from (p for p in pieces if p)


def dossier_segments(text: str, names: Mapping[str, str] = {},
                     allowed: Iterable[list[str]] = _ALLOWED_WORDS) -> list[list[str]]:
    """A dossier text as runs of words that may be matched: quotes and allowed names cut it."""
    text = _LINK.sub(lambda m: (m.group(2) or "").strip() or names.get(m.group(1).strip(), m.group(1)), text)
    allowed = list(allowed)
    return [seg for part in _QUOTED.split(text) for seg in _without_allowed(words(part), allowed)]


def note_segments(text: str, allowed: Iterable[list[str]] = _ALLOWED_WORDS) -> list[list[str]]:
    """Research notes as runs of words: one line at a time, apparatus and allowed names cut out."""
    allowed = list(allowed)
    return [seg for line in text.splitlines() for part in _NOTE_APPARATUS.split(line)
            for seg in _without_allowed(words(part), allowed)]


def index(notes: Mapping[str, str], n: int = RUN,
          allowed: Iterable[list[str]] = _ALLOWED_WORDS) -> dict[tuple[str, ...], str]:
    """Every n-word window of the notes, mapped to the (first) notes file it comes from."""
    allowed = list(allowed)
    found: dict[tuple[str, ...], str] = {}
    for name, text in notes.items():
        for seg in note_segments(text, allowed):
            for i in range(len(seg) - n + 1):
                found.setdefault(tuple(seg[i:i + n]), name)
    return found


def shared_runs(segments: list[list[str]], windows: Mapping[tuple[str, ...], str],
                n: int = RUN) -> list[tuple[str, list[str]]]:
    """Maximal runs of >= n words in the segments of which every n-word window is in the notes.

    Returns (words, notes files) pairs; overlapping windows are merged into one run.
    """
    runs: list[tuple[str, list[str]]] = []
    for seg in segments:
        i = 0
        while i + n <= len(seg):
            if tuple(seg[i:i + n]) not in windows:
                i += 1
                continue
            end, files = i + n, [windows[tuple(seg[i:i + n])]]
            while end < len(seg) and tuple(seg[end - n + 1:end + 1]) in windows:
                files.append(windows[tuple(seg[end - n + 1:end + 1])])
                end += 1
            runs.append((" ".join(seg[i:end]), sorted(set(files))))
            i = end
    return runs


def overlaps(text: str, notes: str, n: int = RUN, allowed: Iterable[str] = ()) -> list[str]:
    """The runs of >= n words that a dossier text shares with a notes text (for the unit tests)."""
    allowed_words = [words(a) for a in allowed]
    windows = index({"notes": notes}, n, allowed_words)
    return [run for run, _ in shared_runs(dossier_segments(text, {}, allowed_words), windows, n)]


def entry_texts(dossier: dict) -> Iterator[tuple[str, str]]:
    """(label, text) for every profile value, claim, event, relationship and response."""
    for key, fact in (dossier.get("profile") or {}).items():
        yield f"profile {key}", fact["value"]
    for section, kind in (("claims", "claim"), ("events", "event"), ("relationships", "relationship")):
        for entry in dossier.get(section) or []:
            if entry.get("text"):
                yield f"{kind} {entry['id']}", entry["text"]
            for k, response in enumerate(entry.get("responses") or [], 1):
                yield f"{kind} {entry['id']} (response {k})", response["text"]


# --- the matcher itself ----------------------------------------------------------------

NOTE = ("- **[topic] (contested)** Alpha Corp said on Monday that it would stop shipping "
        "second-largest widgets to all of its customers in the region. — *(2020-01)* — `[src-a; para 2]`")


def test_a_planted_twelve_word_run_is_found():
    text = "Reports said it would stop shipping second-largest widgets to all of its customers, then left."
    assert overlaps(text, NOTE) == ["it would stop shipping second largest widgets to all of its customers"]


def test_an_eleven_word_run_is_not_found():
    text = "Reports said it would stop shipping second-largest widgets to all of its clients."
    assert overlaps(text, NOTE) == []
    assert overlaps(text, NOTE, n=11) == ["it would stop shipping second largest widgets to all of its"]


def test_quoted_words_are_not_matched():
    copied = "that it would stop shipping second-largest widgets to all of its customers"
    assert overlaps(f'Alpha Corp said "{copied}" in a letter.', NOTE) == []
    assert overlaps(f"Alpha Corp said “{copied}” in a letter.", NOTE) == []
    # a quote is a break: seven words before it and six inside do not make a run
    assert overlaps('Alpha Corp said on Monday that it "would stop shipping second-largest widgets"', NOTE) == []
    # an unmatched quote mark exempts nothing
    assert overlaps(f'Alpha Corp said " {copied}', NOTE) != []


def test_case_apostrophes_and_hyphens_do_not_hide_a_copy():
    note = "- **[x]** The company’s second-largest shareholder, China Mobile, bought 1,900 cameras at 10.42 yuan."
    text = "THE COMPANY'S SECOND LARGEST SHAREHOLDER — CHINA MOBILE — BOUGHT 1900 CAMERAS AT 10.42 YUAN."
    assert overlaps(text, note) == ["the company second largest shareholder china mobile bought 1900 cameras at 10.42 yuan"]


def test_note_apparatus_does_not_count():
    note = "- **[a b c d e f]** one two three — *(as of seven eight nine)* — `[ten eleven twelve]`"
    assert overlaps("a b c d e f one two three as of seven eight nine ten eleven twelve", note, n=4) == []


def test_an_allowed_name_is_removed_from_both_sides():
    note = "- **[x]** The rule applies under the Secure and Trusted Communications Networks Act to every carrier now."
    text = "It applies under the Secure and Trusted Communications Networks Act to every carrier now."
    assert overlaps(text, note) != []
    assert overlaps(text, note, allowed=["Secure and Trusted Communications Networks Act"]) == []


def test_links_count_as_the_linked_name():
    segments = dossier_segments("Rival [[dahua]] and [[hikvision|Hikvision's]] unit", {"dahua": "Dahua Technology"})
    assert segments == [["rival", "dahua", "technology", "and", "hikvision", "unit"]]


def test_every_allowed_phrase_has_a_reason():
    for phrase, reason in ALLOWED.items():
        assert words(phrase) and reason.strip() and "\n" not in reason, phrase


# --- the shipped dossiers --------------------------------------------------------------

@pytest.fixture(scope="module")
def research_windows() -> dict[tuple[str, ...], str]:
    files = [RESEARCH / f"{c}.md" for c in COMPANIES]
    if not all(f.is_file() for f in files):
        pytest.skip(f"research notes not found at {RESEARCH} (expected ../shared/research beside the repository)")
    return index({f.name: f.read_text(encoding="utf-8") for f in files})


@pytest.fixture(scope="module")
def dossiers() -> dict[str, dict]:
    return {c: yaml.safe_load((DOSSIERS / f"{c}.yaml").read_text(encoding="utf-8")) for c in COMPANIES}


@pytest.mark.parametrize("company", COMPANIES)
def test_no_long_run_of_words_from_the_research(company, dossiers, research_windows):
    names = {c: d["name"] for c, d in dossiers.items()}
    problems = [
        f'dossiers/{company}.yaml: {label} shares {len(run.split())} words with research '
        f'{", ".join(files)}: "{run}"'
        for label, text in entry_texts(dossiers[company])
        for run, files in shared_runs(dossier_segments(str(text), names), research_windows)
    ]
    assert not problems, (f"{len(problems)} text(s) copy {RUN}+ consecutive words from the research notes; "
                          "reword them (or quote reported speech):\n" + "\n".join(problems))
