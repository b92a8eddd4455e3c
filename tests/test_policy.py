"""The sourcing policy as readers see it: replies and their absence, attribution, reported and
ended ties, parties named once, open periods, and the script of Chinese names."""
from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from conftest import ALPHA, minimal_files, write_editor_corpus
from sourcebook import pipeline
from sourcebook.dates import When

POLICY_ALPHA = ALPHA.replace("native_name", "x").replace("""name: Alpha
""", """name: Alpha
native_name: 阿爾法
native_script: traditional
""").replace("""    as_of: 2019-05
    sources: [{id: src-a, locator: para 2}]
""", """    as_of: 2019-05
    status: contested
    according_to: Example News
    no_reply: none-on-record
    sources: [{id: src-a, locator: para 2}]
  - id: denied
    topic: market
    text: Was said to do something.
    as_of: ..2019
    status: contested
    responses:
      - text: Alpha denied it.
        sources: [src-b]
    sources: [{id: src-b, locator: para 4}]
  - id: silent
    topic: market
    text: Was asked about it.
    as_of: 2021..
    status: contested
    no_reply:
      text: Alpha did not respond to requests for comment.
      sources: [{id: src-b, locator: para 9}]
    sources: [{id: src-b, locator: para 5}]
""").replace("""  - id: rival-beta
    type: competitor
    target: beta
    sources: [src-b]
""", """  - id: rival-beta
    type: competitor
    target: beta
    sources: [src-b]
  - id: talks-gamma
    type: investor
    party: gamma-fund
    standing: reported
    text: Talks were reported; no deal was shown to close.
    sources: [src-b]
  - id: former-owner
    type: owner
    party: gamma-fund
    standing: ended
    as_of: 2010..2015
    sources: [src-a]
""")
PARTIES = "- id: gamma-fund\n  name: Gamma Investment Fund\n"


def build(tmp_path: Path) -> BeautifulSoup:
    folder = write_editor_corpus(tmp_path / "dossiers", {**minimal_files(), "alpha.yaml": POLICY_ALPHA,
                                                         "parties.yaml": PARTIES})
    result = pipeline.build(pipeline.Options(dossiers=folder, out=tmp_path / "site", strict=True))
    assert [p.code for p in result.warnings if p.severity != "notice"] == []
    return BeautifulSoup((tmp_path / "site/companies/alpha/index.html").read_text(encoding="utf-8"), "html.parser")


def words(el) -> str:
    return " ".join(el.get_text().split())


def test_contested_answered_and_unanswered_read_differently(tmp_path):
    html = build(tmp_path)
    denied, rival, silent = html.find(id="denied"), html.find(id="rival"), html.find(id="silent")
    assert words(denied.select_one(".status")).startswith("Contested. The parties disagree")
    assert "Alpha denied it." in words(denied.select_one(".responses"))
    assert words(rival.select_one(".status")).startswith("Unanswered.")
    assert words(rival.select_one(".no-reply")) == "No reply: No reply is on record in the sources used."
    assert words(silent.select_one(".status")).startswith("Unanswered.")
    note = silent.find(id="reply_silent")
    assert note is not None and "did not respond to requests for comment" in words(note)
    assert note.select(".cites a"), "a cited no-reply carries its citation"
    assert "rival" not in {el.get("id") for el in html.select(".responses li")}


def test_attribution_is_said_with_the_entry(tmp_path):
    text = words(build(tmp_path).find(id="rival").select_one(".entry-text"))
    assert text.startswith("According to Example News: Competes with Beta.")


def test_reported_and_ended_ties_are_never_asserted_as_established(tmp_path):
    html = build(tmp_path)
    talks, former = html.find(id="talks-gamma"), html.find(id="former-owner")
    assert words(talks.select_one(".rel-head")) == "Investor (reported): Gamma Investment Fund"
    assert words(talks.select_one(".status")).startswith("Reported. Talks or a planned deal")
    assert words(former.select_one(".rel-head")).startswith("Owner (ended): Gamma Investment Fund (as of 2010 to 2015)")
    assert When.parse("..2019").phrase("as of") == "until 2019" and When.parse("2019").phrase("as of") == "as of 2019"
    assert words(former.select_one(".status")).startswith("Ended.")


def test_open_periods_show_and_sort(tmp_path):
    html = build(tmp_path)
    assert words(html.find(id="denied").select_one(".entry-head time")) == "Until 2019"
    assert words(html.find(id="silent").select_one(".entry-head time")) == "Since 2021"
    assert words(html.find(id="rival").select_one(".entry-head time")) == "As of May 2019"
    shown = [li["id"] for li in html.select("#topic_market li.entry")]
    assert shown == ["silent", "denied", "rival"]  # latest first, by end: since 2021, until (end of) 2019, May 2019
    assert When.parse("..2019").as_json() == {"start": None, "end": "2019"}
    assert When.parse("2021..").sort_key() == (2021, 1, 1)


def test_traditional_names_are_marked_zh_hant(tmp_path):
    html = build(tmp_path)
    assert html.select_one("h1 .native")["lang"] == "zh-Hant"
    home = BeautifulSoup((tmp_path / "site/index.html").read_text(encoding="utf-8"), "html.parser")
    assert [el["lang"] for el in home.select(".native")] == ["zh-Hant"]
