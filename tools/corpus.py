"""The fixture corpus: one folder per machine under tests/fixtures/corpus/.

The tests, the docs CI's evaluation and `make corpus-update` read it through
this module.

A Linux case is probed for real: `gather_facts` runs with the case's fake
filesystem root (root/) and a PATH holding only its fake tools (bin/).
What a fake root cannot hold (filesystem sizes, loadable libraries) is
recorded in measured.json and laid over the probed facts. Cases of other
operating systems cannot be probed here and keep a hand-written facts.json.
"""

import json
from pathlib import Path

from checks.probes import Platform, gather_facts

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "corpus"

# The platform a Linux case is probed as: fixed, so the facts do not depend on the machine running the tests.
CASE_PLATFORM = Platform(system="Linux", version="#1 SMP PREEMPT_DYNAMIC", machine="x86_64")


def list_cases():
    return sorted(path.name for path in CORPUS.iterdir() if (path / "SOURCE.md").is_file())


def case_dir(name):
    return CORPUS / name


def facts_for_case(name, rules=None):
    """The facts of one case: probed from its fake root, or its facts.json."""
    folder = case_dir(name)
    if (folder / "facts.json").is_file():
        return json.loads((folder / "facts.json").read_text(encoding="utf-8"))
    if rules is None:
        from rules import load_rules

        rules = load_rules()
    env = {"PATH": str(folder / "bin"), "HOME": "/home/user"}
    env.update(json.loads((folder / "env.json").read_text(encoding="utf-8")))
    facts = gather_facts(root=str(folder / "root"), env=env, rules=rules, platform_info=CASE_PLATFORM)
    measured = json.loads((folder / "measured.json").read_text(encoding="utf-8"))
    facts["disk"].update(measured["disk"])
    facts["temp"].update(measured["temp"])
    facts["libs"] = measured["libs"]
    _replace_host_values(facts, folder)
    return facts


def _replace_host_values(facts, folder):
    """Values that come from the interpreter running the tests, not the case, made stable."""
    facts["python"].update({"version": "3.11.9", "executable": "/usr/bin/python3.11", "implementation": "CPython"})
    for key in ("path",):
        if facts["nvidia_smi"][key]:
            facts["nvidia_smi"][key] = (
                facts["nvidia_smi"][key].replace(str(folder / "root"), "").replace(str(folder / "bin"), "/usr/bin")
            )
    if facts["rocm_smi"]["path"]:
        facts["rocm_smi"]["path"] = facts["rocm_smi"]["path"].replace(str(folder / "bin"), "/usr/bin")
