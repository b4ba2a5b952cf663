"""The wording of the reports, mapped to efforts-document fields.

Every rule reads one clause (already stripped of conclusion wording, see
``conclusions``) and yields findings: a field, the part of it (``value``, ``previous``,
``trend``) and the value. Rules are written to be precise rather than complete, because a
wrong number is worse than a missing one: a count needs a verb that says what was counted
("investigated 14 trafficking cases", "convicting and sentencing one trafficker"), a zero
needs an explicit "did not ... any" / "there were no", a bound ("more than 100") is never an
exact count, and a positive finding is not read from a clause that negates it before it
("did not adequately train"). Sentences no rule matches are listed for the reviewer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from scoring.extract.numbers import NUMBER, is_bound, parse

Part = str  # "value" | "previous" | "trend"


@dataclass(frozen=True)
class Finding:
    """One fact read from one clause."""

    field: str
    part: Part
    value: int | bool | float
    #: where in the (masked) clause the wording was found, for ordering and review
    at: int


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern.replace("{N}", rf"(?P<n>{NUMBER})").replace("{ADJ}", _ADJ), re.I)


_ADJ = (r"(?:(?:potential|suspected|alleged|new|separate|additional|trafficking|trafficking-related|sex|labor|labour|"
        r"forced|human|child|adult|foreign|domestic|individual|criminal|possible|cases of)\s+){0,4}")
_PEOPLE = r"(?:offenders?|traffickers?|suspects?|defendants|individuals|persons|people|perpetrators)"
_CASES = rf"(?:cases?|{_PEOPLE})"
#: negation that, found shortly before a positive wording in the same clause, cancels it
_NEGATION = re.compile(r"\b(?:not|no|never|neither|nor|failed to|without|lack(?:ed|s|ing)?|unable to|did not)\b[^;]*$", re.I)
_CONTRAST = re.compile(r"\b(?:but|however|although|though|while|whereas|yet|despite)\b", re.I)
_NOT_DONE = re.compile(r"\b(?:need(?:ed|s)? (?:for|to)|lack of|should|plan(?:s|ned)? to|intend(?:s|ed)? to|pledged to|"
                       r"committed to|promised to|attempt(?:ed)? to|would)\b", re.I)
#: hedges that make a negative statement a matter of degree, not a "no"
_DEGREE = re.compile(r"\b(?:adequately|fully|sufficiently|always|systematically|consistently|effectively|proactively)\b", re.I)

# ---------------------------------------------------------------- counts (exact numbers)

COUNT_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("prosecution.complicit_officials_investigated",
     _rx(r"\b(?:investigated|initiated investigations? (?:of|into|against)|investigations? (?:of|into|against)) {N} (?:[\w’'-]+ ){0,2}?officials\b(?=[^;.]*\bcomplicit)")),
    ("prosecution.complicit_officials_prosecuted",
     _rx(r"\b(?:prosecuted|initiated prosecutions? against|prosecutions? (?:of|against)) {N} (?:[\w’'-]+ ){0,2}?officials\b(?=[^;.]*\bcomplicit)")),
    ("prosecution.complicit_officials_convicted",
     _rx(r"\bconvicted(?: and sentenced)?(?: [^,;.]{0,60}?)? {N} (?:[\w’'-]+ ){0,2}?officials\b(?=[^;.]*\bcomplicit)")),
    ("prosecution.investigations", _rx(rf"\binvestigated {{N}} {{ADJ}}{_CASES}\b")),
    ("prosecution.investigations", _rx(r"\b(?:initiated|opened|conducted|began|launched|reported) {N} {ADJ}investigations?\b")),
    ("prosecution.prosecutions", _rx(rf"\bprosecut(?:ed|ing)(?: and convict(?:ed|ing))? {{N}} {{ADJ}}{_CASES}\b")),
    ("prosecution.prosecutions",
     _rx(rf"\b(?:initiated |began |launched |reported |led to )?(?:the )?prosecutions? (?:of|against) {{N}} {{ADJ}}{_PEOPLE}\b")),
    ("prosecution.prosecutions", _rx(r"\b(?:initiated|began|launched|reported) {N} {ADJ}prosecutions?\b")),
    ("prosecution.convictions", _rx(rf"\bconvict(?:ed|ing)(?: and sentenc(?:ed|ing))? {{N}} {{ADJ}}{_PEOPLE}\b")),
    ("prosecution.convictions", _rx(r"\b(?:secured|obtained|reported|achieved) {N} {ADJ}convictions?\b")),
    ("protection.victims_identified",
     _rx(r"\bidentified(?: and referred)?(?: a total of)? {N} {ADJ}(?:trafficking )?victims\b(?! of (?!trafficking))")),
    ("protection.victims_referred", _rx(r"\b(?:identified and )?referred(?: a total of)? {N} {ADJ}(?:trafficking )?victims\b")),
    ("protection.victims_assisted",
     _rx(r"\b(?:assisted|sheltered|provided (?:services|assistance|care|shelter) to) {N} {ADJ}(?:trafficking )?victims\b")),
    ("protection.child_soldiers_demobilized",
     _rx(r"\b(?:rehabilitated|demobilized|demobilised|reintegrated|separated) {N} (?:former )?child (?:soldiers|combatants)\b")),
    ("prevention.awareness_campaigns",
     re.compile(rf"\b(?:launched|conducted|funds|funded|organized|held|ran|implemented|sponsored) (?P<n>an?|{NUMBER}) "
                r"(?:[\w-]+ ){0,3}?awareness(?:-raising)? campaigns?\b", re.I)),
    ("partnership.agreements_signed",
     re.compile(rf"\bsigned (?P<n>an?|{NUMBER}) (?:[\w-]+ ){{0,2}}?(?:conventions?|agreements?|memorand(?:um|a) of understanding|MOUs?)\b", re.I)),
)
_PREVIOUS = _rx(r"\b(?:compared (?:with|to)|(?:an? )?(?:decrease|increase|drop|rise|decline|down|up) from|versus|vs\.?)\s+(?:the\s+)?{N}\b")

# ---------------------------------------------------------------- zeros ("did not ... any")

_VERB_FIELD = {"investigate": "investigations", "prosecute": "prosecutions", "convict": "convictions"}
_COMPLICIT_FIELD = {"investigat": "complicit_officials_investigated", "prosecut": "complicit_officials_prosecuted",
                    "convict": "complicit_officials_convicted"}
_ZERO_VERBS = re.compile(
    r"\b(?:did not|failed to|has not|have not|was unable to|could not)\s+(?P<verbs>(?:investigate|prosecute|convict)"
    r"(?:,?\s+(?:or\s+|and\s+|nor\s+)?(?:investigate|prosecute|convict))*)\s+any\s+(?P<obj>[^,;.]*)", re.I)
_ZERO_NOUNS = re.compile(
    r"\b(?:did not report(?: any)?|reported no|there (?:were|was) no|did not (?:initiate|conduct|secure|obtain)(?: any)?)\s+"
    r"(?P<nouns>(?:(?:new\s+)?(?:trafficking\s+)?(?:investigations|prosecutions|convictions)(?:,?\s+(?:or\s+|and\s+|nor\s+)?)?)+)"
    r"(?P<rest>[^;.]*)", re.I)
#: "any (suspected) traffickers / cases (of human trafficking)": all trafficking, not a subset such as
#: "any cases of labor trafficking" or "any sex trafficking offenders" (a zero for a subset is not a zero)
_OFFENDER_OBJECT = re.compile(r"^(?:(?:suspected|alleged|potential|trafficking|human)\s+)*"
                              r"(?:offenders|traffickers|cases|suspects|crimes)\b(?!\s+of\s+(?!(?:human\s+)?trafficking\b))", re.I)
_OFFICIALS = re.compile(r"\b(?:officials?|employees|officers)\b", re.I)
_ZERO_OTHER: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("protection.victims_identified",
     re.compile(r"\b(?:did not report|reported no)\b[^;.]*\bidentification\b[^;.]*\bof any (?:trafficking )?victims\b(?! of)", re.I)),
    ("prevention.awareness_campaigns",
     re.compile(r"\b(?:did not|failed to|or|nor)\s+(?:conduct|fund|launch|organize|hold|implement)\s+any\s+(?:[\w-]+\s+){0,2}?"
                r"awareness(?:-raising)?\s+campaigns\b", re.I)),
)

# ---------------------------------------------------------------- trends

_TREND_VERB = r"(?:investigated|prosecuted|convicted|identified|referred|assisted)"
_VERB_TREND = re.compile(rf"\b(?P<verb>(?:{_TREND_VERB}(?:,\s+and\s+|,\s+|\s+and\s+))*{_TREND_VERB})\s+"
                         r"(?:significantly\s+|slightly\s+|far\s+|substantially\s+|modestly\s+|considerably\s+)?"
                         r"(?P<dir>more|fewer)\b", re.I)
_NOUN = r"(?:investigations|prosecutions|convictions|victims (?:identified|assisted|referred)|identified victims)"
_INCREASE_NOUNS = re.compile(
    rf"\b(?P<dir>increas(?:ed|ing)|decreas(?:ed|ing)|reduc(?:ed|ing))\s+(?:significantly\s+|modestly\s+|slightly\s+)?"
    rf"(?:the\s+)?(?:(?:number|numbers)\s+of\s+)?(?P<nouns>{_NOUN}(?:\s+and\s+{_NOUN})?)\b", re.I)
_NOUNS_INCREASED = re.compile(
    rf"\b(?P<nouns>(?:arrests|{_NOUN})(?:\s+and\s+{_NOUN})?)(?:\s+[^,;.]{{0,60}}?)?\s+(?P<dir>increased|decreased|rose|fell|declined)\b", re.I)
_VERB_TREND_FIELD = {"investigated": "prosecution.investigations", "prosecuted": "prosecution.prosecutions",
                     "convicted": "prosecution.convictions", "identified": "protection.victims_identified",
                     "referred": "protection.victims_referred", "assisted": "protection.victims_assisted"}
_NOUN_FIELD = {"investigations": "prosecution.investigations", "prosecutions": "prosecution.prosecutions",
               "convictions": "prosecution.convictions", "victims identified": "protection.victims_identified",
               "identified victims": "protection.victims_identified", "victims assisted": "protection.victims_assisted",
               "victims referred": "protection.victims_referred"}

# ---------------------------------------------------------------- yes/no facts

_ALL_FORMS = ("prosecution.law.prohibits_sex_trafficking", "prosecution.law.prohibits_labor_trafficking",
              "prosecution.law.covers_adults", "prosecution.law.covers_children")
#: (fields, value, pattern, guarded): a guarded (positive) rule is cancelled by a negation before it
FLAG_RULES: tuple[tuple[tuple[str, ...], bool, re.Pattern[str], bool], ...] = (
    (_ALL_FORMS, True, re.compile(r"\b(?:prohibits|criminali[sz]es) all forms of (?:human )?trafficking\b", re.I), True),
    (("prosecution.law.covers_children",), True,
     re.compile(r"\b(?:prohibits|criminali[sz]es) (?:the )?trafficking (?:in|of) children\b", re.I), True),
    (("prosecution.law.penalties_sufficiently_stringent",), True, re.compile(r"\bsufficiently stringent\b", re.I), True),
    (("prosecution.law.penalties_sufficiently_stringent",), False,
     re.compile(r"\bnot sufficiently stringent\b", re.I), False),
    (("prosecution.law.penalties_commensurate_with_grave_crimes",), True,
     re.compile(r"\bcommensurate with (?:those|penalties)(?: prescribed)? for (?:other )?(?:serious|grave) crimes\b", re.I), True),
    (("prosecution.law.penalties_commensurate_with_grave_crimes",), False,
     re.compile(r"\bnot commensurate with (?:those|penalties)(?: prescribed)? for (?:other )?(?:serious|grave) crimes\b", re.I), False),
    (("prosecution.official_complicity_reported",), True,
     re.compile(r"\bofficials\s+(?:allegedly\s+|reportedly\s+)?(?:complicit|involved)\s+in\s+trafficking\b", re.I), True),
    (("prosecution.official_complicity_reported",), True,
     re.compile(r"\breports of (?:government )?officials (?:\w+ ){0,2}?(?:committing|facilitating|complicit)\b", re.I), True),
    (("prosecution.officials_trained",), True,
     re.compile(r"\b(?:provided|conducted|funded|delivered) (?:\w+ ){0,2}?training (?:for|to) (?:its )?(?!diplomat|peacekeep)"
                r"[\w ,-]*?(?:officials|police|officers|inspectors|prosecutors|judges|responders|personnel)\b"
                r"|\btrain(?:ed|ing) (?:[\w-]+ ){0,2}?(?:officials|police|officers|inspectors|prosecutors|judges|responders)\b"
                r"|\bincreased training of\b", re.I), True),
    (("prosecution.officials_trained",), False,
     re.compile(r"\bprovided no (?:specialized )?(?:anti-trafficking )?training to (?:its )?(?:officials|law enforcement)"
                r"|\bdid not (?:provide|conduct|fund) (?:any )?(?:specialized )?(?:anti-trafficking )?training (?:to|for) "
                r"(?:its )?(?:officials|law enforcement|police|judges|prosecutors)\b"
                r"|\bdid not conduct any (?:[\w-]+ ){0,4}?training efforts\b", re.I), False),
    (("prevention.diplomats_trained",), False,
     re.compile(r"\bdid not provide (?:any )?(?:anti-trafficking )?training(?: or guidance)? for its diplomatic personnel\b", re.I), False),
    (("prevention.peacekeepers_trained",), False,
     re.compile(r"\bdid not provide (?:any )?(?:anti-trafficking )?training(?: or guidance)? for its (?:diplomatic personnel and )?peacekeepers\b", re.I), False),
    (("prevention.diplomats_trained",), True,
     re.compile(r"\bprovided (?:anti-trafficking )?training(?: or guidance)? (?:for|to) its diplomat(?:s|ic personnel)\b", re.I), True),
    (("prevention.peacekeepers_trained",), True,
     re.compile(r"\bprovided (?:anti-trafficking )?training(?: or guidance)? (?:for|to) its (?:[\w ]+ and )?peacekeepers\b", re.I), True),
    (("prosecution.law_enforcement_data_provided",), True,
     re.compile(r"\b(?:transparently )?reported comprehensive (?:law enforcement )?(?:data|datasets|statistics)\b", re.I), True),
    (("prosecution.law_enforcement_data_provided",), False,
     re.compile(r"\bdid not (?:provide|report|share) (?:any )?(?:comprehensive )?law enforcement (?:data|statistics)\b", re.I), False),
    (("prosecution.sentences_suspended_or_reduced",), False,
     re.compile(r"\ball convicted (?:trafficking )?offenders (?:were given|received|served) (?:adequate |significant )?prison sentences\b", re.I), False),
    (("prosecution.sentences_suspended_or_reduced",), True,
     re.compile(r"\b(?:received|were given|imposed) (?:only )?suspended sentences\b", re.I), True),
    (("protection.government_services",), False,
     re.compile(r"\bdid not provide any (?:direct )?(?:protective )?services to (?:trafficking )?victims\b"
                r"|\bprovided no (?:direct )?(?:protective )?services to (?:trafficking )?victims\b", re.I), False),
    (("protection.government_services",), True,
     re.compile(r"\bprovided (?:\w+ ){0,2}?(?:victims|victim witnesses) with (?:protective )?(?:services|shelter|care)\b"
                r"|\bprovided (?:protective |direct )?(?:services|shelter|care) (?:to|for) (?:\w+ ){0,2}?victims\b", re.I), True),
    (("protection.ngo_funding",), False,
     re.compile(r"\bdid not provide (?:any )?(?:financial support|funding|funds|grants) to (?:these organizations|NGOs|civil society)"
                r"|\bdid not fund (?:any )?NGOs\b|\bprovided no (?:financial support|funding) to (?:NGOs|these organizations)", re.I), False),
    (("protection.ngo_funding",), True,
     re.compile(r"(?<![\w-])(?:partially |fully )?fund(?:ed|s) (?:\w+ ){0,2}?NGOs?\b|\bprovided (?:funding|financial support|grants?) to (?:\w+ ){0,2}?NGOs\b", re.I), True),
    (("protection.victims_encouraged_to_assist",), True,
     re.compile(r"\bencouraged to (?:assist|participate|cooperate) in (?:the )?(?:investigation|prosecution)"
                r"|\bvictims (?:voluntarily )?(?:participated|cooperated) (?:with|in) (?:law enforcement )?(?:investigations|prosecutions)", re.I), True),
    (("protection.legal_alternatives_to_removal",), True,
     re.compile(r"\boffer(?:s|ed)? (?:foreign victims )?legal alternatives to (?:their )?removal\b", re.I), True),
    (("protection.legal_alternatives_to_removal",), False,
     re.compile(r"\b(?:did not|does not) (?:offer|provide) (?:foreign victims )?legal alternatives to (?:their )?removal\b"
                r"|\bno legal alternatives to (?:their )?removal\b", re.I), False),
    (("protection.identification_procedures",), True,
     re.compile(r"\b(?:enactment|adoption|adopted|enacted|established|finalized|launched) (?:of )?(?:the |a |its )?(?:country’s |country's )?"
                r"(?:first-ever |first )?national referral mechanism\b", re.I), True),
    (("protection.child_soldiers_detained",), False,
     re.compile(r"\bno reports (?:alleging|that|of) (?:the government )?detain(?:ed|ing) child soldiers\b", re.I), False),
    (("protection.child_soldiers_detained",), True,
     re.compile(r"\bchild soldiers (?:remained|were held|were kept) in detention\b", re.I), True),
    (("protection.victims_penalized",), True,
     re.compile(r"\bcontinued to (?:(?:fine|jail|arrest|detain|deport|punish|penalize|charge|prosecute)[,/]*\s+(?:and/or\s+|and\s+|or\s+)?){1,4}"
                r"(?:potential |suspected |unidentified )?(?:migrant workers|victims|women|children)\b[^;]*\bvictims\b", re.I), True),
    (("prevention.action_plan_adopted",), True,
     re.compile(r"\b(?:adopted|approved|launched|finalized|enacted|has|had) an? (?:(?!draft\b)[\w()-]+ ){0,4}?national (?:action )?plan\b"
                r"(?!(?: of action)? on (?!(?:combating )?(?:human )?trafficking))(?![^;,]{0,60}\b(?:was|were|is|has|had) not\b)"
                r"|(?-i:\bAction Plan to (?:Eradicate|Combat|Prevent))\b", re.I), True),
    (("prevention.action_plan_adopted",), False,
     re.compile(r"\b(?:did not|has not|had not) (?:yet )?(?:adopt|approve|finalize|have)(?:ed)? an? (?:new )?national (?:action )?plan\b"
                r"|\b(?:has|had) no national (?:action )?plan\b|\black(?:ed|s) a national (?:action )?plan\b", re.I), False),
    (("prevention.action_plan_funded",), True,
     re.compile(r"\ballocated (?:\w+ ){0,3}?(?:funding|funds|a budget) (?:to|for) (?:implement(?:ing)? )?(?:the|its) (?:national )?(?:action )?plan\b"
                r"|(?-i:\bAction Plan to (?:Eradicate|Combat|Prevent))[^;.]*?\bprovided (?:substantial )?financial\b", re.I), True),
    (("prevention.action_plan_funded",), False,
     re.compile(r"\bdid not (?:allocate|provide) (?:any )?(?:funding|funds|a budget) (?:to|for) (?:implement(?:ing)? )?(?:the|its) (?:national )?(?:action )?plan\b", re.I), False),
    (("prevention.action_plan_implemented",), False,
     re.compile(r"\bnational (?:action )?plan\b[^;.]{0,40}?\b(?:remains|remained|was|is) (?:still )?(?:unimplemented|not implemented)\b", re.I), False),
    (("context.victims_very_significant_or_increasing",), True,
     re.compile(r"\b(?:absolute|estimated) number of (?:trafficking )?victims\b[^;.]{0,40}?\b(?:is|was|are|were) "
                r"(?:very significant|significantly increasing)\b", re.I), True),
    (("prevention.coordinating_body_active",), True,
     re.compile(r"\bnational (?:anti-trafficking )?(?:committee|coordination body|coordinating body|task force|commission|council)\b"
                r"[^;]*?\b(?:met|convened|was (?:minimally |partially |somewhat )?active|remained active)\b", re.I), True),
    (("prevention.coordinating_body_active",), False,
     re.compile(r"\bnational (?:anti-trafficking )?(?:committee|coordination body|coordinating body|task force|commission|council)\b"
                r"[^;]*?\b(?:did not meet|did not convene|was (?:largely )?inactive|remained inactive|never met)\b", re.I), False),
    (("prevention.demand_reduction",), False,
     re.compile(r"\b(?:failed to make|did not make|made no) (?:any )?(?:tangible |discernible )?efforts to (?:decrease|reduce) (?:the )?demand\b", re.I), False),
    (("prevention.demand_reduction",), True,
     re.compile(r"\b(?:made|took) (?:\w+ ){0,2}?efforts to (?:decrease|reduce) (?:the )?demand\b", re.I), True),
    (("partnership.civil_society_partnerships",), True,
     re.compile(r"\bin (?:close )?(?:partnership|collaboration|cooperation) with (?:\w+ ){0,2}?(?:NGOs|international organizations?|civil society)\b"
                r"|\bworks? closely with international organizations and NGOs\b", re.I), True),
    (("waiver.written_plan", "waiver.plan_would_constitute_significant_efforts"), True,
     re.compile(r"\bhas a written plan that, if implemented, would constitute (?:making )?significant efforts\b", re.I), False),
    (("waiver.granted",), True,
     re.compile(r"\b(?:was|were|has been|had been) granted a waiver\b", re.I), True),
    (("waiver.sufficient_resources",), True,
     re.compile(r"\b(?:has committed to devoting|is devoting|devotes) sufficient resources to implement\b", re.I), False),
)

_PENALTY_RANGE = _rx(r"\b(?:penalties|penalty|punishable|sentences?)\b[^;.]{0,40}?\b(?:of|by|from)\s+(?P<lo>" + NUMBER
                     + r")\s+(?:to|and)\s+(?P<hi>" + NUMBER + r")\s+years")
_PENALTY_MAX = re.compile(rf"\bmaximum (?:penalty |sentence |term )?of (?P<max>{NUMBER}) years", re.I)


def _negated(clause: str, start: int) -> bool:
    """A negation or an unrealised action ("the need for", "plans to") before ``start`` in the same
    clause, since its last contrast word ("but", "however", "despite"), that is not a matter of degree."""
    before = _CONTRAST.split(clause[:start])[-1]
    if _NOT_DONE.search(before):
        return True
    found = _NEGATION.search(before)
    return bool(found) and not _DEGREE.search(before[found.start():])


def _count(token: str, before: str) -> int | None:
    if token.lower() in ("a", "an"):
        return 1
    return None if is_bound(before) else parse(token)


def counts(clause: str) -> Iterator[Finding]:
    """Exact counts with the previous period's value given in the same stretch of the clause."""
    hits: list[tuple[int, int, str, int]] = []
    for field, pattern in COUNT_RULES:
        for m in pattern.finditer(clause):
            # one number is one count, except "identified and referred 48 victims" (two fields, one number);
            # a complicit-officials count (rules listed first) is never also a general count
            if any(s <= m.start("n") < e and (f == field or "complicit" in f) for s, e, f, _ in hits):
                continue
            if _negated(clause, m.start()):
                continue
            value = _count(m.group("n"), clause[:m.start("n")])
            if value is not None:
                hits.append((m.start(), m.end(), field, value))
    hits.sort()
    for i, (start, end, field, value) in enumerate(hits):
        yield Finding(field, "value", value, start)
        stop = hits[i + 1][0] if i + 1 < len(hits) else len(clause)
        prev = _PREVIOUS.search(clause, end, stop)
        if prev and not is_bound(clause[:prev.start("n")]):
            previous = parse(prev.group("n"))
            if previous is not None and not 1900 <= previous <= 2100:
                yield Finding(field, "previous", previous, prev.start())


def _complicit(word: str) -> str:
    """The complicit-officials count a verb or noun ("prosecute", "convictions") is about."""
    return "prosecution." + next(f for stem, f in _COMPLICIT_FIELD.items() if word.lower().startswith(stem))


_CONSECUTIVE = re.compile(r"\bfor the (?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th)) consecutive year\b", re.I)


def zeros(clause: str) -> Iterator[Finding]:
    """Counts the text says were none; "for the Nth consecutive year" makes the previous period none too."""
    repeated = bool(_CONSECUTIVE.search(clause))
    for m in _ZERO_VERBS.finditer(clause):
        obj = m.group("obj")
        verbs = re.findall(r"investigate|prosecute|convict", m.group("verbs"), re.I)
        fields = []
        if _OFFENDER_OBJECT.match(obj):  # "any traffickers or officials complicit ..." is both
            fields += [f"prosecution.{_VERB_FIELD[v.lower()]}" for v in verbs]
        if _OFFICIALS.search(obj) and re.search(r"\bcomplicit", obj, re.I):
            fields += [_complicit(v) for v in verbs]
        for field in fields:
            yield Finding(field, "value", 0, m.start())
            if repeated:
                yield Finding(field, "previous", 0, m.start())
    for m in _ZERO_NOUNS.finditer(clause):
        rest = m.group("rest")
        nouns = re.findall(r"investigations|prosecutions|convictions", m.group("nouns"), re.I)
        if re.match(r"\s*(?:of|against|into|involving)\b", rest, re.I):  # the nouns are about someone in particular
            if not (_OFFICIALS.search(rest) and re.search(r"\bcomplicit", rest, re.I)):
                continue
            fields = [_complicit(n) for n in nouns]
        else:
            fields = [f"prosecution.{n.lower()}" for n in nouns]
        for field in fields:
            yield Finding(field, "value", 0, m.start())
    for field, pattern in _ZERO_OTHER:
        for m in pattern.finditer(clause):
            # "..., did not provide any services, or conduct any campaigns": an "or" continues a negation
            # said earlier in the clause, and means nothing without one
            if m.group(0).lower().startswith(("or ", "nor ")) and not _NEGATION.search(clause[:m.start()]):
                continue
            yield Finding(field, "value", 0, m.start())


def trends(clause: str) -> Iterator[Finding]:
    """A stated change with no numbers ("identified fewer victims", "increasing prosecutions")."""
    for m in _VERB_TREND.finditer(clause):
        if not _negated(clause, m.start()):
            trend = "increased" if m.group("dir").lower() == "more" else "decreased"
            for verb in re.findall(_TREND_VERB, m.group("verb"), re.I):
                yield Finding(_VERB_TREND_FIELD[verb.lower()], "trend", trend, m.start())  # type: ignore[arg-type]
    for pattern in (_INCREASE_NOUNS, _NOUNS_INCREASED):
        for m in pattern.finditer(clause):
            if _negated(clause, m.start()):
                continue
            trend = "increased" if m.group("dir").lower().startswith(("increas", "rose")) else "decreased"
            for noun in re.findall(_NOUN, m.group("nouns"), re.I):
                yield Finding(_NOUN_FIELD[noun.lower()], "trend", trend, m.start())  # type: ignore[arg-type]


def flags(clause: str) -> Iterator[Finding]:
    """Yes/no facts; a positive wording after a negation in the same clause is not read."""
    for fields, value, pattern, guarded in FLAG_RULES:
        for m in pattern.finditer(clause):
            if guarded and _negated(clause, m.start()):
                continue
            for field in fields:
                yield Finding(field, "value", value, m.start())


def penalties(clause: str) -> Iterator[Finding]:
    """The prison-term range the law prescribes ("five to 10 years ..., and a maximum of 20 years")."""
    found = _PENALTY_RANGE.search(clause)
    if not found:
        return
    low, high = parse(found.group("lo")), parse(found.group("hi"))
    ceiling = _PENALTY_MAX.search(clause, found.end())
    if ceiling and (top := parse(ceiling.group("max"))) is not None and high is not None:
        high = max(high, top)
    if low is not None and high is not None and low <= high:
        yield Finding("prosecution.law.penalty_min_years", "value", low, found.start())
        yield Finding("prosecution.law.penalty_max_years", "value", high, found.start())


def findings(clause: str) -> list[Finding]:
    """Every finding in one (masked) clause, in reading order."""
    out = [*counts(clause), *zeros(clause), *trends(clause), *flags(clause), *penalties(clause)]
    return sorted(out, key=lambda f: (f.at, f.field, f.part))
