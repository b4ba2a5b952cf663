"""Numbers as the reports write them: digits ("13", "1,200") or words ("one", "forty-eight").

Only an exact number becomes a count. A bound ("more than 100", "at least 30", "over 600",
"nearly 50") is recognised so that it is *not* read as an exact number: the efforts model has
no at-least count, and a wrong number is worse than a missing one. Number words are converted
by text2num (a maintained parser) rather than a hand-written table.
"""

from __future__ import annotations

import re

from text_to_num import text2num

_UNITS = ("zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
          "sixteen|seventeen|eighteen|nineteen")
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_WORD = rf"(?:(?:{_TENS})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|{_UNITS}|(?:a|one) hundred|hundred)"
_WORDS = rf"{_WORD}(?: hundred)?(?:(?: and)? {_WORD})*"
_DIGITS = r"\d{1,3}(?:,\d{3})+|\d+"

#: a number written in digits or English words (a regular-expression fragment with no groups)
NUMBER = rf"(?:{_DIGITS}|\b(?:{_WORDS})\b)"
#: words before a number that make it a bound, not an exact value
BOUND = r"(?:more than|fewer than|less than|at least|at most|over|nearly|almost|approximately|about|around|up to|some|roughly|an estimated|several)"
_BOUND_BEFORE = re.compile(rf"\b{BOUND}\s+$", re.I)
_BIG = re.compile(r"^(?:hundreds|thousands|dozens|millions)\b", re.I)


def parse(token: str) -> int | None:
    """The value of a number token, or None if it is not one exact whole number."""
    token = token.strip()
    if re.fullmatch(_DIGITS, token):
        return int(token.replace(",", ""))
    words = token.lower().replace("-", " ")
    if words in ("a hundred", "hundred"):
        return 100
    try:
        value = text2num(words, "en")
    except ValueError:
        return None
    return value if isinstance(value, int) and value >= 0 else None


def is_bound(text_before: str) -> bool:
    """True if the words just before a number make it a bound ("more than 100")."""
    return bool(_BOUND_BEFORE.search(text_before[-40:]))
