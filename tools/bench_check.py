"""Benchmark: whole-process time and peak memory of `python check.py --json`.

Paired in the same run against the floor of starting the same interpreter and
importing what the checker imports (`python -I -c "import json, subprocess,
platform, shutil, argparse, ctypes, re, os"`). Runs alternate so that both
see the same machine state. Targets: median at most 1.5x the floor, peak RSS
under 25 MB when no GPU tool is installed.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FLOOR = ["-I", "-c", "import json, subprocess, platform, shutil, argparse, ctypes, re, os"]

# Runs one command and prints its wall time and the child's peak RSS, from a fresh process
# so that ru_maxrss belongs to that command alone.
_MEASURE = r"""
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
elapsed = time.perf_counter() - start
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def measure(python, args, env=None):
    out = subprocess.run([python, "-c", _MEASURE, python] + args, capture_output=True, text=True, check=True, env=env)
    seconds, max_rss_kib = out.stdout.split()
    return float(seconds), int(max_rss_kib) * 1024


def build_script(directory):
    from checks.rules_source import site_url_of
    from macros.script_bundle import build_script as build
    from macros.script_bundle import write_script
    from rules import load_rules

    return write_script(directory, build(load_rules(), site_url_of(str(ROOT / "mkdocs.yml"))))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--python", default=sys.executable, help="interpreter to run both commands with")
    parser.add_argument(
        "--compare",
        metavar="CHECK_PY",
        help="another check.py (one built from an earlier commit, say) measured in the same runs",
    )
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        script = str(build_script(directory))
        measure(options.python, [script, "--json"])  # warm the OS file cache once
        check, floor, version, other = [], [], [], []
        for _ in range(options.runs):
            check.append(measure(options.python, [script, "--json"]))
            floor.append(measure(options.python, FLOOR))
            # Where the time goes: --version compiles the script file and imports
            # only the command line; --json also compiles and runs every check.
            version.append(measure(options.python, [script, "--version"]))
            if options.compare:
                other.append(measure(options.python, [options.compare, "--json"]))
    check_median = statistics.median(t for t, _ in check)
    floor_median = statistics.median(t for t, _ in floor)
    result = {
        "runs": options.runs,
        "python": options.python,
        "check_median_s": round(check_median, 4),
        "floor_median_s": round(floor_median, 4),
        "ratio": round(check_median / floor_median, 2),
        "version_median_s": round(statistics.median(t for t, _ in version), 4),
        "check_peak_rss_mb": round(max(rss for _, rss in check) / 1e6, 1),
        "floor_peak_rss_mb": round(max(rss for _, rss in floor) / 1e6, 1),
    }
    print(
        "check.py --json: median %.3f s vs floor %.3f s = %.2fx (target <= 1.5x); peak RSS %.1f MB (target < 25 MB)"
        % (check_median, floor_median, result["ratio"], result["check_peak_rss_mb"])
    )
    print("check.py --version (script start-up, no checks): median %.3f s" % result["version_median_s"])
    if other:
        other_median = statistics.median(t for t, _ in other)
        result["compare"] = {
            "script": options.compare,
            "median_s": round(other_median, 4),
            "ratio": round(other_median / floor_median, 2),
            "peak_rss_mb": round(max(rss for _, rss in other) / 1e6, 1),
        }
        print(
            "%s --json, same runs: median %.3f s = %.2fx the floor; peak RSS %.1f MB"
            % (options.compare, other_median, result["compare"]["ratio"], result["compare"]["peak_rss_mb"])
        )
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
