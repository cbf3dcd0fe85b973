"""Bad rules files and bad inputs to check.py: each class gets its exact message.

Rules files are the real one with one thing broken (found by key, so the
tests follow the file as its values change); check.py is the built script,
run as people run it.
"""

import re
import subprocess
import sys

import pytest

from macros.script_bundle import build_script, write_script
from rules import RULES_PATH, RulesError, load_rules

from .conftest import count

SITE = "https://example.invalid/"
FACTS_SCHEMA_TEXT = (
    "expected a facts object (schema 'invoke-check-facts/1') or a --json report (schema 'invoke-check-report/1')"
)


def line_of(text, pattern):
    """1-based line number of the first line matching `pattern`."""
    for number, line in enumerate(text.splitlines(), 1):
        if re.search(pattern, line):
            return number
    raise AssertionError("no line matches %r" % pattern)


def broken_rules(tmp_path, edit):
    text = RULES_PATH.read_text(encoding="utf-8")
    broken = edit(text)
    assert broken != text
    path = tmp_path / "requirements.yaml"
    path.write_text(broken, encoding="utf-8")
    return path, broken


def problems_of(path):
    count("bad rules files")
    with pytest.raises(RulesError) as caught:
        load_rules(path)
    return caught.value.problems


def sub_once(pattern, replacement):
    return lambda text: re.sub(pattern, replacement, text, count=1, flags=re.M)


def test_yaml_syntax_error(tmp_path):
    path, text = broken_rules(tmp_path, sub_once(r"^schema_version: (.*)$", r"schema_version: [\1"))
    start = line_of(text, r"^schema_version: \[")
    [(where, message)] = problems_of(path)
    assert where.startswith(str(path) + ":")
    assert message.startswith("YAML syntax error: while parsing a flow sequence expected ',' or ']'")
    assert message.endswith("(it started at line %d)" % start)


def test_missing_key(tmp_path, rules):
    first = rules["rules"][0]["id"]
    path, text = broken_rules(tmp_path, sub_once(r"^    summary: .*\n", ""))
    assert problems_of(path) == [
        ("%s:%d: rules[0](%s)" % (path, line_of(text, r"^  - id: " + re.escape(first)), first), "missing key 'summary'")
    ]


def test_unknown_key(tmp_path):
    path, text = broken_rules(tmp_path, sub_once(r"^(schema_version: .*)$", r"\1\ncolour: blue"))
    assert problems_of(path) == [
        (
            "%s:%d: (top level)" % (path, line_of(text, r"^schema_version:")),
            "unknown key 'colour' (allowed here: app, backends, model_families, releases, rules, schema_version, size_semantics)",
        )
    ]


def test_wrong_type(tmp_path, rules):
    installer = next(index for index, rule in enumerate(rules["rules"]) if rule["id"] == "installer.latest")
    path, text = broken_rules(tmp_path, sub_once(r"^(      stuck_minutes:) .*$", r"\1 lots"))
    assert problems_of(path) == [
        (
            "%s:%d: rules[%d](installer.latest).values.stuck_minutes"
            % (path, line_of(text, "stuck_minutes: lots"), installer),
            "expected a whole number, got string 'lots'",
        )
    ]


def test_duplicate_id(tmp_path, rules):
    first, second = rules["rules"][0]["id"], rules["rules"][1]["id"]
    path, text = broken_rules(tmp_path, sub_once(r"^  - id: %s$" % re.escape(second), "  - id: " + first))
    line = [number for number, row in enumerate(text.splitlines(), 1) if row == "  - id: " + first][1]
    assert problems_of(path) == [
        (
            "%s:%d: rules[1](%s).id" % (path, line, first),
            "duplicate rule id %r (also rules[0]): ids are page anchors and must be unique" % first,
        )
    ]


def test_bad_unit(tmp_path, rules):
    ram = next(index for index, rule in enumerate(rules["rules"]) if rule["id"] == "ram.total")
    number = rules["rules"][ram]["values"]["min"].split()[0]
    path, text = broken_rules(tmp_path, sub_once(r"^(      min:) ([0-9.]+) \w+$", r"\1 \2 GiGs"))
    assert problems_of(path) == [
        (
            "%s:%d: rules[%d](ram.total).values.min" % (path, line_of(text, "min: .* GiGs"), ram),
            "expected a size such as '12 GB' (units: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), got '%s GiGs'" % number,
        )
    ]


def test_unknown_family_reference(tmp_path, rules):
    problematic = next(index for index, rule in enumerate(rules["rules"]) if rule["id"] == "gpu.problematic")
    known = ", ".join(sorted(family["id"] for family in rules["model_families"]))
    path, text = broken_rules(tmp_path, sub_once(r"^(      full_precision_family:) .*$", r"\1 sd-nonexistent"))
    assert problems_of(path) == [
        (
            "%s:%d: rules[%d](gpu.problematic).values.full_precision_family"
            % (path, line_of(text, "full_precision_family: sd-nonexistent"), problematic),
            "refers to model family 'sd-nonexistent', which model_families does not define (known: %s)" % known,
        )
    ]


# --- check.py --facts and --nvidia-smi -------------------------------------------------------

NOT_NVIDIA_SMI = (
    "not an nvidia-smi output. Expected the output of nvidia-smi (its table, its --query-gpu CSV, "
    "nvidia-smi -q, or its error message)."
)
BAD_INPUTS = [
    ("--facts", b"", "--facts {path}: not JSON: Expecting value: line 1 column 1 (char 0)"),
    ("--facts", b"\x00\xff\xfe\x80binary", "--facts {path}: not JSON: Expecting value: line 1 column 1 (char 0)"),
    ("--facts", b"hello, this is not it\n", "--facts {path}: not JSON: Expecting value: line 1 column 1 (char 0)"),
    ("--facts", b"[1, 2]", "--facts {path}: %s, got list" % FACTS_SCHEMA_TEXT),
    (
        "--facts",
        b'{"schema": "invoke-check-facts/9"}',
        "--facts {path}: %s, got schema 'invoke-check-facts/9'" % FACTS_SCHEMA_TEXT,
    ),
    (
        "--facts",
        b'{"schema": "invoke-check-report/1", "facts": 3}',
        "--facts {path}: the report has no \"facts\" object: save it again with --json",
    ),
    (
        "--facts",
        b'{"schema": "invoke-check-facts/1", "gpus": {}}',
        "--facts {path}: facts.gpus: expected a list, got dict",
    ),
    (
        "--facts",
        b'{"schema": "invoke-check-facts/1", "disk": {"free_bytes": -1}}',
        "--facts {path}: facts.disk.free_bytes: expected a whole number of bytes or null, got -1",
    ),
    (
        "--facts",
        b'{"schema": "invoke-check-facts/1", "temp": {"is_tmpfs": "yes"}}',
        "--facts {path}: facts.temp.is_tmpfs: expected true or false or null, got 'yes'",
    ),
    ("--facts", b'{"a": ' + b"[" * 100000 + b"]" * 100000 + b"}", "--facts {path}: not JSON: maximum recursion depth"),
    ("--nvidia-smi", b"", "--nvidia-smi {path}: " + NOT_NVIDIA_SMI),
    ("--nvidia-smi", b"\x00\xff\xfe\x80binary", "--nvidia-smi {path}: " + NOT_NVIDIA_SMI),
    ("--nvidia-smi", b'{"schema": "invoke-check-facts/1"}', "--nvidia-smi {path}: " + NOT_NVIDIA_SMI),
    # several lines of prose are no failure message (they used to be taken for one)
    ("--nvidia-smi", b"hello world\nthis is\nprose\n", "--nvidia-smi {path}: " + NOT_NVIDIA_SMI),
]


@pytest.fixture(scope="module")
def script(tmp_path_factory, rules):
    return write_script(tmp_path_factory.mktemp("bad-inputs"), build_script(rules, SITE))


@pytest.mark.parametrize("option, data, message", BAD_INPUTS)
def test_bad_input_is_one_line_and_exit_2(script, tmp_path, option, data, message):
    count("bad inputs to check.py")
    path = tmp_path / "input"
    path.write_bytes(data)
    result = subprocess.run(
        [sys.executable, str(script), option, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("check.py: error: " + message.format(path=path)), result.stderr


def test_bad_input_from_stdin(script):
    count("bad inputs to check.py")
    result = subprocess.run(
        [sys.executable, str(script), "--facts", "-"], input="not json", capture_output=True, text=True, timeout=60
    )
    assert (result.returncode, result.stderr) == (
        2,
        "check.py: error: --facts -: not JSON: Expecting value: line 1 column 1 (char 0)\n",
    )
