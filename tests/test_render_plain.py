"""The plain text renderer prints exactly what rich prints without colour, for any content."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scoring
from scoring import render
from scoring.outcome import ExplanationNode, Outcome

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "fixtures").rglob("*.yaml") if not p.name.endswith(".test.yaml"))


@pytest.fixture(autouse=True)
def _no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "_colour", lambda: False)


@pytest.mark.parametrize("fixture", FIXTURES)
def test_plain_equals_rich_on_every_fixture(fixture: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    outcome = scoring.score(fixture)
    assert render._plain_text(outcome) is not None  # ordinary text takes the fast path
    assert render.text(outcome) == render._rich_text(outcome)


def _retitled(outcome: Outcome, title: str, rng: random.Random) -> Outcome:
    """The outcome with ``title`` put into one node's title, detail or evidence quote."""
    def walk(node: ExplanationNode) -> ExplanationNode:
        children = [walk(child) for child in node.children]
        update: dict[str, object] = {"children": children}
        if rng.random() < 0.3:
            update["title" if rng.random() < 0.5 else "detail"] = title
        if node.evidence and rng.random() < 0.3:
            update["evidence"] = [node.evidence[0].model_copy(update={"quote": title}), *node.evidence[1:]]
        return node.model_copy(update=update)

    return outcome.model_copy(update={"explanation": walk(outcome.explanation), "country": title})


_MALI = None


@settings(max_examples=150, deadline=None, derandomize=True)
@given(title=st.lists(st.sampled_from(list("ab :[]/\\\t\r\n\x07\x1b é🙂\u200b\u2028") + [":smile:", ":x", "[bold]"]),
                     max_size=12).map("".join),
       seed=st.integers(0, 10_000))
def test_plain_equals_rich_whatever_the_characters(title: str, seed: int) -> None:
    global _MALI
    if _MALI is None:
        _MALI = scoring.score(str(ROOT / "fixtures" / "mali" / "2015.yaml"))
    outcome = _retitled(_MALI, title, random.Random(seed))
    assert render.text(outcome) == render._rich_text(outcome)
