"""Every speed and memory figure of tipscore in one run, as ratios where the machine is noisy.

Usage: python benchmarks/throughput.py [--runs 7] [--batch-documents 5000] [--documents 2000]
                                       [--memory-scorings 100000] [--seed S] [--skip-batch]

Prints, each against its own yardstick:
- CLI latency: median wall time of ``tipscore score fixtures/mali/2015.yaml`` (and of a few other
  quick commands) minus a bare interpreter start (``python -c pass``), runs interleaved;
  also the CPU time, which a busy machine disturbs less than the wall clock;
- batch: ``tipscore batch`` over N generated JSON documents with ``--jobs 1`` and ``--jobs 2``
  (CSV output): documents per second, and whether both outputs are byte-identical;
- engine: durable-rules evaluations per second over the reference evaluator's (CPU time,
  rounds interleaved, best round of each);
- memory: RSS after 1,000 and after N engine evaluations.
The ruleset cache lives in a temporary folder (warmed by the first call), so the figures do not
depend on the user's cache. Figures are printed, never asserted: the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from scoring import api  # noqa: E402
from scoring.testing import random_data, random_inputs  # noqa: E402

BIN = os.path.dirname(sys.executable)


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall ms, CPU ms) of one run of ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    wall = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, 1000 * (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def cli_latency(runs: int, env: dict[str, str]) -> None:
    bare = [sys.executable, "-c", "pass"]
    tipscore = os.path.join(BIN, "tipscore")
    commands = {
        "score fixtures/mali/2015.yaml": [tipscore, "score", "fixtures/mali/2015.yaml"],
        "score fixtures/mali/2015.yaml --format json": [tipscore, "score", "fixtures/mali/2015.yaml", "--format", "json"],
        "check fixtures/mali/2015.yaml": [tipscore, "check", "fixtures/mali/2015.yaml"],
        "rulesets": [tipscore, "rulesets"],
    }
    for cmd in [bare, *commands.values()]:
        timed(cmd, env)  # warm-up: file cache, ruleset cache
    samples: dict[str, list[tuple[float, float]]] = {"bare": [], **{name: [] for name in commands}}
    for _ in range(runs):  # interleaved, so drift hits every command alike
        samples["bare"].append(timed(bare, env))
        for name, cmd in commands.items():
            samples[name].append(timed(cmd, env))
    wall0 = statistics.median(w for w, _ in samples["bare"])
    cpu0 = statistics.median(c for _, c in samples["bare"])
    print(f"cli: bare interpreter start (python -c pass): {wall0:.0f} ms wall, {cpu0:.0f} ms cpu (median of {runs})")
    for name in commands:
        wall = statistics.median(w for w, _ in samples[name])
        cpu = statistics.median(c for _, c in samples[name])
        print(f"cli: tipscore {name}: {wall:.0f} ms wall = interpreter + {wall - wall0:.0f} ms "
              f"(x{wall / wall0:.1f}); cpu interpreter + {cpu - cpu0:.0f} ms (x{cpu / cpu0:.1f})")


def batch_rate(count: int, seed: int, env: dict[str, str]) -> None:
    folder = tempfile.mkdtemp(prefix="tipscore-bench-")
    try:
        rng = random.Random(seed)
        for i in range(count):
            with open(os.path.join(folder, f"doc{i:05}.json"), "w", encoding="utf-8") as handle:
                json.dump(random_data(rng), handle)
        outputs = {}
        for jobs in (1, 2):
            out = os.path.join(folder, f"jobs{jobs}.csv")
            start = time.perf_counter()
            subprocess.run([os.path.join(BIN, "tipscore"), "batch", folder, "--out", out, "--jobs", str(jobs)],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
            elapsed = time.perf_counter() - start
            with open(out, "rb") as handle:
                outputs[jobs] = handle.read()
            print(f"batch: {count:,} JSON documents, CSV, --jobs {jobs}: {elapsed:.1f} s, {count / elapsed:,.0f} documents/s")
        print(f"batch: output identical for --jobs 1 and --jobs 2: {'yes' if outputs[1] == outputs[2] else 'NO'}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def engine_ratio(documents: int, seed: int, rounds: int = 5) -> float:
    work = random_inputs(documents, seed)
    for ruleset in {r.id: r for r, _ in work}.values():  # build every engine before timing
        api.evaluate(ruleset, {}, "durable-rules")

    def rate(engine: str) -> float:
        start = time.process_time()
        for ruleset, facts in work:
            api.evaluate(ruleset, facts, engine)  # type: ignore[arg-type]
        return len(work) / (time.process_time() - start)

    best = {"durable-rules": 0.0, "reference": 0.0}
    for _ in range(rounds):
        for engine in best:
            best[engine] = max(best[engine], rate(engine))
    ratio = best["durable-rules"] / best["reference"]
    print(f"engine: {len(work):,} evaluations, best of {rounds} interleaved rounds (CPU time): "
          f"durable-rules {best['durable-rules']:,.0f}/s, reference {best['reference']:,.0f}/s, ratio {ratio:.3f}")
    return ratio


def memory(total: int, seed: int) -> None:
    work = random_inputs(1000, seed)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="CLI runs per command (median)")
    parser.add_argument("--batch-documents", type=int, default=5000)
    parser.add_argument("--documents", type=int, default=2000, help="documents for the engine/reference ratio")
    parser.add_argument("--memory-scorings", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--skip-batch", action="store_true")
    args = parser.parse_args()

    cache = tempfile.mkdtemp(prefix="tipscore-bench-cache-")
    env = {**os.environ, "TIPSCORE_CACHE_DIR": cache, "NO_COLOR": "1"}
    env.pop("TIPSCORE_NO_CACHE", None)
    try:
        cli_latency(args.runs, env)
        if not args.skip_batch:
            batch_rate(args.batch_documents, args.seed, env)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    ratio = engine_ratio(args.documents, args.seed)
    memory(args.memory_scorings, args.seed)
    print(f"throughput: engine/reference ratio={ratio:.3f}")


if __name__ == "__main__":
    main()
