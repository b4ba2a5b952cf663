"""Throughput, start-up time and memory of the scoring engine.

Usage: python benchmarks/throughput.py [--documents N] [--memory-scorings N] [--seed S]

Generates N valid efforts documents (seeded, spread over report years
2001-2025 so every shipped ruleset is used), then measures:
- evaluation throughput with durable-rules and with the reference evaluator
  (statuses, scores and table hits: the rules engine's work);
- full ``scoring.score`` throughput (evaluation plus the typed explanation);
- one-document CLI wall time minus a bare interpreter start-up;
- RSS after 1,000 and after 100,000 engine evaluations.
The last line is: throughput: engine=<n>/s reference=<n>/s ratio=<engine/reference>
Figures are printed, never asserted: this machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from scoring import api  # noqa: E402
from scoring.efforts.model import EffortsDocument  # noqa: E402
from scoring.testing import random_data, random_inputs  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def rate(work: list, fn, repeats: int = 3) -> float:  # type: ignore[no-untyped-def]
    best = 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        for item in work:
            fn(*item)
        best = max(best, len(work) / (time.perf_counter() - start))
    return best


def cli_ms(runs: int = 7) -> tuple[float, float]:
    tipscore = os.path.join(os.path.dirname(sys.executable), "tipscore")
    fixture = os.path.join(ROOT, "fixtures", "mali", "2015.yaml")

    def wall(cmd: list[str]) -> float:
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        return (time.perf_counter() - start) * 1000

    bare = statistics.median(wall([sys.executable, "-c", "pass"]) for _ in range(runs))
    full = statistics.median(wall([tipscore, "score", fixture]) for _ in range(runs))
    return full, bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--memory-scorings", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args()

    work = random_inputs(args.documents, args.seed)
    print(f"documents: {len(work)} (seed {args.seed}), rulesets: {sorted({r.id for r, _ in work})}")
    api.evaluate(*work[0], "durable-rules")  # build every engine before timing
    for ruleset in {r.id: r for r, _ in work}.values():
        api.evaluate(ruleset, {}, "durable-rules")
    engine = rate(work, lambda r, f: api.evaluate(r, f, "durable-rules"))
    reference = rate(work, lambda r, f: api.evaluate(r, f, "reference"))
    docs = [EffortsDocument.model_validate(random_data(random.Random(args.seed + i))) for i in range(min(500, args.documents))]
    full = rate([(d,) for d in docs], lambda d: api.score(d), repeats=1)
    print(f"full score() with explanation: {full:,.0f}/s")

    wall, bare = cli_ms()
    print(f"cli: tipscore score fixtures/mali/2015.yaml {wall:.0f} ms wall, bare interpreter {bare:.0f} ms, "
          f"difference {wall - bare:.0f} ms")

    total = args.memory_scorings
    at_1k = None
    step = max(1, total // 10)
    for i in range(total):
        api.evaluate(*work[i % len(work)], "durable-rules")
        if i + 1 == 1000:
            at_1k = rss_mb()
        if (i + 1) % step == 0:
            print(f"memory: {i + 1:,} scorings, RSS {rss_mb():.1f} MB", file=sys.stderr, flush=True)
    end = rss_mb()
    if at_1k:
        print(f"rss: after 1,000 scorings {at_1k:.1f} MB; after {total:,} {end:.1f} MB ({100 * (end - at_1k) / at_1k:+.1f}%)")
    print(f"throughput: engine={engine:,.0f}/s reference={reference:,.0f}/s ratio={engine / reference:.3f}")


if __name__ == "__main__":
    main()
