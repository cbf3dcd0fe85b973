"""The probes' Darwin branch end to end, through fake sysctl / sw_vers replaying real Mac outputs.

tests/fixtures/macos/ holds published `sysctl` outputs (SOURCE.md in each
folder); the corpus' Apple cases hold per-key recordings beside their
hand-written facts.json, which the probed facts must match.
"""

import json
from pathlib import Path

import pytest

from checks.evaluate import evaluate
from checks.probes import Platform, gather_facts

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MACOS = FIXTURES / "macos"
CORPUS = FIXTURES / "corpus"
GIB = 2**30

# `sysctl -n KEY...` from a recording of `key: value` lines; an unknown key as macOS answers it.
FAKE_SYSCTL = """#!/bin/sh
[ "$1" = "-n" ] || {{ echo "fake sysctl: only -n KEY" >&2; exit 64; }}
shift
status=0
for key in "$@"; do
  /usr/bin/awk -v key="$key" 'index($0, key ": ") == 1 {{ print substr($0, length(key) + 3); found = 1; exit }}
                              $0 == key ":" {{ print ""; found = 1; exit }}
                              END {{ exit !found }}' '{recording}' \\
    || {{ echo "sysctl: unknown oid '$key'" >&2; status=1; }}
done
exit $status
"""


def _mac(tmp_path, sysctl_lines, sw_vers=None):
    """A fake root and a PATH holding sysctl (and sw_vers when given) that replay these outputs."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    recording = tmp_path / "sysctl.txt"
    recording.write_text(sysctl_lines, encoding="utf-8")
    sysctl = bin_dir / "sysctl"
    sysctl.write_text(FAKE_SYSCTL.format(recording=recording))
    sysctl.chmod(0o755)
    if sw_vers is not None:
        (tmp_path / "sw_vers.txt").write_bytes(sw_vers.read_bytes())
        tool = bin_dir / "sw_vers"
        tool.write_text("#!/bin/sh\nexec /bin/cat '%s'\n" % (tmp_path / "sw_vers.txt"))
        tool.chmod(0o755)
    root = tmp_path / "root"
    (root / "Users" / "me").mkdir(parents=True)
    return str(root), {"PATH": str(bin_dir), "HOME": "/Users/me"}


def _probe(tmp_path, rules, sysctl_lines, machine, sw_vers=None):
    root, env = _mac(tmp_path, sysctl_lines, sw_vers)
    platform_info = Platform(
        system="Darwin", release="21.6.0", version="Darwin Kernel Version 21.6.0", machine=machine, mac_version=None
    )
    return gather_facts(root=root, env=env, rules=rules, platform_info=platform_info)


def _findings(facts, rules):
    return {item["id"]: item for item in evaluate(facts, rules, "https://example.invalid/")["findings"]}


def test_the_fake_sysctl_answers_as_macos_does(tmp_path):
    from checks.run import run_tool

    root, env = _mac(tmp_path, "hw.memsize: 17179869184\nhw.osenvironment:\nkern.version: Darwin: x\n")
    sysctl = env["PATH"] + "/sysctl"
    assert run_tool([sysctl, "-n", "hw.memsize"])["stdout"] == "17179869184\n"
    assert run_tool([sysctl, "-n", "kern.version"])["stdout"] == "Darwin: x\n"
    missing = run_tool([sysctl, "-n", "hw.optional.arm64"])
    assert (missing["status"], missing["stderr"]) == ("failed", "sysctl: unknown oid 'hw.optional.arm64'\n")


def test_apple_m2_16gb_native(tmp_path, rules):
    facts = _probe(tmp_path, rules, (MACOS / "apple-m2-16gb" / "sysctl.txt").read_text(encoding="utf-8"), "arm64")
    assert facts["probe_errors"] == {}
    assert (facts["os"]["apple_silicon"], facts["os"]["rosetta"]) == (True, False)
    assert facts["ram"] == dict(facts["ram"], total_bytes=16 * GIB, source="sysctl hw.memsize")
    assert [(gpu["vendor"], gpu["name"], gpu["vram_bytes"]) for gpu in facts["gpus"]] == [("apple", "Apple M2", None)]
    assert facts["os"]["version"] is None  # no sw_vers was published with it
    findings = _findings(facts, rules)
    assert findings["ram.total"]["status"] == "pass"
    assert findings["gpu.dedicated"]["status"] == "pass"


def test_apple_m1_under_rosetta(tmp_path, rules):
    facts = _probe(
        tmp_path, rules, (MACOS / "apple-m1-16gb-rosetta" / "sysctl.txt").read_text(encoding="utf-8"), "x86_64"
    )
    assert (facts["os"]["apple_silicon"], facts["os"]["rosetta"]) == (True, True)
    assert facts["ram"]["total_bytes"] == 16 * GIB
    assert [gpu["name"] for gpu in facts["gpus"]] == ["Apple M1"]


def test_a_native_python_on_an_m1_is_not_rosetta_even_without_proc_translated(tmp_path, rules):
    lines = (MACOS / "apple-m2-16gb" / "sysctl.txt").read_text(encoding="utf-8")
    assert "sysctl.proc_translated" not in lines
    facts = _probe(tmp_path, rules, lines, "arm64")
    assert facts["os"]["rosetta"] is False


def test_an_intel_mac(tmp_path, rules):
    folder = MACOS / "intel-i7-6700k"
    facts = _probe(
        tmp_path, rules, (folder / "sysctl.txt").read_text(encoding="utf-8"), "x86_64", sw_vers=folder / "sw_vers.txt"
    )
    assert facts["probe_errors"] == {}
    assert (facts["os"]["apple_silicon"], facts["os"]["rosetta"], facts["os"]["version"]) == (False, False, "10.15.5")
    assert facts["gpus"] == []
    # hw.memsize is not in the recording: unknown, never a guess.
    assert facts["ram"]["total_bytes"] is None and facts["unknown"]["ram.total_bytes"]
    findings = _findings(facts, rules)
    assert findings["ram.total"]["status"] == "unknown"
    assert findings["gpu.dedicated"]["status"] != "pass"


@pytest.mark.parametrize("case", ["apple-m1-8gb", "apple-m2-16gb"])
def test_corpus_apple_recordings_probe_to_their_hand_written_facts(case, tmp_path, rules):
    folder = CORPUS / case
    lines = "".join(
        "%s: %s\n" % (path.name[len("sysctl-") : -len(".txt")], path.read_text(encoding="utf-8").strip())
        for path in sorted(folder.glob("sysctl-*.txt"))
    )
    expected = json.loads((folder / "facts.json").read_text(encoding="utf-8"))
    facts = _probe(tmp_path, rules, lines, expected["os"]["machine"], sw_vers=folder / "sw_vers.txt")
    for key in ("version", "apple_silicon", "rosetta", "wsl"):
        assert facts["os"][key] == expected["os"][key], key
    assert facts["ram"]["total_bytes"] == expected["ram"]["total_bytes"]
    assert facts["ram"]["source"] == expected["ram"]["source"]
    assert [{key: gpu[key] for key in want} for gpu, want in zip(facts["gpus"], expected["gpus"])] == expected["gpus"]
    assert len(facts["gpus"]) == len(expected["gpus"])
    assert _findings(facts, rules)["ram.total"]["status"] == _findings(expected, rules)["ram.total"]["status"]
