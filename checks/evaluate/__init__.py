"""The pure heart of the checker: facts + rules -> report.

`evaluate(facts, rules, site_url)` runs one check per rule (see CHECKS), each
isolated from the others, and adds the model verdicts and the summary.
"""
from .. import __version__
from ..findings import REPORT_SCHEMA
from . import driver_checks, gpu_checks, machine_checks, software_checks
from .context import Check
from .models import model_verdicts
from .summary import summarize

CHECKS = {
    "gpu.dedicated": gpu_checks.check_dedicated,
    "gpu.vram": gpu_checks.check_vram,
    "gpu.problematic": gpu_checks.check_problematic,
    "ram.total": machine_checks.check_ram,
    "disk.ssd": machine_checks.check_ssd,
    "disk.free": machine_checks.check_disk_free,
    "tmp.space": machine_checks.check_tmp,
    "python.version": software_checks.check_python,
    "libs.opencv": software_checks.check_opencv,
    "driver.nvidia": driver_checks.check_nvidia,
    "driver.amd": driver_checks.check_amd,
}

GPU_PROBES = ("nvidia", "amd", "apple")

# The probes (see checks/probes) whose facts each check stands on: an error
# there makes its finding an error.
ERROR_SECTIONS = {
    "gpu.dedicated": GPU_PROBES,
    "gpu.vram": GPU_PROBES,
    "gpu.problematic": ("nvidia",),
    "ram.total": ("ram",),
    "disk.ssd": ("disk",),
    "disk.free": ("disk",),
    "tmp.space": ("temp",),
    "python.version": ("python",),
    "libs.opencv": ("libs",),
    "driver.nvidia": ("nvidia",),
    "driver.amd": ("amd",),
}

# Every probe each check reads from: what gather_facts must run for it.
READS = {
    "gpu.dedicated": ("os",) + GPU_PROBES,
    "gpu.vram": ("os", "ram") + GPU_PROBES,
    "gpu.problematic": ("os", "nvidia"),
    "ram.total": ("os", "ram"),
    "disk.ssd": ("os", "disk"),
    "disk.free": ("os", "disk", "gpu_hardware") + GPU_PROBES,
    "tmp.space": ("os", "temp"),
    "python.version": ("os", "python"),
    "libs.opencv": ("os", "libs"),
    "driver.nvidia": ("os", "nvidia", "gpu_hardware"),
    "driver.amd": ("os", "amd", "gpu_hardware"),
}


def sections_for(rule_ids):
    """The probes gather_facts must run to check `rule_ids`."""
    return sorted(set(section for rule_id in rule_ids for section in READS.get(rule_id, ())))


def checked_rules(rules):
    """The rules that are checked on a machine (check: false marks documentation only)."""
    return [rule for rule in rules["rules"] if rule.get("check", True)]


def evaluate(facts, rules, site_url, only=None):
    """The report for `facts`; `only` limits the findings to those rule ids."""
    findings = []
    for rule in checked_rules(rules):
        if only is None or rule["id"] in only:
            findings.append(run_one(Check(rule, facts, rules, site_url)))
    return {
        "schema": REPORT_SCHEMA,
        "checker": {"version": __version__, "rules_version": rules["schema_version"]},
        "facts": facts,
        "findings": findings,
        "models": models_or_errors(facts, rules, site_url),
        "summary": summarize(findings),
    }


def run_one(check):
    """One check's finding; a probe error or an exception becomes an `error` finding."""
    rule_id = check.rule["id"]
    probe_errors = check.facts.get("probe_errors") or {}
    for section in ERROR_SECTIONS.get(rule_id, ()):
        if probe_errors.get(section):
            return check.result("error", "The %s probe failed: %s" % (section, probe_errors[section]))
    function = CHECKS.get(rule_id)
    if function is None:
        return check.result("error", "This checker has no check for %s: update the checker." % rule_id)
    try:
        return function(check)
    except Exception as exc:  # one broken check must not hide the others
        return check.result("error", "The check failed: %s: %s" % (type(exc).__name__, exc))


def models_or_errors(facts, rules, site_url):
    by_id = dict((rule["id"], rule) for rule in rules["rules"])
    try:
        vram = Check(by_id["gpu.vram"], facts, rules, site_url)
        return model_verdicts(vram, by_id["gpu.problematic"]["values"])
    except Exception as exc:
        reason = "The model check failed: %s: %s" % (type(exc).__name__, exc)
        return [{"id": family["id"], "name": family["name"], "status": "unknown", "reason": reason}
                for family in rules["model_families"]]
