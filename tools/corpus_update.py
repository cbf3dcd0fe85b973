"""Regenerate what the tests compare against the code, for review in the diff: `make corpus-update`.

- Each corpus case's expected.json (tests/fixtures/corpus/*/): the statuses of
  its findings and models, its verdict and exit code, from the evaluation of
  its facts. Its `detail_contains` phrases are kept where they still hold;
  those that no longer do are dropped and listed, for a person to look at.
- The facts part of docs/reference/report.schema.json, from the facts table
  (checks/facts.py FIELDS).

It writes only those files; `git diff` shows what a rule change moved.
"""

import json
import sys

from checks.evaluate import evaluate
from checks.facts import facts_json_schema
from rules import PROJECT_ROOT, load_rules
from tools.corpus import case_dir, facts_for_case, list_cases

SITE = "https://example.test/"
REPORT_SCHEMA = PROJECT_ROOT / "docs" / "reference" / "report.schema.json"


def expected_for(report, old):
    details = dict((item["id"], item["detail"]) for item in report["findings"])
    kept, dropped = {}, []
    for rule_id, parts in sorted((old.get("detail_contains") or {}).items()):
        for part in parts:
            if part in details.get(rule_id, ""):
                kept.setdefault(rule_id, []).append(part)
            else:
                dropped.append("%s: %r" % (rule_id, part))
    return {
        "detail_contains": kept,
        "exit_code": report["summary"]["exit_code"],
        "findings": dict((item["id"], item["status"]) for item in report["findings"]),
        "models": dict((item["id"], item["status"]) for item in report["models"]),
        "verdict": report["summary"]["verdict"],
    }, dropped


def write_json(path, data):
    text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    changed = not path.is_file() or path.read_text(encoding="utf-8") != text
    if changed:
        path.write_text(text, encoding="utf-8")
    return changed


def update_corpus(rules, out):
    changed = 0
    for case in list_cases():
        path = case_dir(case) / "expected.json"
        old = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        expected, dropped = expected_for(evaluate(facts_for_case(case, rules), rules, SITE), old)
        if write_json(path, expected):
            changed += 1
            out.write("updated %s\n" % path.relative_to(PROJECT_ROOT))
        for line in dropped:
            out.write("  %s: detail no longer contains %s\n" % (case, line))
    return changed


def report_schema_with_facts():
    """The report schema as committed, with its facts part made from the facts table."""
    schema = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    schema["properties"]["facts"] = facts_json_schema()
    return schema


def update_report_schema(out):
    text = json.dumps(report_schema_with_facts(), indent=2, ensure_ascii=False) + "\n"
    if REPORT_SCHEMA.read_text(encoding="utf-8") != text:
        REPORT_SCHEMA.write_text(text, encoding="utf-8")
        out.write("updated %s\n" % REPORT_SCHEMA.relative_to(PROJECT_ROOT))
        return 1
    return 0


def main(out=sys.stdout):
    rules = load_rules()
    changed = update_corpus(rules, out) + update_report_schema(out)
    out.write("%d file(s) regenerated; review them with git diff\n" % changed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
