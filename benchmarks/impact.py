"""Time ``tipscore diff`` (scoring.impact.compare) over many generated documents.

Usage: python benchmarks/impact.py [--documents N] [--jobs J] [--seed S]

Writes N seeded documents (scoring.testing.random_data, report years 2001-2025) to a
temporary folder, writes the tutorial's 2027 era (extends tvpa-2019: waiver cap 2, one
new criterion added to significant efforts) beside them, and compares tvpa-2019 with it,
first with one job, then with J. Prints wall times, documents per second and how many
outcomes changed. Figures are printed, never asserted: the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import yaml  # noqa: E402

from scoring.impact import compare  # noqa: E402
from scoring.testing import random_data  # noqa: E402
from tests.ruleset.authoring import ERA_2027  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-serial", action="store_true", help="only the run with --jobs")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    with tempfile.TemporaryDirectory() as folder:
        docs = os.path.join(folder, "docs")
        os.mkdir(docs)
        paths = []
        for i in range(args.documents):
            path = os.path.join(docs, f"doc-{i:05d}.yaml")
            with open(path, "w", encoding="utf-8") as handle:
                yaml.dump(random_data(rng), handle, Dumper=dumper, sort_keys=False)
            paths.append(path)
        era = os.path.join(folder, "tvpa-2027.yaml")
        with open(era, "w", encoding="utf-8") as handle:
            handle.write(ERA_2027)
        runs = [args.jobs] if args.skip_serial else [1, args.jobs]
        for jobs in runs:
            start = time.perf_counter()
            impact = compare("tvpa-2019", era, paths, jobs=jobs)
            took = time.perf_counter() - start
            print(f"diff: {args.documents} documents, jobs={jobs}: {took:.1f} s "
                  f"({args.documents / took:.0f} documents/s); {len(impact.changed)} changed outcome, "
                  f"{len(impact.failed)} failed", flush=True)


if __name__ == "__main__":
    main()
