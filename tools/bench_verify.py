"""Benchmark: the whole `python -m tools.verify` run (site build included), median of 3."""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_once(python):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("GITHUB_STEP_SUMMARY", None)
    start = time.perf_counter()
    result = subprocess.run(
        [python, "-m", "tools.verify"], cwd=str(ROOT), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - start, result.returncode


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--python", default=sys.executable)
    options = parser.parse_args(argv)
    runs = [run_once(options.python) for _ in range(options.runs)]
    median = statistics.median(seconds for seconds, _ in runs)
    result = {
        "runs": options.runs,
        "median_s": round(median, 2),
        "all_s": [round(seconds, 2) for seconds, _ in runs],
        "exit_codes": sorted(set(code for _, code in runs)),
    }
    print(
        "verify (site build included): median %.2f s of %d runs (exit codes %s)"
        % (median, options.runs, ", ".join(str(code) for code in result["exit_codes"]))
    )
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
