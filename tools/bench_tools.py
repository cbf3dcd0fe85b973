"""Benchmark: how much longer `python check.py --json` takes when its tools are slow.

Fake nvidia-smi and rocm-smi print a corpus machine's recorded outputs (an
RTX 4090, a Radeon RX 7900 XTX), after sleeping 0.1, 0.5 or 2 s a call; the
same tools with no sleep are the pair they are measured against, in the same
run, one after the other, so that both see the same machine. The extra wall
time is printed as a multiple of one call's delay: run one after another,
nvidia-smi's two calls and rocm-smi's three would be 5x; side by side they
cost one delay and a little. Target: at most 1.2x with 0.5 s a call.

With an interpreter the rules do not support (--python), fake Pythons on PATH
are asked too, and sleep as long.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.bench_check import build_script, measure  # noqa: E402
from tools.corpus import case_dir  # noqa: E402

DELAYS = (0.1, 0.5, 2.0)
TARGET_DELAY, TARGET_RATIO = 0.5, 1.2
NVIDIA, AMD = case_dir("rtx-4090"), case_dir("amd-rx-7900-xtx-rocm-smi")
PYTHONS = ("python3.10", "python3.12")

# Each call is logged (one line a call), so the bench can say how many calls a run made.
_TOOLS = {
    "nvidia-smi": (
        'case "$*" in --query-gpu=*) out="%s/nvidia-smi-query.txt" ;; *) out="%s/nvidia-smi.txt" ;; esac'
        % (NVIDIA, NVIDIA)
    ),
    "rocm-smi": (
        'case "$*" in *showmeminfo*) out="%s/rocm-smi-vram.json" ;; *showproductname*) '
        'out="%s/rocm-smi-product.json" ;; *) out="%s/rocm-smi-driver.json" ;; esac' % (AMD, AMD, AMD)
    ),
}
for _name in PYTHONS:
    _TOOLS[_name] = "printf '%s.4\\n/usr/bin/%s\\n' > \"$LOG.out\"; out=\"$LOG.out\"" % (_name[6:], _name)


def fake_tools(directory, delay):
    """A folder of fake tools that sleep `delay` seconds a call (0: no sleep, the same process count)."""
    bin_dir = Path(directory) / ("bin-%s" % delay)
    bin_dir.mkdir()
    for name, choose in _TOOLS.items():
        tool = bin_dir / name
        tool.write_text(
            "#!/bin/sh\nLOG=%s/calls\necho %s >> \"$LOG\"\n%s\n/bin/sleep %s\nexec /bin/cat \"$out\"\n"
            % (directory, name, choose, delay)
        )
        tool.chmod(0o755)
    return bin_dir


def calls_made(directory):
    log = Path(directory) / "calls"
    if not log.exists():
        return {}
    lines = log.read_text().split()
    log.unlink()
    return dict((name, lines.count(name)) for name in sorted(set(lines)))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--python", default=sys.executable, help="interpreter to run check.py with")
    parser.add_argument("--script", help="an already built check.py to measure (default: build one now)")
    parser.add_argument("--delays", type=float, nargs="+", default=list(DELAYS))
    options = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as directory:
        script = options.script or str(build_script(directory))
        for delay in options.delays:
            env = dict(os.environ)
            instant = dict(
                env,
                PATH=str(fake_tools(directory, "0")) if delay == options.delays[0] else str(Path(directory) / "bin-0"),
            )
            slow = dict(env, PATH=str(fake_tools(directory, delay)))
            # Warm the file cache, and check that the fake tools were found and gave GPUs.
            report = json.loads(
                subprocess.run([options.python, script, "--json"], env=slow, capture_output=True, text=True).stdout
            )
            gpus = [gpu["name"] for gpu in report["facts"]["gpus"]]
            calls = calls_made(directory)
            fast_runs, slow_runs = [], []
            for _ in range(options.runs):
                fast_runs.append(measure(options.python, [script, "--json"], env=instant)[0])
                slow_runs.append(measure(options.python, [script, "--json"], env=slow)[0])
            calls_made(directory)
            fast, slow_median = statistics.median(fast_runs), statistics.median(slow_runs)
            extra = slow_median - fast
            results.append(
                {
                    "delay_s": delay,
                    "instant_median_s": round(fast, 3),
                    "slow_median_s": round(slow_median, 3),
                    "extra_s": round(extra, 3),
                    "ratio": round(extra / delay, 2),
                    "calls": calls,
                    "gpus": len(gpus),
                }
            )
            print(
                "tools sleeping %.1f s a call: check.py --json %.3f s vs %.3f s with instant tools: extra %.3f s "
                "= %.2fx one call%s (calls a run: %s; GPUs found: %d)"
                % (
                    delay,
                    slow_median,
                    fast,
                    extra,
                    extra / delay,
                    " (target <= %.1fx)" % TARGET_RATIO if delay == TARGET_DELAY else "",
                    ", ".join("%s %d" % item for item in calls.items()),
                    len(gpus),
                ),
                flush=True,
            )
    summary = {"runs": options.runs, "python": options.python, "results": results}
    print(json.dumps(summary))
    return summary


if __name__ == "__main__":
    main()
