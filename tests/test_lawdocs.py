"""scoring.lawdocs: pages generated from the rulesets, deterministic and complete."""

from __future__ import annotations

from pathlib import Path

from scoring import api
from scoring.lawdocs import condition_text, eras_of, pages, readers, to_html, write_docs
from scoring.ruleset import ast
from scoring.ruleset.load import load_ruleset
from tests.ruleset.authoring import write_era


def test_a_user_era_gets_its_page_and_trims_the_replaced_years(tmp_path: Path) -> None:
    folder = tmp_path / "my"
    era = write_era(folder)
    found = api.catalog([str(folder)])
    eras = eras_of([load_ruleset("tvpa-2019"), load_ruleset(str(era))], found)
    assert [(e.ruleset.id, e.years) for e in eras] == [("tvpa-2019", "2019-2026"), ("tvpa-2027", "2027-")]
    out = pages(eras)
    assert sorted(out) == ["index.html", "index.md", "tvpa-2019.html", "tvpa-2019.md", "tvpa-2027.html", "tvpa-2027.md"]
    page = out["tvpa-2027.md"]
    assert "### `survivor_partnerships`: Partners with civil society" in page
    assert "- **Read by:** determination significant_efforts" in page.split("### `survivor_partnerships`")[1]
    assert "parameter waiver_cap (2)" in page  # the waiver rule reads the parameter
    assert "| 22 U.S.C. 7106(b)(9) | `survivor_partnerships` | criterion | tvpa-2027 | tvpa-2027 |" in out["index.md"]
    written = write_docs(eras, str(tmp_path / "out"))
    assert len(written) == 6 and pages(eras) == out  # deterministic


def test_conditions_read_as_written() -> None:
    node = ast.All((ast.AtLeast(2, ("a", "b", "c")), ast.Not(ast.Met("x")), ast.Score("overall", ">=", 20),
                    ast.Compare("history.waivers_used", "<", 1, param="waiver_cap")))
    assert condition_text(node) == ("all of (at least 2 of [a, b, c]; not (met x); overall score >= 20%; "
                                    "history.waivers_used < parameter waiver_cap (1))")


def test_readers_include_scores() -> None:
    ruleset = load_ruleset("tvpa-2019")
    read_by = readers(ruleset)
    assert any("(overall score)" in name for name in read_by["investigates"])
    assert "table tier, row downgrade_waived" in read_by["waiver"]


def test_html_escapes_what_a_ruleset_says() -> None:
    html = to_html("# t\n\n<script>alert(1)</script> and [x](other.md)", "t <b>")
    assert "<script>" not in html and "&lt;script&gt;" in html and 'href="other.html"' in html
    assert "<title>t &lt;b&gt;</title>" in html
