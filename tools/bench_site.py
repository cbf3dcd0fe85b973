"""Time whole-site builds: `python -m tools.bench_site [--runs N]`.

A benchmark, not a test: it builds the site N times (3 by default) into a
temporary folder with `mkdocs build --strict` and prints the median, fastest
and slowest wall-clock seconds.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tools.site_build import build_site

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def build_once(site_dir):
    started = time.perf_counter()
    result = build_site(PROJECT_ROOT, site_dir)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit("mkdocs build failed:\n%s%s" % (result.stdout, result.stderr))
    return elapsed


def main(argv=None):
    parser = argparse.ArgumentParser(description="Time whole-site builds.")
    parser.add_argument("--runs", type=int, default=3, help="how many builds to time (default: 3)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    times = []
    with tempfile.TemporaryDirectory() as folder:
        for run in range(args.runs):
            times.append(build_once(Path(folder) / "site"))
            print("build %d/%d: %.2f s" % (run + 1, args.runs, times[-1]))
    print(
        "site build, %d runs: median %.2f s, min %.2f s, max %.2f s"
        % (len(times), statistics.median(times), min(times), max(times))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
