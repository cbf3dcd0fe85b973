"""Shared by the hardening tests: hypothesis profiles, case counters, fake tools.

Profiles (pick one with HARDENING_PROFILE, else `ci` when CI=true, else `dev`):
  ci   - few examples per property, so the suite stays under a minute on 2 cores
  dev  - more examples, for a local run
  deep - many more, for a hunt before a release
They are applied per test (`@fuzz`), not loaded globally, so other suites
that use hypothesis keep their own settings.
"""

import collections
import os

from hypothesis import HealthCheck, settings

PROFILES = {"ci": 60, "dev": 250, "deep": 2000}

for _name, _examples in PROFILES.items():
    settings.register_profile(
        "hardening-" + _name,
        max_examples=_examples,
        deadline=None,
        derandomize=(_name == "ci"),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


def profile_name():
    chosen = os.environ.get("HARDENING_PROFILE")
    if chosen in PROFILES:
        return chosen
    return "ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "dev"


# Decorate a @given test with this to run it under the chosen profile.
fuzz = settings(settings.get_profile("hardening-" + profile_name()))

# Cases run, by what they exercised: printed at the end of the session.
CASES = collections.Counter()


def count(kind, number=1):
    CASES[kind] += number


def pytest_terminal_summary(terminalreporter):
    if not CASES:
        return
    terminalreporter.section("hardening: cases run (profile %s)" % profile_name())
    width = max(len(kind) for kind in CASES)
    for kind in sorted(CASES):
        terminalreporter.write_line("%s  %d" % (kind.ljust(width), CASES[kind]))
    terminalreporter.write_line("%s  %d" % ("total".ljust(width), sum(CASES.values())))


import pytest  # noqa: E402

SCRIPT_SITE = "https://example.invalid/"


@pytest.fixture(scope="session")
def check_script(tmp_path_factory, rules):
    """check.py as the site publishes it, written once per session (world-readable)."""
    from macros.script_bundle import build_script, write_script

    folder = tmp_path_factory.mktemp("published")
    path = write_script(folder, build_script(rules, SCRIPT_SITE))
    os.chmod(str(folder), 0o755)
    os.chmod(str(path), 0o644)
    return path
