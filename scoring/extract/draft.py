"""From report text to a draft efforts document, and what the reviewer must look at.

The draft holds only what the text states: each value comes with the clause it was read
from, quoted verbatim. What the text does not settle stays unknown: two clauses that give
different values for one fact (the summary's "failed to investigate ... any" against the
detail's "investigated one potential case") leave it unknown with both quotes in a note,
for the reviewer to decide. The report's own conclusions are masked before reading (see
``conclusions``) and recommendations ("Increase efforts to ...") are not read at all: they
say what the government should do, not what it did.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from pydantic import ValidationError

from scoring.efforts.facts import catalog
from scoring.efforts.model import EffortsDocument
from scoring.efforts.values import Count
from scoring.extract import conclusions, patterns
from scoring.extract.numbers import BOUND, NUMBER
from scoring.extract.split import Clause, Sentence, sentences

MAX_EVIDENCE = 20
_IMPERATIVE = re.compile(
    r"^(?:[•*-]\s*)?(?:recommendations?\b|prioritized recommendations\b|increase|continue|adopt|develop|implement|train|"
    r"ensure|provide|establish|strengthen|vigorously|investigate|allocate|amend|expand|fund|improve|enact|finalize|draft|"
    r"proactively|significantly|consider|create|institute|prosecute|raise|cease|end|take|make|screen|pass|use|work|"
    r"formalize|encourage|allow|hold|seek|reduce|sustain|undertake|convene|enforce|extend|exclude|criminalize|"
    r"respect|conduct|identify|refer|offer|support|adequately|effectively|systematically|dedicate|disseminate)\b", re.I)
_RECOMMENDATION_HEADING = re.compile(r"^(?:prioritized\s+)?recommendations?\b", re.I)
_RELEVANT = re.compile(
    r"\b(?:investigat|prosecut|convict|sentenc|victim|shelter|train|plan\b|campaign|NGO|official|law\b|penalt|fund|"
    r"identif|refer|arrest|complicit|protect|assist|prevent|demand|child soldier|agreement|cooperat|budget|committee|"
    r"task force|government|authorities|ministry|police)", re.I)
_BOUNDED = re.compile(rf"\b{BOUND}\s+{NUMBER}", re.I)


@dataclass(frozen=True)
class Read:
    """One finding with the clause it came from."""

    finding: patterns.Finding
    clause: Clause


@dataclass
class Draft:
    """The draft document (as data, valid) and the lists the reviewer needs."""

    data: dict[str, Any]
    source_path: str
    sentences: int
    facts: int
    #: clauses that state only a conclusion (skipped), and relevant clauses no rule matched
    conclusions: list[Clause] = field(default_factory=list)
    unmatched: list[Clause] = field(default_factory=list)
    bounds: list[tuple[Clause, str]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    recommendations: int = 0


def country_name(iso3: str) -> str | None:
    """The country's name for an ISO 3166-1 alpha-3 code (shipped table), or None."""
    text = resources.files("scoring.data").joinpath("iso3166-alpha3.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return next((row["name"] for row in rows if row["iso3"] == iso3), None)


def _recommendations(found: list[Sentence]) -> set[int]:
    """Sentences that recommend rather than report: a paragraph opening with an imperative or
    following a "Recommendations" heading, and any sentence saying what the government "should" do."""
    skipped: set[int] = set()
    paragraphs: dict[int, list[Sentence]] = {}
    for s in found:
        paragraphs.setdefault(s.paragraph, []).append(s)
    after_heading = False
    for number in sorted(paragraphs):
        group = paragraphs[number]
        first = group[0].text
        heading = len(group) == 1 and bool(_RECOMMENDATION_HEADING.match(first)) and len(first) < 80
        if heading or after_heading or _IMPERATIVE.match(first):
            skipped.update(s.index for s in group)
        skipped.update(s.index for s in group if re.search(r"\bshould\b", s.text, re.I))
        after_heading = heading
    return skipped


def read_text(text: str) -> tuple[list[Read], Draft]:
    """Every finding in ``text`` and the review lists, clause by clause (the draft's data is filled in later).

    A clause with no finding is listed: as a skipped conclusion if outcome wording is all it
    carries, else for review if it looks relevant (it names an actor or an action the model records).
    """
    found = sentences(text)
    skip = _recommendations(found)
    review = Draft({}, "", len(found), 0, recommendations=len(skip))
    reads: list[Read] = []
    for sentence in found:
        if sentence.index in skip:
            continue
        for clause in sentence.clauses:
            masked, phrases = conclusions.mask(clause.text)
            hits = [Read(f, clause) for f in patterns.findings(masked)]
            reads.extend(hits)
            if _RELEVANT.search(masked):
                review.bounds.extend((clause, m.group(0)) for m in _BOUNDED.finditer(masked))
            if hits:
                continue
            if phrases and conclusions.conclusion_only(masked):
                review.conclusions.append(clause)
            elif _RELEVANT.search(masked) and len(clause.text) > 30:
                review.unmatched.append(clause)
    return reads, review


def _merge(reads: list[Read]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """One fact per field: agreeing findings pooled, disagreeing ones left unknown with a note."""
    by_field: dict[str, list[Read]] = {}
    for r in reads:
        by_field.setdefault(r.finding.field, []).append(r)
    facts: dict[str, dict[str, Any]] = {}
    conflicts: list[str] = []
    for name, items in by_field.items():
        fact: dict[str, Any] = {}
        notes: list[str] = []
        for part in ("value", "previous", "trend"):
            values = list(dict.fromkeys(r.finding.value for r in items if r.finding.part == part))
            if len(values) == 1:
                fact[part] = values[0]
            elif len(values) > 1:
                shown = " and ".join(str(v).lower() if isinstance(v, bool) else str(v) for v in values)
                notes.append(f"Left unknown: the text gives {part} {shown} (see the quotes); decide which holds.")
                conflicts.append(f"{name}.{part}: {shown}")
        if "previous" in fact and "value" in fact:
            fact.pop("trend", None)  # the numbers say it; a stated trend adds nothing and fixtures never pair them
        _keep_valid_count(name, fact, notes)
        quotes = list(dict.fromkeys(r.clause.text for r in items))[:MAX_EVIDENCE]
        fact["evidence"] = quotes
        if notes:
            fact["note"] = " ".join(notes)
        facts[name] = fact
    return facts, conflicts


def _keep_valid_count(name: str, fact: dict[str, Any], notes: list[str]) -> None:
    """Drop a stated trend the numbers contradict (the model rejects it), saying so."""
    if catalog()[name].kind != "count" or "trend" not in fact:
        return
    try:
        Count.model_validate({k: v for k, v in fact.items() if k in ("value", "previous", "trend")})
    except ValidationError:
        notes.append(f"The text also states a trend ({fact.pop('trend')}) that its numbers contradict; not coded.")


def _nest(facts: dict[str, dict[str, Any]], source_id: str) -> dict[str, Any]:
    """Facts in the model's order, nested by section, each with its evidence mapping."""
    out: dict[str, Any] = {}
    for path in catalog():
        if path not in facts:
            continue
        fact = dict(facts[path])
        fact["evidence"] = [{"source": source_id, "quote": q} for q in fact["evidence"]]
        node = out
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = fact
    return out


def build(text: str, iso3: str, report_year: int, source_path: str) -> Draft:
    """The draft efforts document for ``text`` (the country-year given) and its review lists."""
    reads, draft = read_text(text)
    facts, draft.conflicts = _merge(reads)
    source_id = f"tip-{report_year}-{iso3.lower()}"
    name = country_name(iso3) or iso3
    data: dict[str, Any] = {
        "schema_version": 1, "country": name, "iso3": iso3, "report_year": report_year, "entity": "country",
        "sources": [{"id": source_id, "title": f"Text of the {report_year} report on {name} ({source_path.rsplit('/', 1)[-1]})",
                     "path": source_path}],
        **_nest(facts, source_id),
    }
    EffortsDocument.model_validate(data)  # a draft that does not validate is a bug here, never the user's problem
    draft.data, draft.source_path = data, source_path
    draft.facts = sum(1 for f in facts.values() for p in ("value", "previous", "trend") if p in f)
    return draft
