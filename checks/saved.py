"""Facts read back from a file: a saved facts object or a whole `--json` report."""
from .facts import FACTS_SCHEMA, new_facts
from .findings import REPORT_SCHEMA
from .units import MAX_BYTES

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
        _check_fields(gpu, GPU_FIELDS, "facts.gpus[%d]" % index)
    for section, fields in SECTION_FIELDS.items():
        _check_fields(facts[section], fields, "facts." + section)
    for soname, loadable in facts["libs"].items():
        _check_value(loadable, FLAG, "facts.libs.%s" % soname)
    distro = facts["os"].get("distro")
    if distro is not None:
        if not isinstance(distro, dict):
            raise ValueError("facts.os.distro: expected an object or null, got %s" % _shown(distro))
        _check_fields(distro, {"id": TEXT, "version_id": TEXT, "pretty_name": TEXT}, "facts.os.distro")
        like = distro.get("id_like")
        if like is not None and not (isinstance(like, list) and all(isinstance(item, str) for item in like)):
            raise ValueError("facts.os.distro.id_like: expected a list of text, got %s" % _shown(like))
    others = facts["python"].get("others")
    if others is not None and not (isinstance(others, list) and all(
            isinstance(item, dict) and isinstance(item.get("version"), str) for item in others)):
        raise ValueError("facts.python.others: expected a list of objects with a \"version\", got %s" % _shown(others))
    for section in ("unknown", "probe_errors"):
        for key, why in facts[section].items():
            _check_value(why, TEXT, "facts.%s.%s" % (section, key))
    return facts


# What the evaluation reads, by kind: a saved file with another type there is refused
# with its path, rather than read into a check that cannot use it.
SIZE, FLAG, TEXT = "size", "flag", "text"
KIND_NAMES = {SIZE: "a whole number of bytes", FLAG: "true or false", TEXT: "text"}
SECTION_FIELDS = {
    "os": {"system": TEXT, "release": TEXT, "version": TEXT, "machine": TEXT,
           "wsl": FLAG, "apple_silicon": FLAG, "rosetta": FLAG},
    "python": {"version": TEXT, "executable": TEXT, "implementation": TEXT},
    "ram": {"total_bytes": SIZE, "cgroup_limit_bytes": SIZE, "source": TEXT},
    "gpu_hardware": {"nvidia": FLAG, "amd": FLAG},
    "nvidia_smi": {"status": TEXT, "path": TEXT, "failure": TEXT, "message": TEXT},
    "rocm_smi": {"status": TEXT, "path": TEXT, "driver_version": TEXT, "rocm_version": TEXT, "message": TEXT},
    "disk": {"install_dir": TEXT, "measured_path": TEXT, "free_bytes": SIZE, "total_bytes": SIZE,
             "rotational": FLAG},
    "temp": {"path": TEXT, "fs_type": TEXT, "is_tmpfs": FLAG, "free_bytes": SIZE, "total_bytes": SIZE},
}
GPU_FIELDS = {"name_truncated": FLAG, "vram_bytes": SIZE, "vram_is_estimate": FLAG, "driver_version": TEXT,
              "cuda_version": TEXT, "rocm_version": TEXT, "compute_capability": TEXT, "mig": FLAG,
              "source": TEXT}


def _check_fields(section, fields, where):
    for key, kind in fields.items():
        _check_value(section.get(key), kind, "%s.%s" % (where, key))


def _check_value(value, kind, where):
    if value is None:
        return
    if kind == SIZE:
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_BYTES
    elif kind == FLAG:
        ok = isinstance(value, bool)
    else:
        ok = isinstance(value, str)
    if not ok:
        raise ValueError("%s: expected %s or null, got %s" % (where, KIND_NAMES[kind], _shown(value)))


def _shown(value):
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
