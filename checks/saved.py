"""Facts read back from a file: a saved facts object or a whole `--json` report."""
from .facts import FACTS_SCHEMA, new_facts
from .findings import REPORT_SCHEMA

# The type each top-level section must have when present.
SECTION_TYPES = {
    "os": dict, "python": dict, "ram": dict, "gpus": list, "gpu_hardware": dict,
    "nvidia_smi": dict, "rocm_smi": dict, "disk": dict, "temp": dict, "libs": dict,
    "unknown": dict, "probe_errors": dict,
}
TYPE_NAMES = {dict: "an object", list: "a list"}


def facts_from_saved(obj):
    """The facts in `obj` (facts, or a report holding them), completed with defaults.

    Raises ValueError with a one-line message saying what was expected.
    """
    expected = "expected a facts object (schema %r) or a --json report (schema %r)" % (FACTS_SCHEMA, REPORT_SCHEMA)
    if not isinstance(obj, dict):
        raise ValueError("%s, got %s" % (expected, type(obj).__name__))
    if obj.get("schema") == REPORT_SCHEMA:
        obj = obj.get("facts")
        if not isinstance(obj, dict):
            raise ValueError("the report has no \"facts\" object: save it again with --json")
    if obj.get("schema") != FACTS_SCHEMA:
        raise ValueError("%s, got schema %r" % (expected, obj.get("schema")))
    facts = new_facts(obj.get("origin") or "file")
    for key, value in obj.items():
        wanted = SECTION_TYPES.get(key)
        if wanted is not None and value is not None and not isinstance(value, wanted):
            raise ValueError("facts.%s: expected %s, got %s" % (key, TYPE_NAMES[wanted], type(value).__name__))
        if isinstance(value, dict) and isinstance(facts.get(key), dict):
            merged = dict(facts[key])
            merged.update(value)
            value = merged
        if value is not None:
            facts[key] = value
    for index, gpu in enumerate(facts["gpus"]):
        if not isinstance(gpu, dict) or not isinstance(gpu.get("name"), str) or not isinstance(gpu.get("vendor"), str):
            raise ValueError("facts.gpus[%d]: expected an object with a \"vendor\" and a \"name\"" % index)
    return facts
