"""The pure heart of the checker: facts + rules -> report.

`evaluate(facts, rules, site_url)` runs one check per rule, each isolated from
the others, and adds the model verdicts and the summary. The checks declare
themselves in their modules (see registry.py); importing them fills CHECKS.
"""

from __future__ import annotations

from .. import __version__
from ..findings import REPORT_SCHEMA
from ..rules_source import rules_by_id
from . import driver_checks, gpu_checks, machine_checks, os_checks, software_checks, torch_checks  # noqa: F401  (they register their checks)
from .context import Check
from .models import model_verdicts
from .registry import CHECKS, GPU_PROBES, sections_for  # noqa: F401  (the public face of the registry)
from .summary import summarize

TYPE_CHECKING = False
if TYPE_CHECKING:  # the shapes, for type checkers only: nothing is imported at run time
    from typing import Any

    from ..contracts import Facts, Finding, ModelVerdict, Report, Rules


def checked_rules(rules: Rules) -> list[dict[str, Any]]:
    """The rules that are checked on a machine (check: false marks documentation only)."""
    return [rule for rule in rules["rules"] if rule.get("check", True)]


def evaluate(facts: Facts, rules: Rules, site_url: str, only: list[str] | None = None) -> Report:
    """The report for `facts`; `only` limits the findings to those rule ids."""
    findings = []
    for rule in checked_rules(rules):
        if only is None or rule["id"] in only:
            findings.append(run_one(Check(rule, facts, rules, site_url)))
    return {
        "schema": REPORT_SCHEMA,
        "checker": {"version": __version__, "rules_version": rules["schema_version"]},
        "release": dict((key, (rules.get("release") or {}).get(key)) for key in ("version", "name")),
        "facts": facts,
        "findings": findings,
        "models": models_or_errors(facts, rules, site_url),
        "summary": summarize(findings),
    }


def run_one(check: Check) -> Finding:
    """One check's finding; a probe error or an exception becomes an `error` finding."""
    rule_id = check.rule["id"]
    probe_errors = check.facts.get("probe_errors") or {}
    declaration = CHECKS.get(rule_id)
    if declaration is None:
        return check.result("error", "This checker has no check for %s: update the checker." % rule_id)
    for section in declaration.errors_from:
        if probe_errors.get(section):
            return check.result("error", "The %s probe failed: %s" % (section, probe_errors[section]))
    try:
        return declaration.function(check)
    except Exception as exc:  # one broken check must not hide the others
        return check.result("error", "The check failed: %s: %s" % (type(exc).__name__, exc))


def models_or_errors(facts: Facts, rules: Rules, site_url: str) -> list[ModelVerdict]:
    """The model verdicts; `unknown` for every family when they cannot be made.

    They are judged with the gpu.vram rule's statuses; a release without the
    gpu.problematic rule has no problematic-GPU verdicts.
    """
    by_id = rules_by_id(rules)
    if "gpu.vram" not in by_id:
        return _unknown_models(rules, "The rules have no gpu.vram rule to judge the models by.")
    try:
        vram = Check(by_id["gpu.vram"], facts, rules, site_url)
        problematic = by_id.get("gpu.problematic")
        return model_verdicts(vram, problematic["values"] if problematic else None)
    except Exception as exc:
        return _unknown_models(rules, "The model check failed: %s: %s" % (type(exc).__name__, exc))


def _unknown_models(rules: Rules, reason: str) -> list[ModelVerdict]:
    return [
        {"id": family["id"], "name": family["name"], "status": "unknown", "reason": reason}
        for family in rules["model_families"]
    ]
