"""A check.py download cut short says nothing misleading: cut anywhere in its last 200 bytes
(every byte: the last statement and the comment above it), it runs no check and raises
nothing but a SyntaxError; cut inside the last statement, it is always a SyntaxError.

tests/script/ cuts the whole script at every line end and ~400 points inside
lines; this is the byte-by-byte sweep of the end, where the call that runs
the checker is.
"""

import json
import subprocess
import sys

from macros.script_bundle import build_script
from tests.script.conftest import SITE_URL

TAIL_BYTES = 200

# For each cut: "syntax" (does not compile), "quiet" (compiles, runs, does nothing),
# "ran" (a check module was imported) or the name of the exception it raised.
_DRIVER = r'''
import io, json, sys
data = open(sys.argv[1], "rb").read()
points = [int(p) for p in sys.argv[2].split(",")]
outcomes = {}
real = sys.stdout, sys.stderr
for point in points:
    for name in [m for m in sys.modules if m == "checks" or m.startswith("checks.")]:
        del sys.modules[name]
    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "EmbeddedModules"]
    try:
        code = compile(data[:point].decode("utf-8"), "check.py", "exec")
    except (SyntaxError, ValueError):
        outcomes[point] = "syntax"
        continue
    sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
    sys.argv = ["check.py", "--json"]
    outcome = "quiet"
    try:
        exec(code, {"__name__": "__main__"})
    except SystemExit:
        outcome = "exited"
    except Exception as exc:
        outcome = type(exc).__name__
    finally:
        sys.stdout, sys.stderr = real
    if any(m.startswith("checks.") for m in sys.modules):
        outcome = "ran"
    outcomes[point] = outcome
print(json.dumps(outcomes))
'''


def cut_outcomes(script_text, tmp_path):
    data = script_text.encode("utf-8").rstrip(b"\n")
    path = tmp_path / "check.py"
    path.write_bytes(data)
    driver = tmp_path / "driver.py"
    driver.write_text(_DRIVER)
    points = list(range(len(data) - TAIL_BYTES, len(data)))
    result = subprocess.run(
        [sys.executable, str(driver), str(path), ",".join(map(str, points))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return data, {int(point): outcome for point, outcome in json.loads(result.stdout).items()}


def test_every_cut_in_the_last_200_bytes_is_a_syntax_error_or_does_nothing(rules, tmp_path):
    data, outcomes = cut_outcomes(build_script(rules, SITE_URL), tmp_path)
    assert len(outcomes) == TAIL_BYTES
    misleading = dict((point, outcome) for point, outcome in outcomes.items() if outcome not in ("syntax", "quiet"))
    assert misleading == {}, "cuts that ran or raised: %s" % sorted(misleading.items())[:10]
    # The last statement starts at the last line that is only "(": every cut after that is a syntax error.
    start = data.rindex(b"\n(\n") + 1
    inside = [point for point in outcomes if point > start]
    assert inside and all(outcomes[point] == "syntax" for point in inside)
