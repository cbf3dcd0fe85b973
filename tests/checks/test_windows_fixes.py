"""On Windows the fixes are commands a Windows user can paste (PowerShell or cmd), not bash pipes."""

import re

import pytest
from test_evaluate import linux_box, nvidia, nvidia_failure  # noqa: E402  (tests/checks is on sys.path)

from checks.evaluate import evaluate

SITE = "https://example.invalid/"
BASH_ONLY = re.compile(r"\|\s*(grep|python3|sudo)\b|\bsudo\b|\blspci\b")


def findings(rules, facts):
    return {item["id"]: item for item in evaluate(facts, rules, SITE)["findings"]}


def on_windows(facts):
    facts["os"].update(system="Windows", release="11", distro=None, wsl=False)
    facts["libs"] = {}
    return facts


@pytest.mark.parametrize("failure_id", ["driver-not-loaded", "no-devices"])
def test_nvidia_smi_failures_get_their_windows_fix(rules, failure_id):
    failures = next(rule for rule in rules["rules"] if rule["id"] == "driver.nvidia")["values"]["failures"]
    failure = next(item for item in failures if item["id"] == failure_id)
    message = "NVIDIA-SMI has failed: %s." % failure["match"]
    windows = findings(rules, on_windows(nvidia_failure(message)))["driver.nvidia"]
    assert windows["fix"] == failure["fix_windows"] and not BASH_ONLY.search(windows["fix"])
    linux = findings(rules, nvidia_failure(message))["driver.nvidia"]
    assert linux["fix"] == failure["fix"]


def test_another_python_is_put_first_on_path_the_powershell_way(rules):
    facts = on_windows(linux_box(gpus=[nvidia("NVIDIA GeForce RTX 4090", 24564)]))
    facts["python"].update(version="3.13.2", others=[{"version": "3.11.9", "path": "C:\\Python311\\python.exe"}])
    python = findings(rules, facts)["python.version"]
    assert python["status"] == "warn"
    assert '$env:Path = "C:\\Python311;$env:Path"' in python["fix"]
    assert "set PATH=C:\\Python311;%PATH%" in python["fix"]


def test_no_windows_finding_tells_a_windows_user_to_run_a_bash_pipe(rules):
    facts = on_windows(nvidia_failure("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."))
    facts["python"].update(version="3.8.10", others=[])
    for item in findings(rules, facts).values():
        assert not BASH_ONLY.search(item.get("fix") or ""), item
