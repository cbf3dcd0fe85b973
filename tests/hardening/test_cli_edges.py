"""Standard streams closed or broken: one line (or none) on stderr, no traceback, and the exit
codes keep their meaning (0 nothing failed, 1 a requirement failed, 2 bad usage or no way
to read the input or print the report).
"""

import subprocess
import sys

import pytest

from .conftest import count

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell redirections")


def shell(check_script, redirections, args="", pipe_to=None):
    command = "%s %s %s %s" % (sys.executable, check_script, args, redirections)
    if pipe_to:
        command = "%s | %s; echo \"exit=${PIPESTATUS[0]}\" >&2" % (command, pipe_to)
    else:
        command += "; echo \"exit=$?\" >&9"
    result = subprocess.run(["bash", "-c", "exec 9>&2; " + command], capture_output=True, text=True, timeout=120)
    code = int(result.stderr.rsplit("exit=", 1)[1].split()[0])
    return code, result.stdout, result.stderr.rsplit("exit=", 1)[0]


@pytest.mark.parametrize("args", ["-v", "--json", "--markdown", "--list-checks", "--help"])
def test_a_reader_that_stops_reading_ends_the_run_quietly(check_script, args):
    code, _, err = shell(check_script, "", args, pipe_to="true")
    assert err == "", err
    assert code in (0, 1)
    count("closed or broken standard streams")


def test_stdout_closed_is_one_line_and_code_2(check_script):
    code, _, err = shell(check_script, ">&-")
    assert code == 2
    assert err.count("\n") == 1 and "standard output is closed" in err and "Error" not in err


def test_stdin_closed_for_facts_from_stdin_is_one_line_and_code_2(check_script):
    for option in ("--facts", "--nvidia-smi"):
        code, _, err = shell(check_script, "<&-", "%s -" % option)
        assert code == 2, err
        assert err.count("\n") == 1 and "standard input is closed" in err and "Error" not in err
    count("closed or broken standard streams", 2)


def test_stdout_and_stderr_closed_is_code_2_not_a_failed_requirement(check_script):
    code, out, err = shell(check_script, ">&- 2>&-")
    assert code == 2 and out == "" and err == ""
    count("closed or broken standard streams")


def test_a_full_disk_is_one_line_and_code_2(check_script):
    code, _, err = shell(check_script, "> /dev/full", "--json")
    assert code == 2
    assert err.count("\n") == 1 and "cannot write the report" in err
    count("closed or broken standard streams")
