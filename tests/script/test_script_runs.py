"""check.py runs on every CPython this machine has, from a file or a pipe, and says so on old ones."""

import json
import subprocess

import pytest

from .conftest import interpreters

SUPPORTED = [minor for minor in sorted(interpreters()) if tuple(map(int, minor.split("."))) >= (3, 8)]
TOO_OLD = [minor for minor in sorted(interpreters()) if tuple(map(int, minor.split("."))) < (3, 8)]


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=120, **kwargs)


@pytest.mark.parametrize("minor", SUPPORTED)
def test_json_report_on_each_interpreter(minor, script_path, rules):
    python = interpreters()[minor]
    result = run([python, str(script_path), "--json"])
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert report["facts"]["python"]["version"].startswith(minor + ".")
    checked = {rule["id"] for rule in rules["rules"] if rule.get("check", True)}
    assert {finding["id"] for finding in report["findings"]} == checked


@pytest.mark.parametrize("minor", SUPPORTED)
def test_release_is_honoured_on_each_interpreter(minor, script_path, tmp_path):
    from rules import load_releases

    every = load_releases()
    versions = [header["version"] for header in every["default"]["releases"]]
    python = interpreters()[minor]
    facts = run([python, str(script_path), "--json", "--only", "python.version"]).stdout
    saved = json.loads(facts)["facts"]
    saved["python"].update(
        version="3.10.14", others=[]
    )  # in 4.2.4's range (3.10 or 3.11), not in 6.13.8's (3.11 or 3.12)
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(saved), encoding="utf-8")
    statuses = {}
    for release in ("4.2.4", "6.13.8"):
        result = run([python, str(script_path), "--json", "--facts", str(path), "--release", release])
        assert "Traceback" not in result.stderr, result.stderr
        report = json.loads(result.stdout)
        assert report["release"] == {"version": release, "name": every[release]["release"]["name"]}
        statuses[release] = next(item["status"] for item in report["findings"] if item["id"] == "python.version")
    assert statuses == {"4.2.4": "pass", "6.13.8": "fail"}

    listed = run([python, str(script_path), "--list-releases"])
    assert listed.returncode == 0 and [line.split()[0] for line in listed.stdout.splitlines()] == versions
    wrong = run([python, str(script_path), "--release", "0.1"])
    assert wrong.returncode == 2 and wrong.stdout == ""
    assert wrong.stderr.count("\n") == 1 and "--release 0.1: no such release;" in wrong.stderr


@pytest.mark.parametrize("minor", TOO_OLD)
def test_old_python_is_told_what_it_found_and_what_is_needed(minor, script_path, rules):
    python = interpreters()[minor]
    result = run([python, str(script_path), "--json"])
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "This is Python %s." % minor in result.stderr
    python_rule = next(rule for rule in rules["rules"] if rule["id"] == "python.version")
    assert " or ".join(python_rule["values"]["supported"]) in result.stderr


def test_runs_from_a_pipe_without_reading_further_stdin(script_path):
    # `curl ... | python3 -`: the script is stdin; it must not wait for more input.
    with open(script_path, "rb") as handle:
        result = subprocess.run(["python3", "-", "--json"], stdin=handle, capture_output=True, timeout=120)
    assert result.returncode in (0, 1), result.stderr
    json.loads(result.stdout)


def test_syntax_floor_is_checked_statically(project_root):
    result = run(
        [
            str(project_root / ".venv" / "bin" / "vermin"),
            "--no-tips",
            "--violations",
            "--target=3.8-",
            "--backport",
            "typing",
            str(project_root / "checks"),
        ]
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_truncated_downloads_run_nothing(script_text, tmp_path):
    """Cut the script at every line and at many points inside lines: no copy may run a check."""
    body = script_text.rstrip("\n")
    cut_points = sorted(
        {len(line_end) for line_end in _line_prefixes(body)} | set(range(1, len(body), max(1, len(body) // 400)))
    )
    cut_points = [point for point in cut_points if point < len(body)]
    driver = tmp_path / "driver.py"
    driver.write_text(_TRUNCATION_DRIVER)
    text_file = tmp_path / "check.py"
    text_file.write_text(script_text)
    result = run(["python3", str(driver), str(text_file), ",".join(map(str, cut_points))])
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    summary = json.loads(result.stdout.splitlines()[-1])
    assert summary["ran"] == [], "truncated copies that ran a check: %s" % summary["ran"][:5]
    assert summary["tried"] == len(cut_points) >= 400


def _line_prefixes(text):
    position = 0
    for line in text.splitlines(True):
        position += len(line)
        yield text[:position]


_TRUNCATION_DRIVER = r'''
import io, json, sys
path, points = sys.argv[1], [int(p) for p in sys.argv[2].split(",")]
text = open(path, encoding="utf-8").read()
ran, tried = [], 0
real_stdout = sys.stdout
for point in points:
    tried += 1
    for name in [m for m in sys.modules if m == "checks" or m.startswith("checks.")]:
        del sys.modules[name]
    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "EmbeddedModules"]
    try:
        code = compile(text[:point], "check.py", "exec")
    except (SyntaxError, ValueError):
        continue
    sys.stdout = io.StringIO()
    sys.argv = ["check.py", "--json"]
    try:
        exec(code, {"__name__": "__main__"})
    except SystemExit:
        pass
    except Exception:
        pass
    finally:
        sys.stdout = real_stdout
    if any(m.startswith("checks.") for m in sys.modules):
        ran.append(point)
print(json.dumps({"ran": ran, "tried": tried}))
'''
