"""Loading: YAML 1.1 surprises, encodings and line ends, read as the author typed them."""
from __future__ import annotations

import pytest

from conftest import ALPHA, BETA, minimal_files, write_corpus
from sourcebook import pipeline
from sourcebook.limits import Limits
from sourcebook.load import Map, Scalar, Seq, parse
from sourcebook.dates import PartialDate, When
from sourcebook.problems import BuildFailed


def _check(folder) -> pipeline.Result:
    return pipeline.check(pipeline.Options(dossiers=folder))


def test_scalars_stay_the_text_typed():
    tree = parse("a: NO\nb: 1:20\nc: 2019-05\nd: 0x1F\ne: ~\nf: 1e3\ng: yes\n", "t.yaml", Limits())
    assert isinstance(tree, Map)
    values = {k: v.value for k, (_, v) in tree.entries.items() if isinstance(v, Scalar)}
    assert values == {"a": "NO", "b": "1:20", "c": "2019-05", "d": "0x1F", "e": "~", "f": "1e3", "g": "yes"}


@pytest.mark.parametrize("loader", ["CSafeLoader", "SafeLoader"])
def test_the_loader_knows_which_scalars_were_quoted(loader, monkeypatch):
    """libyaml reports a plain scalar's style as "", PyYAML's own parser as None: both are plain."""
    import yaml
    from sourcebook import load
    if not hasattr(yaml, loader):
        pytest.skip(f"PyYAML has no {loader} here")
    monkeypatch.setattr(load, "_Loader", getattr(yaml, loader))
    tree = parse("a: x\nb: 'x'\nc: \"x\"\nd: |\n  x\ne:\nf: ~\ng: '~'\n", "t.yaml", Limits())
    assert isinstance(tree, Map)
    plain = {k: v.plain for k, (_, v) in tree.entries.items() if isinstance(v, Scalar)}
    assert plain == {"a": True, "b": False, "c": False, "d": False, "e": True, "f": True, "g": False}
    null = {k: v.is_null for k, (_, v) in tree.entries.items() if isinstance(v, Scalar)}
    assert [k for k, v in null.items() if v] == ["e", "f"]


def test_an_empty_or_null_list_has_no_entries(tmp_path):
    """`claims:` with nothing after it, or `~`: no claims, as YAML 1.2 (and so editors) read it."""
    beta = BETA.replace("claims:", "aliases: ~\nevents: null\nrelationships:\nclaims:")
    corpus = _check(write_corpus(tmp_path / "d", {**minimal_files(), "beta.yaml": beta})).corpus
    assert corpus.dossier("beta").events == () and corpus.dossier("beta").aliases == ()
    quoted = BETA.replace("claims:", "aliases: '~'\nclaims:")  # quoted: the text ~, which is no list
    with pytest.raises(BuildFailed, match=r"error\[wrong-type\]: 'aliases' of dossier .* must be a list, not a text"):
        _check(write_corpus(tmp_path / "q", {**minimal_files(), "beta.yaml": quoted}))
def test_unquoted_no_is_a_name_not_false(tmp_path):
    folder = write_corpus(tmp_path / "d", {**minimal_files(), "beta.yaml": BETA.replace("name: Beta", "name: NO")})
    corpus = _check(folder).corpus
    assert corpus.dossier("beta").name == "NO"


def test_unquoted_and_quoted_dates_read_the_same(tmp_path):
    quoted = ALPHA.replace("as_of: 2019-05", 'as_of: "2019-05"').replace("date: 2019-10-09", "date: '2019-10-09'")
    a = _check(write_corpus(tmp_path / "a", minimal_files())).corpus
    b = _check(write_corpus(tmp_path / "b", {**minimal_files(), "alpha.yaml": quoted})).corpus
    assert a.dossier("alpha").claims == b.dossier("alpha").claims
    assert a.dossier("alpha").events == b.dossier("alpha").events


def test_a_quoted_line_starting_with_wikilink_is_text(tmp_path):
    files = {**minimal_files(), "alpha.yaml": ALPHA.replace("text: Competes with [[beta]].",
                                                             'text: "[[beta]] is a rival."')}
    corpus = _check(write_corpus(tmp_path / "d", files)).corpus
    assert corpus.dossier("alpha").claims[0].text == "[[beta]] is a rival."


@pytest.mark.parametrize("encode", [
    lambda t: t.encode("utf-8"),
    lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),          # BOM
    lambda t: t.replace("\n", "\r\n").encode("utf-8"),       # CRLF
    lambda t: b"\xef\xbb\xbf" + t.replace("\n", "\r\n").encode("utf-8"),
], ids=["utf8", "bom", "crlf", "bom-crlf"])
def test_bom_and_crlf_are_accepted_with_the_same_result(tmp_path, encode):
    plain = _check(write_corpus(tmp_path / "plain", minimal_files())).corpus
    other = _check(write_corpus(tmp_path / "other", {**minimal_files(), "alpha.yaml": encode(ALPHA)})).corpus
    assert other.dossier("alpha") == plain.dossier("alpha")


def test_crlf_keeps_line_numbers(tmp_path):
    bad = ALPHA.replace("topic: market", "topic: markets").replace("\n", "\r\n")
    with pytest.raises(BuildFailed) as failed:
        _check(write_corpus(tmp_path / "d", {**minimal_files(), "alpha.yaml": bad.encode()}))
    assert [(p.pos.line, p.pos.col) for p in failed.value.problems if p.code == "unknown-value"] == [(8, 12)]


def test_problems_in_many_files_are_all_reported(tmp_path):
    files = {**minimal_files(), "alpha.yaml": ALPHA.replace("topic: market", "topic: x"),
             "beta.yaml": BETA.replace("as_of: 2001", "as_of: 2001-13")}
    with pytest.raises(BuildFailed) as failed:
        _check(write_corpus(tmp_path / "d", files))
    assert {(p.pos.path.rsplit("/", 1)[1], p.code) for p in failed.value.problems
            if p.severity == "error"} == {("alpha.yaml", "unknown-value"), ("beta.yaml", "invalid-date")}


def test_nested_lists_parse_to_trees():
    tree = parse("a:\n  - [x, {y: z}]\n", "t.yaml", Limits())
    assert isinstance(tree, Map)
    seq = tree.entries["a"][1]
    assert isinstance(seq, Seq) and isinstance(seq.items[0], Seq)
    assert (seq.items[0].pos.line, seq.items[0].pos.col) == (2, 5)


@pytest.mark.parametrize("text,sort_end,human", [
    ("2019", (2019, 12, 31), "2019"),
    ("2020-02", (2020, 2, 29), "February 2020"),
    ("2019-10-09", (2019, 10, 9), "9 October 2019"),
    ("2011..2017", (2017, 12, 31), "2011 to 2017"),
    ("2024-01..2024-06", (2024, 6, 30), "January 2024 to June 2024"),
])
def test_dates_and_periods(text, sort_end, human):
    when = When.parse(text)
    assert when.sort_key() == sort_end
    assert when.human() == human
    assert when.iso() == text


@pytest.mark.parametrize("text", ["2023-02-30", "2019-13", "19", "2019/05", "2019-5", "May 2019", "2019-00"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_leap_day_is_a_date():
    assert PartialDate.parse("2024-02-29").human() == "29 February 2024"
