"""The report's own outcome wording, which is never coded and never used as evidence.

The tier and the judgements that lead to it ("does not fully meet the minimum standards",
"is making significant efforts", "did not demonstrate overall increasing efforts", "is
placed on Tier 2 Watch List", "made minimal efforts to prevent trafficking") are what
tipscore derives; an efforts document holds only what the government did. Each phrase is
masked (blanked, offsets kept) before the fact patterns run, so no fact can be read out of a
conclusion, and a sentence left with no finding is listed as skipped.
"""

from __future__ import annotations

import re

_EFFORT_WORDS = (r"(?:minimal|modest|adequate|significant|sufficient|limited|inadequate|insufficient|some|clear|"
                 r"serious|weak|uneven|mixed|strong|notable|increased|decreased|greater|key)")

_PHRASES = [
    r"\b(?:does not |did not |do not )?(?:fully )?(?:compl(?:y|ies|ied)|meets?|met)(?: with)? the minimum standards"
    r"(?: for the elimination of trafficking)?(?: in several key areas)?",
    r"\b(?:is|are|was|were|not)\s+(?:not\s+)?making significant efforts(?: to do so)?",
    r"\bTier\s+(?:1|2|3|One|Two|Three|I{1,3})\b(?:\s+Watch\s+List)?",
    r"\bWatch List\b",
    r"\bSpecial Case\b",
    r"\bnot rated\b",
    r"\b(?:is|was|were|been|be|remains?|remained)\s+(?:placed|upgraded|downgraded|ranked|rated)\b[^;.]*",
    # "was granted a waiver" is not here: the grant is the President's determination, made outside the
    # assessment and recorded by the report (a fact, like a past placement); patterns.py reads it.
    r"\b(?:otherwise required|automatic)\s+downgrade\b",
    r"\b(?:did not |failed to )?demonstrat(?:e|ed|es|ing) (?:evidence of )?(?:overall )?increasing "
    r"(?:anti-trafficking )?efforts(?: compared to the previous reporting period)?",
    r"\b(?:failed to show|failure to show|show(?:ed|s)?|showing) evidence of (?:increasing|significant) efforts"
    r"(?: to combat (?:human trafficking|identified severe forms of trafficking))?",
    r"\bmade key achievements(?: to do so)?(?: during the reporting period)?",
    rf"\b(?:demonstrated|made|showed|undertook)\s+(?:\w+\s+){{0,2}}?{_EFFORT_WORDS}\s+(?:(?:and|\w+)[- ]){{0,4}}?efforts?\b",
    r"\b(?:reduced|decreased|increased|maintained|sustained|improved|weakened)\s+(?:its\s+)?(?:overall\s+)?"
    r"(?:anti-trafficking\s+)?(?:law enforcement|protection|prevention|victim protection)\s+efforts\b",
    r"\bmade progress in its efforts\b",
    r"\b(?:these|such|its) (?:efforts|achievements) included\b",
    r"\bwould help\b[^;.]*",
    r"\bDespite these efforts\b",
]
CONCLUSION = re.compile("|".join(f"(?:{p})" for p in _PHRASES), re.I)


#: words that carry no finding on their own: what is left of "however, it is making significant efforts"
_FILLER = frozenset("""a an the of and or but nor it its this that these those however therefore thus also despite
    government so do to in on for with while although though yet as such""".split())
#: a clause with at most this many other words left after masking states only a conclusion
CONCLUSION_ONLY_WORDS = 2


def conclusion_only(masked: str) -> bool:
    """True if what is left of a masked clause is connectives and a name ("however, it", "The Government of Qatar and")."""
    words = re.findall(r"[A-Za-z][\w’'-]*", masked)
    content = [w for w in words if w.lower() not in _FILLER and not w[0].isupper()]
    return len(content) <= CONCLUSION_ONLY_WORDS


def mask(text: str) -> tuple[str, list[str]]:
    """``text`` with every conclusion phrase blanked (same length) and the phrases found."""
    found: list[str] = []

    def blank(match: re.Match[str]) -> str:
        found.append(match.group(0))
        return " " * len(match.group(0))

    return CONCLUSION.sub(blank, text), found
