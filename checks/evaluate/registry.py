"""The checks, each declared once beside its function.

    @rule_check("ram.total", reads=("os", "ram"), errors_from=("ram",))
    def check_ram(check): ...

`reads` names the probes (checks.probes.SECTIONS) whose facts the check reads:
the probe plan of `--only` comes from it. `errors_from` names those of them
whose failure makes the finding an error instead of a verdict. The registry,
the probe plan, error attribution, `--list-checks` and the docs CI's coverage
check all read `CHECKS`; nothing else lists the checks.
"""

from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False
if TYPE_CHECKING:  # the shapes, for type checkers only: nothing is imported at run time
    from typing import Callable

    from ..contracts import Finding
    from .context import Check

    CheckFunction = Callable[[Check], Finding]

# The probes that find GPUs: every GPU check reads all of them.
GPU_PROBES = ("nvidia", "amd", "apple")

Declaration = namedtuple("Declaration", "rule_id reads errors_from function")

CHECKS: dict[str, Declaration] = {}


def rule_check(
    rule_id: str, reads: tuple[str, ...], errors_from: tuple[str, ...] = ()
) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as the check of `rule_id`."""

    def register(function: CheckFunction) -> CheckFunction:
        if rule_id in CHECKS:
            raise ValueError(
                "two checks for %s: %s and %s" % (rule_id, CHECKS[rule_id].function.__name__, function.__name__)
            )
        CHECKS[rule_id] = Declaration(rule_id, tuple(reads), tuple(errors_from), function)
        return function

    return register


def sections_for(rule_ids: list[str]) -> list[str]:
    """The probes gather_facts must run to check `rule_ids`."""
    return sorted(set(section for rule_id in rule_ids if rule_id in CHECKS for section in CHECKS[rule_id].reads))
