"""The only door to durable-rules 2.0.28: a small driver over its C extension that cannot crash.

Why not ``durable.engine.Host`` or ``durable.lang``: their Timer threads walk freed state (crash
classes C1/C5, segfault after MemoryError). They swallow action exceptions, even SystemExit. They
also re-assert the state fact after every action, which causes runaway loops. So this module calls
``durable_rules_engine`` directly and guards every failure mode in
../shared/reference/durable-rules-notes.md (cited as "notes"). Every failure is an
``EngineError``; the codes are:

Rules (checked before anything reaches C):
  ENG-SHAPE          outside the supported grammar, e.g. a multi-key condition dict (durable reads
                     only its first key and silently ignores the rest), count/cap/run, bad names
  ENG-DISCRIMINATOR  a pattern without a top-level {"type": str}; a fact without a str "type"
  ENG-DIV            $div anywhere (an integer divisor 0 is SIGFPE, C4)
  ENG-STATE          $s (rules on the session state document loop, notes section 4)
  ENG-PRI            pri not an int in 0..65535 (stored as unsigned short, so it wraps)
  ENG-PATTERNS       more than 16 patterns in a rule (error 304 at post time)
  ENG-RULES          more than 4096 rules (error 106)
  ENG-FANOUT         a fact could push more than 64 tests on the match stack (error 303 at assert
                     time), or one node has more than 500 tests (create_ruleset hangs)
  ENG-IDENTICAL      more than 256 patterns end at one node (error 108)
  ENG-STRING-ORDER   $lt/$lte/$gt/$gte or arithmetic with a string/bool literal (strncmp on JSON text)
  ENG-TYPE           a field compared with values of two kinds (durable coerces 5 == "5"), or a
                     fact value whose kind differs from what the rules compare the field with
Facts: ENG-NULL, ENG-FLOAT (NaN/inf), ENG-INT (outside int64), ENG-VALUE (not a JSON scalar),
  ENG-KEY (non-str, sid/id or odd key; a fact shape of another ruleset), ENG-NESTED (dict or
  nested list), ENG-PROPS (> 250 keys), ENG-SHAPE (values that do not match their fact shape's keys)
Running:
  ENG-CODE-<n>   C error code n (e.g. 311: a join reads a field missing from the other fact)
  ENG-COLLISION  "observed" for a fact text not asserted before in the session (32-bit id hash)
  ENG-RUNAWAY    more than 10,000 activations in one session
  ENG-ACTION     the on_fire callback raised (even SystemExit); chained from the original
  ENG-SESSION    closed session/ruleset, re-entrant session, ruleset whose cleanup failed
  ENG-POISONED   durable raised MemoryError once; the C engine is never touched again
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
import threading
from itertools import repeat
from types import TracebackType
from typing import Any, Callable

import durable_rules_engine as _dre

from scoring.errors import EngineError

MAX_PATTERNS, MAX_RULES, MAX_STACK, MAX_BETA, MAX_TESTS = 16, 4096, 64, 256, 500
MAX_PROPS, MAX_ACTIVATIONS = 250, 10_000
_FIELD = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*\Z")
_ALIAS = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\$not)?\Z")
_ORDER = frozenset({"$lt", "$lte", "$gt", "$gte"})
_OPS = _ORDER | {"$eq", "$neq", "$ex", "$nex", "$mt", "$imt", "$iany", "$iall"}
_ARITH = ("$add", "$sub", "$mul")
_OPEN = "__open__"
OnFire = Callable[["Firing"], "list[dict] | None"]

_poisoned = False
_sids = itertools.count(1)
_cache: dict[str, _Handle] = {}
_cache_lock = threading.Lock()


class Firing:
    """One rule activation: rule name and alias -> matched fact (without durable's sid/id).

    The matched facts are decoded only when asked for: most callers need just the rule name,
    and decoding every activation's JSON was the largest cost per scoring.
    """

    __slots__ = ("rule", "_raw", "_facts")

    def __init__(self, rule: str, facts: dict[str, dict] | None = None, raw: str | None = None) -> None:
        self.rule = rule
        self._raw = raw
        self._facts = facts

    @property
    def facts(self) -> dict[str, dict]:
        if self._facts is None:
            (_, matched), = json.loads(self._raw or "{}").items()
            self._facts = {a: {k: v for k, v in f.items() if k not in ("sid", "id")} for a, f in matched.items()}
        return self._facts

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Firing) and (self.rule, self.facts) == (other.rule, other.facts)

    def __hash__(self) -> int:
        return hash(self.rule)

    def __repr__(self) -> str:
        return f"Firing(rule={self.rule!r}, facts={self.facts!r})"


def _err(code: str, msg: str) -> EngineError:
    return EngineError(code, msg)


def _call(fn: Callable[..., Any], *args: Any) -> Any:
    """Call the C engine and turn its failures into codes. MemoryError poisons the module: it
    leaves a half-built state node linked, and touching that ruleset again segfaults (notes 2.1)."""
    global _poisoned
    if _poisoned:
        raise _err("ENG-POISONED", "durable-rules ran out of memory earlier; restart the process")
    try:
        return fn(*args)
    except MemoryError as e:
        _poisoned = True
        raise _err("ENG-POISONED", "durable-rules raised MemoryError; engine disabled") from e
    except _dre.error as e:
        m = re.search(r"error code: (\d+)", str(e))
        raise _err(f"ENG-CODE-{m.group(1) if m else 'UNKNOWN'}", f"durable-rules: {e}") from e


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    return "num" if isinstance(v, (int, float)) else "str" if isinstance(v, str) else "list"


def _scalar(v: Any, where: str) -> str:
    """Our JSON for one scalar. durable's json.dumps writes 1e-07, which its C parser rejects
    (error 204), and lets None/NaN through to compare silently wrong; we refuse those."""
    if v is None:
        raise _err("ENG-NULL", f"{where}: null value (leave unknown facts out instead)")
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        if not -(2**63) <= v < 2**63:
            raise _err("ENG-INT", f"{where}: integer {v} is outside int64 (durable clamps it)")
        return int.__repr__(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise _err("ENG-FLOAT", f"{where}: {v!r} is not a finite number")
        text = float.__repr__(v)  # shortest round-trip; durable needs "1.0e-07", not "1e-07"
        mant, e, exp = text.partition("e")
        return f"{mant}.0e{exp}" if e and "." not in mant else text
    if isinstance(v, str):
        try:
            v.encode("utf-8")
        except UnicodeEncodeError as e:
            raise _err("ENG-VALUE", f"{where}: string is not valid UTF-8") from e
        return json.dumps(v, ensure_ascii=False)  # same spelling in rules and facts: durable
    raise _err("ENG-VALUE", f"{where}: {type(v).__name__} is not a JSON scalar")  # compares bytes


def _enc(v: Any, where: str) -> str:
    """Our JSON for a validated rule tree, spelling scalars exactly as facts do."""
    if isinstance(v, dict):
        return "{" + ",".join(f"{_scalar(k, where)}:{_enc(x, where)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ",".join(_enc(x, where) for x in v) + "]"
    return _scalar(v, where)


_TYPE_KIND = {bool: "bool", int: "num", float: "num", str: "str", list: "list"}
_KINDS = frozenset(_TYPE_KIND.values())
_GOOD_KEYS: set[str] = set()
_PLAIN = (bool, int, str)


def _fast_encode(fact: dict) -> str | None:
    """The common case (plain keys; bool, int64 and str values): one json.dumps call."""
    for k, v in fact.items():
        if k not in _GOOD_KEYS:
            if not isinstance(k, str) or not _FIELD.match(k) or k in ("sid", "id"):
                return None
            _GOOD_KEYS.add(k)
        if type(v) not in _PLAIN or (type(v) is int and not -(2**63) <= v < 2**63) or (
                type(v) is str and not v.isascii()):
            return None
    return json.dumps(fact, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def encode_fact(fact: dict) -> str:
    """Validate a flat fact; return its canonical JSON (sorted keys, no sid). durable's fact id is
    a hash of the text, so equal facts must give equal strings."""
    if isinstance(fact, dict) and len(fact) <= MAX_PROPS and (text := _fast_encode(fact)) is not None:
        return text
    if not isinstance(fact, dict):
        raise _err("ENG-VALUE", f"a fact must be a dict, not {type(fact).__name__}")
    if len(fact) > MAX_PROPS:
        raise _err("ENG-PROPS", f"fact has {len(fact)} properties; durable holds {MAX_PROPS}")
    for k in fact:
        if not isinstance(k, str) or not _FIELD.match(k) or k in ("sid", "id"):
            raise _err("ENG-KEY", f"fact key {k!r} must be a plain field name other than sid/id")
    parts = []
    for k in sorted(fact):
        v, where = fact[k], f"fact field {k!r}"
        if isinstance(v, dict) or (isinstance(v, list) and any(isinstance(x, (dict, list)) for x in v)):
            raise _err("ENG-NESTED", f"{where}: nested values must be flattened to dotted keys")
        text = "[" + ",".join(_scalar(x, where) for x in v) + "]" if isinstance(v, list) else _scalar(v, where)
        parts.append(f'"{k}":{text}')
    return "{" + ",".join(parts) + "}"


class _Node:
    """An alpha node as rete.c builds it: each $and is a trie path in list order, each $or ends in
    a fresh forward node. ``excl`` is the field of a string-equality test: siblings on one field
    exclude each other, because a str value (enforced per fact) equals at most one of them."""

    __slots__ = ("kids", "fwds", "excl", "betas", "rules")

    def __init__(self, excl: str | None = None) -> None:
        self.kids: dict[tuple[str, str, str], _Node] = {}
        self.fwds: list[_Node] = []
        self.excl, self.betas, self.rules = excl, 0, set()


class _Checker:
    """Static checks of one ruleset, the alpha network, and the field -> value-kind map."""

    def __init__(self) -> None:
        self.kinds: dict[str, str] = {"type": "str"}
        self.single = True  #: every rule has one pattern (no joins)
        self.root = _Node()

    def kind(self, field: str, k: str) -> None:
        if field != "$i" and self.kinds.setdefault(field, k) != k:
            raise _err("ENG-TYPE", f"field {field!r} is compared with both {self.kinds[field]} and {k}")

    def rule(self, name: Any, body: Any) -> None:
        where = f"rule {name!r}"
        if not isinstance(name, str) or not _FIELD.match(name) or name == _OPEN:
            raise _err("ENG-SHAPE", f"{where}: rule names are plain identifiers")
        if not isinstance(body, dict) or set(body) - {"all", "any", "pri"} or len(body.keys() & {"all", "any"}) != 1:
            raise _err("ENG-SHAPE", f"{where}: a rule is {{'all'|'any': [patterns], 'pri'?: int}}")
        pri = body.get("pri", 0)
        if type(pri) is not int or not 0 <= pri <= 65535:
            raise _err("ENG-PRI", f"{where}: pri {pri!r} must be an int in 0..65535")
        pats = body.get("all", body.get("any"))
        self.single = self.single and isinstance(pats, list) and len(pats) == 1
        if not isinstance(pats, list) or not 1 <= len(pats) <= MAX_PATTERNS:
            raise _err("ENG-PATTERNS", f"{where}: needs 1..{MAX_PATTERNS} patterns")
        aliases: set[str] = set()
        for p in pats:
            alias = next(iter(p)) if isinstance(p, dict) and len(p) == 1 else None
            if not isinstance(alias, str) or not _ALIAS.match(alias):
                raise _err("ENG-SHAPE", f"{where}: a pattern is {{alias: condition}}")
            cond = p[alias]
            self.cond(cond, aliases, where)
            if not any(len(c) == 1 and isinstance(c.get("type"), str) and c["type"] != _OPEN
                       for c in cond.get("$and", [cond])):
                raise _err("ENG-DISCRIMINATOR", f"{where}: pattern {alias!r} needs a top-level {{'type': str}}")
            self.build(cond, self.root, name).betas += 1
            aliases.add(alias.removesuffix("$not"))

    def cond(self, c: Any, aliases: set[str], where: str) -> None:
        if not isinstance(c, dict) or len(c) != 1:
            raise _err("ENG-SHAPE", f"{where}: condition {c!r} must be a one-key dict (durable ignores other keys)")
        (op, arg), = c.items()
        if op in ("$and", "$or"):
            if not isinstance(arg, list) or not arg:
                raise _err("ENG-SHAPE", f"{where}: {op} needs a non-empty list")
            for x in arg:
                self.cond(x, aliases, where)
            return
        if op == "$s":
            raise _err("ENG-STATE", f"{where}: rules on the session state ($s) are not supported")
        if op in _OPS:
            if not isinstance(arg, dict) or len(arg) != 1:
                raise _err("ENG-SHAPE", f"{where}: {op} needs {{field: value}}")
            (field, rv), = arg.items()
        elif op.startswith("$") and op != "$i":
            raise _err("ENG-SHAPE", f"{where}: unsupported operator {op}")
        else:
            field, rv = op, arg  # implicit equality
        if not isinstance(field, str) or not (field == "$i" or _FIELD.match(field)):
            raise _err("ENG-SHAPE", f"{where}: bad field name {field!r}")
        if op in ("$iany", "$iall"):
            self.kind(field, "list")
            return self.cond(rv, aliases, where)
        if op in ("$ex", "$nex"):
            return
        if isinstance(rv, dict):
            refs = self.rvalue(rv, aliases, where)
            if op in _ORDER or rv.keys() & set(_ARITH):  # ordering on strings is byte-wise: numbers only
                for f in [field, *refs]:
                    self.kind(f, "num")
            return
        if isinstance(rv, list) or (op in ("$mt", "$imt") and not isinstance(rv, str)):
            raise _err("ENG-SHAPE", f"{where}: bad operand {rv!r} for {field!r}")
        _scalar(rv, f"{where}: field {field!r}")
        if op in _ORDER and _kind(rv) != "num":
            raise _err("ENG-STRING-ORDER", f"{where}: {op} on {field!r} with {rv!r}; durable orders strings "
                                           "byte-wise ('10' < '9'): compare numbers")
        self.kind(field, _kind(rv))

    def rvalue(self, rv: dict, aliases: set[str], where: str) -> list[str]:
        """Check a computed right-hand side; return the fields it reads."""
        (k, v), = rv.items() if len(rv) == 1 else [(None, None)]
        if k in _ARITH and isinstance(v, dict) and set(v) == {"$l", "$r"}:
            out: list[str] = []
            for side in (v["$l"], v["$r"]):
                if isinstance(side, dict):
                    out += self.rvalue(side, aliases, where)
                elif _kind(side) != "num":
                    raise _err("ENG-STRING-ORDER", f"{where}: arithmetic on {side!r}")
                else:
                    _scalar(side, where)
            return out
        if (k == "$m" or k in aliases) and isinstance(v, str) and _FIELD.match(v):
            return [v]
        raise _err("ENG-SHAPE", f"{where}: unsupported right-hand side {rv!r}")

    def build(self, c: dict, parent: _Node, rule: str) -> _Node:
        """Add a condition to the mirrored alpha network (rete.c createAlpha/findAlpha)."""
        (op, arg), = c.items()
        if op == "$and":
            for x in arg:
                parent = self.build(x, parent, rule)
            return parent
        if op == "$or":
            fwd = _Node()
            for x in arg:
                self.build(x, parent, rule).fwds.append(fwd)
            return fwd
        field, rv = next(iter(arg.items())) if op in _OPS else (op, arg)
        op = op if op in _OPS else "$eq"
        key = (field, op, json.dumps(rv, sort_keys=True))
        if key not in parent.kids:
            parent.kids[key] = _Node(field if op == "$eq" and isinstance(rv, str) else None)
        parent.kids[key].rules.add(rule)
        return parent.kids[key]

    def check_network(self) -> None:
        """Bound durable's match stack (events.c handleAlpha, 64 slots). Popping a node pushes
        every child test the fact passes; join/$m/forward/$nex children are pushed unchecked. So
        the worst case is cost(n) = pushes - 1 + max(1, worst child). Measured: 64 `x > i` rules
        on one type are fine, 65 give error 303; `part` equalities placed before the comparisons
        partition them; placed after the comparisons they do not."""
        memo: dict[int, int] = {}

        def cost(n: _Node) -> int:
            if id(n) not in memo:
                if len(n.kids) > MAX_TESTS:
                    raise _err("ENG-FANOUT", f"{len(n.kids)} tests under one node ({_some(n)}); "
                                             "create_ruleset hangs past ~512")
                if n.betas > MAX_BETA:
                    raise _err("ENG-IDENTICAL", f"{n.betas} identical patterns ({_some(n)}); durable holds {MAX_BETA}")
                kids = [*n.kids.values(), *n.fwds]
                pushes = len({k.excl for k in kids if k.excl}) + sum(1 for k in kids if not k.excl)
                memo[id(n)] = pushes - 1 + max([1, *map(cost, kids)]) if kids else 0
                if memo[id(n)] > MAX_STACK:
                    raise _err("ENG-FANOUT", f"one fact can reach {memo[id(n)]} tests at once ({_some(n)}); durable's "
                                             f"stack holds {MAX_STACK} (error 303): put a distinct equality such as "
                                             "'part' before the comparisons, or split the fact")
            return memo[id(n)]

        cost(self.root)


def _some(n: _Node) -> str:
    names = sorted({r for k in [n, *n.kids.values()] for r in k.rules})
    return "rules " + ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def _has_key(v: Any, key: str) -> bool:
    if isinstance(v, dict):
        return key in v or any(_has_key(x, key) for x in v.values())
    return isinstance(v, list) and any(_has_key(x, key) for x in v)


class _Handle:
    """A created C ruleset, shared by every DurableRuleset with the same content (durable cannot
    redefine a name), with the one lock that serialises all C calls on it."""

    def __init__(self, handle: int) -> None:
        self.h, self.refs, self.lock = handle, 0, threading.Lock()
        self.owner: int | None = None
        self.broken: str | None = None


def _check_key(k: Any) -> None:
    """ENG-KEY unless ``k`` is a plain field name other than sid/id."""
    if not isinstance(k, str) or not _FIELD.match(k) or k in ("sid", "id"):
        raise _err("ENG-KEY", f"fact key {k!r} must be a plain field name other than sid/id")


def _member(kinds: dict[str, str], key: str, value: Any) -> str:
    """The ``"key":value`` member for a checked key, its value checked as ``assert_facts`` checks a
    fact field's: a scalar (ENG-NESTED, ENG-NULL, ENG-FLOAT, ...) of the kind the rules compare."""
    where = f"fact field {key!r}"
    if isinstance(value, (dict, list)):
        raise _err("ENG-NESTED", f"{where}: members are scalars")
    text = _scalar(value, where)
    want = kinds.get(key)
    if want is not None and _kind(value) != want:
        raise _err("ENG-TYPE", f"{where} is {_kind(value)}; the rules compare it with {want}")
    return f"{json.dumps(key)}:{text}"


_ABSENT = (None, type(None))


class FactShape:
    """One kind of fact, checked once: its fixed members (with the ``type``) and the keys of its
    variable members, distinct and within durable's property limit.

    Made only by ``DurableRuleset.shape``. A session then takes just the values of a fact
    (``Session.assert_shaped``); each value becomes a checked ``"key":value`` member the first
    time it is seen for its key and is remembered, so a scoring pays one lookup per value and
    no check of the whole fact: the keys were checked here, once.
    """

    __slots__ = ("owner", "prefix", "keys", "known")

    def __init__(self, owner: DurableRuleset, prefix: str, keys: tuple[str, ...]) -> None:
        self.owner, self.prefix, self.keys = owner, prefix, keys
        #: per key: (value, type) -> member text; the type keeps True, 1 and 1.0 apart, and a
        #: None (the key left out) is the empty text
        self.known: tuple[dict[tuple[Any, type], str], ...] = tuple({_ABSENT: ""} for _ in keys)

    def member_text(self, index: int, value: Any) -> str:
        """The checked member for ``keys[index]`` = ``value``, remembered (bounded per key)."""
        member = _member(self.owner._kinds, self.keys[index], value)
        known = self.known[index]
        if len(known) >= 10_000:  # bounded: many distinct values only cost time
            known.clear()
            known[_ABSENT] = ""
        known[(value, type(value))] = member
        return member


def _checked(rules: Any) -> _Checker:
    """Every static check of ``rules`` (the codes in the module docstring), nothing reaching C."""
    if not isinstance(rules, dict) or not rules:
        raise _err("ENG-SHAPE", "a ruleset is a non-empty dict of rules")
    if _has_key(rules, "$div"):
        raise _err("ENG-DIV", "$div kills the process when the divisor is an integer 0 (SIGFPE): write a >= b * k")
    if len(rules) >= MAX_RULES:
        raise _err("ENG-RULES", f"{len(rules)} rules; durable holds {MAX_RULES - 1} plus the driver's own")
    chk = _Checker()
    for name, body in rules.items():
        chk.rule(name, body)
    chk.build({"type": _OPEN}, chk.root, _OPEN).betas += 1
    chk.check_network()
    return chk


def fits(rules: dict[str, dict]) -> bool:
    """Whether ``rules`` stay within durable's match stack (no ENG-FANOUT). A compiler sizes the
    groups of rules that share one fact with it; any other check failure is raised as it is."""
    try:
        _checked(rules)
    except EngineError as err:
        if err.code == "ENG-FANOUT":
            return False
        raise
    return True


class DurableRuleset:
    """A compiled durable-rules ruleset with exactly one live session at a time."""

    def __init__(self, name_prefix: str, rules: dict[str, dict]) -> None:
        if not isinstance(name_prefix, str) or not re.fullmatch(r"[A-Za-z0-9_]+", name_prefix):
            raise _err("ENG-SHAPE", f"ruleset name prefix {name_prefix!r} must match [A-Za-z0-9_]+")
        chk = _checked(rules)
        canon = json.dumps(list(rules.items()), sort_keys=True, ensure_ascii=False)  # keeps the rule order
        full = {**rules, _OPEN: {"all": [{"m": {"type": _OPEN}}]}}  # C2: every session runs this first
        name = f"{name_prefix}_{hashlib.sha256(canon.encode()).hexdigest()[:16]}"
        self._open(name, _enc(full, name), chk.kinds, chk.single)

    def _open(self, name: str, text: str, kinds: dict[str, str], single: bool) -> None:
        self.name, self._text, self._kinds = name, text, kinds
        #: with one pattern per rule, an activation right after asserting fact F matches F alone,
        #: so (rule, matched facts) is known from the rule name: no hashing of the activation text
        self._single = single
        with _cache_lock:
            hd = _cache.get(self.name)
            if hd is None:
                hd = _cache[self.name] = _Handle(_call(_dre.create_ruleset, self.name, text))
            hd.refs += 1
        self._hd: _Handle | None = hd

    def export(self) -> dict[str, Any]:
        """The checked, encoded rules as plain data, for ``restore`` in a later process (the disk cache)."""
        return {"name": self.name, "rules": self._text, "kinds": dict(self._kinds), "single": self._single}

    @classmethod
    def restore(cls, data: Any) -> DurableRuleset:
        """A ruleset from ``export`` data, without checking the rules again: only for data this
        driver exported under the same code (the cache seals entries and keys them by code digest)."""
        name, text, kinds, single = (data.get(k) for k in ("name", "rules", "kinds", "single")) if isinstance(
            data, dict) else [None] * 4
        if not (isinstance(name, str) and re.fullmatch(r"[A-Za-z0-9_]+_[0-9a-f]{16}", name) and isinstance(text, str)
                and isinstance(kinds, dict) and all(isinstance(k, str) and v in _KINDS for k, v in kinds.items())
                and isinstance(single, bool)):
            raise _err("ENG-SHAPE", "not a ruleset exported by this driver")
        self = cls.__new__(cls)
        self._open(name, text, kinds, single)
        return self

    def _fixed_members(self, fields: dict[str, Any]) -> str:
        """The ``"key":value`` members of a shape's fixed fields, checked as ``assert_facts`` checks
        a fact's fields (ENG-KEY, ENG-NULL, ENG-TYPE, ...)."""
        for k, v in fields.items():
            _check_key(k)
            if k == "type" and (not isinstance(v, str) or v == _OPEN):
                raise _err("ENG-DISCRIMINATOR", f"a fact needs a str 'type' other than {_OPEN}, got {v!r}")
        return ",".join(_member(self._kinds, k, v) for k, v in fields.items())

    def shape(self, fixed: dict[str, Any], keys: list[str]) -> FactShape:
        """A fact shape for this ruleset's sessions (``Session.assert_shaped``): ``fixed`` holds the
        ``type`` and other members every such fact has; ``keys`` the fields whose values vary.

        Raises ENG-DISCRIMINATOR without a ``type``, ENG-KEY for a key that is not a plain field
        name or appears twice, ENG-PROPS beyond durable's property limit, and for a fixed member
        what ``assert_facts`` raises for the same field.
        """
        if not isinstance(fixed, dict) or "type" not in fixed:
            raise _err("ENG-DISCRIMINATOR", "a fact shape needs a fixed 'type'")
        prefix = self._fixed_members(fixed)
        names = list(keys)
        for k in names:
            _check_key(k)
        if len(set(names) | set(fixed)) != len(names) + len(fixed):
            raise _err("ENG-KEY", "a fact shape names a key twice")
        if len(names) + len(fixed) > MAX_PROPS:
            raise _err("ENG-PROPS", f"a fact has {len(names) + len(fixed)} properties; durable holds {MAX_PROPS}")
        return FactShape(self, prefix, tuple(names))

    def session(self) -> Session:
        """A new session; use it as ``with rs.session() as s:``."""
        return Session(self)

    def close(self) -> None:
        """Free the C ruleset once the last DurableRuleset using it closes; never with a session
        open (notes 2.3 and 5.9; upstream #136: deleteRuleset crashes)."""
        with _cache_lock:
            hd = self._hd
            if hd is None:
                return
            if not hd.lock.acquire(blocking=False):
                raise _err("ENG-SESSION", f"ruleset {self.name} has an open session")
            try:
                self._hd, hd.refs = None, hd.refs - 1
                if hd.refs == 0:
                    del _cache[self.name]
                    if not _poisoned and not hd.broken:
                        hd.broken = "closed"  # a session racing for the lock must not use the handle
                        _call(_dre.delete_ruleset, hd.h)
            finally:
                hd.lock.release()


class Session:
    """One durable session (sid), alive only inside ``with``. A fresh sid per session and
    delete_state in ``finally``, under the ruleset lock, keep at most one live sid per ruleset.
    That avoids the 1,024-sid MemoryError cliff, C1 (stale reverse index) and C3 (sid reuse)."""

    def __init__(self, rs: DurableRuleset) -> None:
        self._rs, self._sid, self._state = rs, "", 0
        self._alive = self._opened = self._pending = False
        self._texts: set[str] = set()
        self._seen: set[tuple[str, str]] = set()
        self._activations, self._busy = 0, False

    def __enter__(self) -> Session:
        hd = self._rs._hd
        if self._sid or hd is None:
            raise _err("ENG-SESSION", "a Session is single-use" if self._sid else f"ruleset {self._rs.name} is closed")
        if hd.owner == threading.get_ident():  # a plain Lock would deadlock here
            raise _err("ENG-SESSION", "a session of this ruleset is already open in this thread")
        hd.lock.acquire()
        if hd.broken:
            hd.lock.release()
            raise _err("ENG-SESSION", f"ruleset {self._rs.name} is {hd.broken}")
        hd.owner, self._hd = threading.get_ident(), hd
        try:
            self._sid, self._alive = f"s{next(_sids)}", True
            self._assert(f'{{"sid":"{self._sid}","type":"{_OPEN}"}}')
            self._drain([], None)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        try:
            self._teardown()
        finally:
            self._hd.owner = None
            self._hd.lock.release()

    def _teardown(self) -> None:
        """abandon_action, then delete_state, once. A state in which no action ever started is never
        deleted (C2 segfault); the ruleset is marked broken instead and refuses new sessions."""
        if not self._alive or _poisoned:
            return
        self._alive, hd = False, self._hd
        if self._pending:
            try:
                _call(_dre.abandon_action, hd.h, self._state)
            except EngineError:
                pass
        if not self._opened:
            hd.broken = "broken (a session could not be opened)"
            return
        try:
            _call(_dre.delete_state, hd.h, self._sid)
        except EngineError:
            hd.broken = "broken (delete_state failed)"
            raise

    def _fact(self, fact: dict) -> str:
        text = encode_fact(fact)
        if not isinstance(fact.get("type"), str) or fact["type"] == _OPEN:
            raise _err("ENG-DISCRIMINATOR", f"a fact needs a str 'type' other than {_OPEN}, got {fact.get('type')!r}")
        kinds = self._rs._kinds
        for k, v in fact.items():
            want = kinds.get(k)
            if want is not None and _TYPE_KIND.get(type(v)) != want and _kind(v) != want:
                raise _err("ENG-TYPE", f"fact field {k!r} is {_kind(v)}; the rules compare it with {want}")
        return f'{{"sid":"{self._sid}",{text[1:]}'

    def _assert(self, text: str) -> None:
        """assert_fact (never events: the first rule would consume them). "Not handled" and
        "observed" are normal, unless the observed text is new here: then it is an id collision."""
        code, self._state = _call(_dre.assert_fact, self._hd.h, text)
        if code == 2 and text not in self._texts:
            raise _err("ENG-COLLISION", f"durable reports {text} as already observed (fact-id hash collision)")
        if code == 3:
            raise _err("ENG-CODE-3", "durable deferred a fact, but no message store is configured")
        self._texts.add(text)

    def _drain(self, out: list[Firing], on_fire: OnFire | None) -> None:
        """Run every pending activation to completion, appending new firings in order."""
        started = _call(_dre.start_action_for_state, self._hd.h, self._state)
        msg = started[1] if started else None
        while msg is not None:
            self._pending = self._opened = True
            self._activations += 1
            if self._activations > MAX_ACTIVATIONS:
                raise _err("ENG-RUNAWAY", f"more than {MAX_ACTIVATIONS} activations in one session")
            rule = msg[2:msg.index('"', 2)]  # {"<rule>": {...}}: rule names are plain (checked)
            if rule != _OPEN and msg not in self._seen:  # $or/any fire once per true branch
                self._seen.add(msg)  # the same activation has the same text: rule + matched facts
                out.append(firing := Firing(rule, raw=msg))
                if on_fire is not None:
                    try:
                        new = on_fire(firing)
                    except (Exception, SystemExit) as e:
                        raise _err("ENG-ACTION", f"action for rule {rule!r} raised {type(e).__name__}: {e}") from e
                    for f in new or []:
                        self._assert(self._fact(f))
            msg = _call(_dre.complete_and_start_action, self._hd.h, self._state)
            self._pending = msg is not None

    def assert_facts(self, facts: list[dict], on_fire: OnFire | None = None) -> list[Firing]:
        """Assert facts and run every activation. Returns the new firings, de-duplicated by
        (rule, matched facts), in firing order. ``on_fire`` may return facts to assert in this
        session (forward chaining). An invalid input fact leaves the session usable; any later
        failure ends it (abandon, delete_state) before the error propagates."""
        if not self._alive or self._busy:
            raise _err("ENG-SESSION", "session is closed" if not self._alive else "return facts from on_fire instead")
        texts = [self._fact(f) for f in facts]
        out: list[Firing] = []
        self._busy = True
        try:
            for text in texts:
                self._assert(text)
                self._drain(out, on_fire)
        except BaseException:
            self._teardown()
            raise
        finally:
            self._busy = False
        return out

    def assert_shaped(self, facts: list[tuple[FactShape, list[Any]]]) -> list[str]:
        """Assert facts given as (shape, values) and run every activation; the names of the rules
        that fired, de-duplicated by (rule, matched facts), in firing order.

        ``values`` follow ``shape.keys``; None leaves that key out (an unknown fact). The scoring
        fast path: the shape's keys were checked when it was made, each value is checked the first
        time it is seen for its key, so nothing here depends on the caller's care.
        """
        if not self._alive or self._busy:
            raise _err("ENG-SESSION", "session is closed" if not self._alive else "return facts from on_fire instead")
        rs, head = self._rs, f'{{"sid":"{self._sid}",'
        texts = []
        for shape, values in facts:
            if type(shape) is not FactShape or shape.owner is not rs:
                raise _err("ENG-KEY", "a fact shape must come from this ruleset's shape()")
            if len(values) != len(shape.keys):
                raise _err("ENG-SHAPE", f"{len(values)} values for a fact shape of {len(shape.keys)} keys")
            try:  # one C-level pass: each value's remembered member ("" for a None)
                members = list(map(dict.get, shape.known, zip(values, map(type, values))))
            except TypeError:  # an unhashable value: not a scalar, refused by member_text below
                members = [None] * len(values)
            if None in members:  # values not seen before for their keys: checked once, here
                members = [m if m is not None else "" if values[i] is None else shape.member_text(i, values[i])
                           for i, m in enumerate(members)]
            body = ",".join(filter(None, members))
            texts.append(f"{head}{shape.prefix},{body}}}" if body else f"{head}{shape.prefix}}}")
        out: list[str] = []
        self._busy = True
        try:
            self._run_names(texts, out)
        except BaseException:
            self._teardown()
            raise
        finally:
            self._busy = False
        return out

    def _run_names(self, texts: list[str], out: list[str]) -> None:
        """``_assert`` then ``_drain`` for each text, without callbacks or Firing objects: rule
        names only. The hot loop of scoring, so the C calls are made here directly, with the same
        checks and error mapping as ``_call`` and ``_assert``."""
        global _poisoned
        if _poisoned:
            raise _err("ENG-POISONED", "durable-rules ran out of memory earlier; restart the process")
        h, single, asserted, seen = self._hd.h, self._rs._single, self._texts, self._seen
        assert_fact, start, complete = _dre.assert_fact, _dre.start_action_for_state, _dre.complete_and_start_action
        budget, count = MAX_ACTIVATIONS - self._activations, 0
        try:
            for text in texts:
                code, state = assert_fact(h, text)
                self._state = state
                if code == 2 and text not in asserted:
                    raise _err("ENG-COLLISION", f"durable reports {text} as already observed (fact-id hash collision)")
                if code == 3:
                    raise _err("ENG-CODE-3", "durable deferred a fact, but no message store is configured")
                asserted.add(text)
                started = start(h, state)
                msg = started[1] if started else None
                if msg is None:
                    continue
                self._pending = self._opened = True
                names = [msg]
                for _ in repeat(None, budget - count):  # at most the activations the budget has left
                    msg = complete(h, state)
                    if msg is None:
                        break
                    names.append(msg)
                else:
                    count += len(names)
                    raise _err("ENG-RUNAWAY", f"more than {MAX_ACTIVATIONS} activations in one session")
                count += len(names)
                self._pending = False
                if single:
                    # every activation of this drain matches the fact just asserted, so the rule name
                    # tells activations apart ($or/any fire once per true branch: first firing kept);
                    # else the whole text (rule + matched facts) does
                    out += dict.fromkeys([name[2:name.index('"', 2)] for name in names])
                else:
                    for name in dict.fromkeys(names):
                        if name not in seen:
                            seen.add(name)
                            out.append(name[2:name.index('"', 2)])
        except MemoryError as e:
            _poisoned = True
            raise _err("ENG-POISONED", "durable-rules raised MemoryError; engine disabled") from e
        except _dre.error as e:
            m = re.search(r"error code: (\d+)", str(e))
            raise _err(f"ENG-CODE-{m.group(1) if m else 'UNKNOWN'}", f"durable-rules: {e}") from e
        finally:
            self._activations += count
