"""Reports meant for sharing (--markdown) name no home folder: it shows as ~ (or %USERPROFILE%)."""

import subprocess
import sys

from checks.evaluate import evaluate
from checks.facts import new_facts, new_gpu
from checks.render.markdown import render_markdown

from .conftest import SCRIPT_SITE, count


def test_the_markdown_report_of_this_machine_shows_home_as_tilde(check_script, tmp_path):
    home = tmp_path / "home" / "alice-smith"
    (home / "invoke").mkdir(parents=True)
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "TMPDIR": str(home)}
    result = subprocess.run(
        [sys.executable, str(check_script), "--markdown", "--install-dir", str(home / "invoke")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode in (0, 1), result.stderr
    assert "alice-smith" not in result.stdout
    assert "~/invoke" in result.stdout  # the disk row still says where it measured
    count("shared reports without a home folder")


def test_paths_of_other_machines_lose_their_user_name_too(rules):
    facts = new_facts("file")
    facts["os"]["system"] = "Linux"
    facts["python"].update(
        version="3.9.1",
        executable="/home/bob.jones/.pyenv/versions/3.9.1/bin/python",
        others=[{"version": "3.11.9", "path": "/Users/carol/.pyenv/versions/3.11.9/bin/python"}],
    )
    facts["disk"].update(
        install_dir="C:\\Users\\Dave Lee\\invoke",
        measured_path="C:\\Users\\Dave Lee\\invoke",
        free_bytes=10**12,
        total_bytes=2 * 10**12,
    )
    facts["temp"].update(path="/var/home/erin/tmp", fs_type="ext4", is_tmpfs=False, free_bytes=10**11)
    facts["gpus"] = [new_gpu("nvidia", "NVIDIA GeForce RTX 4090", "nvidia-smi")]
    text = render_markdown(evaluate(facts, rules, SCRIPT_SITE), home="/root")
    for name in ("bob.jones", "carol", "Dave Lee", "erin"):
        assert name not in text, name
    assert "~/.pyenv/versions/3.9.1/bin/python" in text and "%USERPROFILE%\\\\invoke" in text
    count("shared reports without a home folder")
