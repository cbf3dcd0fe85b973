"""The facts table (checks/facts.py FIELDS) is the one contract: probes, saved files and the report schema follow it."""

import json

import jsonschema
import pytest

from checks.facts import FIELDS, GPU_FIELDS, OBJECT, OBJECTS, facts_json_schema, new_facts, new_gpu
from checks.saved import facts_from_saved
from tools.corpus import facts_for_case, list_cases
from tools.corpus_update import REPORT_SCHEMA, report_schema_with_facts


def test_the_published_report_schema_has_the_facts_part_the_table_makes():
    committed = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(report_schema_with_facts())), (
        "docs/reference/report.schema.json is stale: run `make corpus-update` and review the diff"
    )


def test_new_facts_has_every_field_of_the_table():
    facts = new_facts("probe")
    assert set(facts) == set(FIELDS) - {"browser"}
    for name, spec in FIELDS.items():
        if spec.kind == OBJECT:
            assert set(facts[name]) == set(spec.fields), name
    assert set(new_gpu("nvidia", "x", "nvidia-smi")) == set(GPU_FIELDS)


def _undeclared(value, fields, where):
    """Paths in `value` that the table does not declare."""
    found = []
    for key, item in value.items():
        spec = fields.get(key)
        if spec is None:
            found.append(where + key)
        elif spec.kind == OBJECT and isinstance(item, dict):
            found += _undeclared(item, spec.fields, where + key + ".")
        elif spec.kind == OBJECTS and isinstance(item, list):
            for index, entry in enumerate(item):
                found += _undeclared(entry, spec.fields, "%s%s[%d]." % (where, key, index))
    return found


@pytest.mark.parametrize("case", list_cases())
def test_every_corpus_machine_has_only_declared_facts_and_fits_the_schema(rules, case):
    facts = facts_for_case(case, rules)
    assert _undeclared(facts, FIELDS, "") == []
    jsonschema.validate(facts, facts_json_schema())
    once = facts_from_saved(json.loads(json.dumps(facts)))
    assert facts_from_saved(json.loads(json.dumps(once))) == once


def test_a_saved_value_of_the_wrong_kind_is_refused_with_its_path():
    with pytest.raises(ValueError, match=r"facts\.temp\.mount_point: expected text or null, got 3"):
        facts_from_saved({"schema": "invoke-check-facts/1", "temp": {"mount_point": 3}})
    with pytest.raises(ValueError, match=r'facts\.gpus\[0\]: expected an object with a "vendor" and a "name"'):
        facts_from_saved({"schema": "invoke-check-facts/1", "gpus": [{"vendor": "nvidia"}]})
    with pytest.raises(ValueError, match=r"facts\.gpus\[0\]\.name_exact: expected true or false or null"):
        facts_from_saved(
            {"schema": "invoke-check-facts/1", "gpus": [{"vendor": "nvidia", "name": "x", "name_exact": "no"}]}
        )


def test_the_typed_dicts_name_the_fields_of_the_table():
    """checks/contracts.py (for type checkers) and FIELDS (at run time) describe the same facts."""
    from checks import contracts

    def keys(typed):
        return set(typed.__annotations__)

    assert keys(contracts.Facts) == set(FIELDS)
    assert keys(contracts.Gpu) == set(GPU_FIELDS)
    for name, spec in FIELDS.items():
        if spec.kind == OBJECT:
            typed = next(
                value
                for value in vars(contracts).values()
                if isinstance(value, type) and contracts.Facts.__annotations__[name] is value
            )
            assert keys(typed) == set(spec.fields), name
