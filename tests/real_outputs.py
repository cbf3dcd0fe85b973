"""The real tool outputs under tests/fixtures/real-outputs/, and what a correct reader gets from them.

Each folder holds the raw outputs, a SOURCE.md citing where they were
published, and expected.json: {"outputs": {file: expected}}. Every expected
names the tool that printed it ("tool"); for nvidia-smi it is
{"tool": "nvidia-smi", "kind": "table" | "csv" | "query" | "failure",
 "driver_version", "cuda_version", "failure": <failure id> (failures),
 "gpus": [{"name", "vram_mib", "truncated"?, "mig"?}]}. Another tool's
outputs go beside them with their own "tool" and fields; the rocm-smi and
system_profiler folders hold one output.txt and an expected.json with its
"kind" at the top, read by tests/checks/test_real_outputs_amd_mac.py.
"""

import json
from pathlib import Path

REAL_OUTPUTS = Path(__file__).resolve().parent / "fixtures" / "real-outputs"
MIB = 2**20


def cases(tool="nvidia-smi", kinds=None):
    """[(id "folder/file", path, expected)] of every output of one tool (None: all), optionally of some kinds only."""
    found = []
    for folder in sorted(path for path in REAL_OUTPUTS.iterdir() if (path / "expected.json").is_file()):
        data = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        if "outputs" not in data:
            continue  # one output.txt with its "kind" (rocm-smi, system_profiler): tests/checks/test_real_outputs_amd_mac.py
        outputs = data["outputs"]
        for name in sorted(outputs):
            expected = outputs[name]
            if (tool is None or expected.get("tool") == tool) and (kinds is None or expected["kind"] in kinds):
                found.append(("%s/%s" % (folder.name, name), folder / name, outputs[name]))
    return found


def read(path):
    return path.read_text(encoding="utf-8")


def nvidia_problems(facts, expected):
    """What the facts read from one nvidia-smi output get wrong, as sentences ([] when right)."""
    problems = []
    section = facts.get("nvidia_smi") or {}
    gpus = [gpu for gpu in facts.get("gpus") or [] if gpu.get("source") == "nvidia-smi"]
    if expected["kind"] == "failure":
        if section.get("failure") != expected["failure"]:
            problems.append("failure %r, expected %r" % (section.get("failure"), expected["failure"]))
        if gpus:
            problems.append("GPUs listed from a failure: %r" % [gpu["name"] for gpu in gpus])
        return problems
    if section.get("status") != "ok":
        problems.append("status %r" % section.get("status"))
    got = [(gpu["name"], gpu["vram_bytes"], bool(gpu.get("name_truncated"))) for gpu in gpus]
    want = [(gpu["name"], gpu["vram_mib"] * MIB, bool(gpu.get("truncated"))) for gpu in expected["gpus"]]
    if got != want:
        problems.append("GPUs %r, expected %r" % (got, want))
    for gpu, want_gpu in zip(gpus, expected["gpus"]):
        if "mig" in want_gpu and gpu.get("mig") is not want_gpu["mig"]:
            problems.append("MIG %r, expected %r" % (gpu.get("mig"), want_gpu["mig"]))
    drivers = set(gpu.get("driver_version") for gpu in gpus)
    if drivers != {expected["driver_version"]}:
        problems.append("driver %r, expected %r" % (sorted(map(str, drivers)), expected["driver_version"]))
    cudas = set(gpu.get("cuda_version") for gpu in gpus)
    if cudas != {expected["cuda_version"]}:
        problems.append("CUDA %r, expected %r" % (sorted(map(str, cudas)), expected["cuda_version"]))
    return problems


def finding_problems(findings, expected):
    """Findings that state something the output does not show (a failure called 'no GPU', a false 'no driver')."""
    by_id = dict((item["id"], item) for item in findings)
    problems = []
    driver = by_id.get("driver.nvidia")
    if expected["kind"] == "failure" and expected["failure"] == "not-installed":
        # No driver: the GPU findings come from the rest of the machine; the driver is missing, not failing.
        if driver and "failed" in driver["detail"]:
            problems.append("driver.nvidia calls a missing nvidia-smi failed: %s" % driver["detail"])
    elif expected["kind"] == "failure":
        for rule_id in ("gpu.dedicated", "gpu.vram", "gpu.problematic"):
            item = by_id.get(rule_id)
            if item and item["status"] != "unknown" and "driver" not in item["detail"]:
                problems.append("%s %s: %s" % (rule_id, item["status"], item["detail"]))
        if driver and driver["status"] == "pass":
            problems.append("driver.nvidia passes a failure")
    elif driver and driver["status"] == "fail":
        problems.append("driver.nvidia fails a working driver: %s" % driver["detail"])
    return problems
