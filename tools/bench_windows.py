"""Benchmark: the Windows lane, its set-up and check.py --json on each Windows CPython under wine.

python -m tools.bench_windows            # set-up (cached) and check.py per Python
python -m tools.bench_windows --lane     # and the whole lane (pytest -m windows)
"""

import argparse
import json
import shutil
import subprocess
import sys
import time

from macros.script_bundle import build_script
from rules import load_rules

from . import windows_lane as lane

FOLDER = "C:\\users\\bench\\Downloads"
RUNS = 3


def _versions():
    return sorted(lane.locked_versions(), key=lambda version: tuple(int(part) for part in version.split(".")))


def time_check(prepared, version, script):
    """Seconds for one cmd session running check.py --json RUNS times: (session, per run after the first)."""
    host = lane.host_path(FOLDER)
    shutil.rmtree(str(host), ignore_errors=True)
    host.mkdir(parents=True)
    (host / "check.py").write_bytes(script)
    python = str(prepared["pythons"][version] / "python.exe")
    runs = [lane.Run("json", '"%s" check.py --json' % lane.windows_path(python)) for _ in range(RUNS)]
    started = time.perf_counter()
    lane.run_batch(runs, FOLDER, "C:\\users\\bench", ["C:\\windows\\system32", "C:\\windows"])
    seconds = time.perf_counter() - started
    codes = sorted(set(run.exit_code for run in runs))
    shutil.rmtree(str(host), ignore_errors=True)
    return seconds, codes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lane", action="store_true", help="also time the whole lane (pytest -m windows)")
    options = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        prepared = lane.prepare()
    except lane.LaneUnavailable as exc:
        print("windows: lane unavailable: %s" % exc)
        return None
    result = {
        "prepare_s": round(time.perf_counter() - started, 2),
        "prepare_parts_s": {part: round(seconds, 2) for part, seconds in prepared["timings"].items()},
        "check_json_s": {},
    }
    print(
        "set-up: %.2f s (%s)"
        % (result["prepare_s"], ", ".join("%s %.1f s" % item for item in result["prepare_parts_s"].items()))
    )
    script = build_script(load_rules(), "https://example.invalid/").encode("utf-8")
    for version in _versions():
        seconds, codes = time_check(prepared, version, script)
        result["check_json_s"][version] = round(seconds, 2)
        print(
            "Windows CPython %s: %d x check.py --json in one wine cmd session: %.2f s (exit codes %s)"
            % (version, RUNS, seconds, ", ".join(str(code) for code in codes))
        )
    if options.lane:
        started = time.perf_counter()
        tests = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-m", "windows", "tests/windows", "-p", "no:cacheprovider"],
            cwd=str(lane.ROOT),
            capture_output=True,
            text=True,
        )
        result["lane_s"] = round(time.perf_counter() - started, 2)
        summary = (tests.stdout.strip().splitlines() or [""])[-1]
        print("the whole lane: %.2f s (%s)" % (result["lane_s"], summary))
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
