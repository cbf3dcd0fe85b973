"""Each corpus machine, probed from its recorded outputs, gets the findings in its expected.json."""

import json

import pytest

from checks.evaluate import evaluate
from tools.corpus import case_dir, facts_for_case, list_cases

SITE = "https://example.test/"


def expected_for(case):
    return json.loads((case_dir(case) / "expected.json").read_text(encoding="utf-8"))


def test_every_case_has_an_expected_json():
    missing = [case for case in list_cases() if not (case_dir(case) / "expected.json").is_file()]
    assert not missing, "cases without expected.json: %s" % ", ".join(missing)


@pytest.mark.parametrize("case", list_cases())
def test_case_gets_its_expected_findings(rules, case):
    expected = expected_for(case)
    report = evaluate(facts_for_case(case, rules), rules, SITE)
    assert dict((item["id"], item["status"]) for item in report["findings"]) == expected["findings"]
    assert dict((item["id"], item["status"]) for item in report["models"]) == expected["models"]
    assert report["summary"]["verdict"] == expected["verdict"]
    assert report["summary"]["exit_code"] == expected["exit_code"]
    details = dict((item["id"], item["detail"]) for item in report["findings"])
    for rule_id, parts in expected["detail_contains"].items():
        for part in parts:
            assert part in details[rule_id], (rule_id, part)
