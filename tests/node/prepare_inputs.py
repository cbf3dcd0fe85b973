"""Inputs for the Node test under Pyodide: the built check.py and the cases with CPython's answers.

    python tests/node/prepare_inputs.py OUT_DIR

writes OUT_DIR/check.py and OUT_DIR/cases.json: every machine of the fixture
corpus (facts), every real nvidia-smi, rocm-smi and system_profiler output (paste mode:
tests/fixtures/real-outputs and, where present, the shared held-out ones), two refused pastes and a
few browser descriptions, each with the report CPython gives for it.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

SITE = "https://example.test/"
REAL_OUTPUTS = ROOT.parent / "shared" / "fixtures" / "real-outputs"
REPO_REAL_OUTPUTS = ROOT / "tests" / "fixtures" / "real-outputs"
BROWSERS = [
    {
        "userAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
        "uaData": {"platform": "Windows", "architecture": "x86", "bitness": "64"},
        "webgl": {"renderer": "ANGLE (NVIDIA, NVIDIA GeForce GTX 1660 Ti Direct3D11 vs_5_0 ps_5_0, D3D11)"},
    },
    {
        "userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)",
        "webgl": {"renderer": "ANGLE (Apple, ANGLE Metal Renderer: Apple M2, Unspecified Version)"},
        "deviceMemory": 8,
    },
    {
        "userAgent": "Mozilla/5.0 (X11; Linux x86_64)",
        "webgl": {"renderer": "Google SwiftShader"},
        "webgpu": {"vendor": "amd", "architecture": "rdna-3"},
    },
]


GTX_1080_TI = (
    "name, memory.total [MiB], driver_version, compute_cap\nNVIDIA GeForce GTX 1080 Ti, 11264 MiB, 550.90.07, 6.1\n"
)


def answer(report):
    if report is None:
        return None
    return {
        "findings": report["findings"],
        "models": report["models"],
        "summary": report["summary"],
        "release": report["release"],
    }


def cases():
    from checks.browser import run_browser_check, run_paste
    from checks.evaluate import evaluate
    from rules import load_rules
    from tools.corpus import facts_for_case, list_cases

    rules = load_rules()
    found = []
    for name in list_cases():
        facts = facts_for_case(name, rules)
        found.append(
            {
                "name": "corpus/" + name,
                "kind": "facts",
                "input": facts,
                "expected": answer(evaluate(facts, rules, SITE)),
            }
        )
    from tests.real_outputs import cases as real_cases
    from tests.real_outputs import read

    for name, path, _ in real_cases():
        text = read(path)
        result = run_paste(text, SITE)
        found.append(
            {
                "name": "fixtures/real-outputs/" + name,
                "kind": "paste",
                "input": text,
                "expected": answer(result["report"]),
                "error": result["error"],
            }
        )
    for text in ("hello world\nthis is\nprose\n", "|" + "1" * 20000):
        result = run_paste(text, SITE)
        found.append({"name": "refused", "kind": "paste", "input": text, "expected": None, "error": result["error"]})
    if (REAL_OUTPUTS / "MANIFEST.json").is_file():
        for path in sorted(REAL_OUTPUTS.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            result = run_paste(text, SITE)
            found.append(
                {
                    "name": "real-outputs/" + path.name,
                    "kind": "paste",
                    "input": text,
                    "expected": answer(result["report"]),
                    "error": result["error"],
                }
            )
    for folder in sorted(
        p for p in REPO_REAL_OUTPUTS.iterdir() if (p / "output.txt").is_file()
    ):  # rocm-smi, system_profiler
        text = (folder / "output.txt").read_text(encoding="utf-8")
        result = run_paste(text, SITE)
        found.append(
            {
                "name": "real-outputs/" + folder.name,
                "kind": "paste",
                "input": text,
                "expected": answer(result["report"]),
                "error": result["error"],
            }
        )
    # The page's release chooser: the same paste judged against each release.
    for header in rules["releases"]:
        result = run_paste(GTX_1080_TI, SITE, header["version"])
        found.append(
            {
                "name": "release/" + header["version"],
                "kind": "paste",
                "input": GTX_1080_TI,
                "release": header["version"],
                "expected": answer(result["report"]),
                "error": result["error"],
            }
        )
    for index, info in enumerate(BROWSERS):
        found.append(
            {
                "name": "browser/%d" % index,
                "kind": "browser",
                "input": info,
                "expected": answer(run_browser_check(info, SITE)["report"]),
            }
        )
    return found


def prepare(out_dir):
    from macros.script_bundle import build_script, write_script
    from rules import load_rules

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_script(out_dir, build_script(load_rules(), SITE))
    (out_dir / "cases.json").write_text(json.dumps({"site": SITE, "cases": cases()}), encoding="utf-8")
    return out_dir


if __name__ == "__main__":
    prepare(sys.argv[1])
