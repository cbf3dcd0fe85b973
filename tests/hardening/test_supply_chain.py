"""What CI runs and what the site publishes can be checked by anyone.

Actions are pinned by commit, the checkout leaves no token behind, the lock
file names no index on one machine, and check.py is the same bytes however,
wherever and whenever it is built from the same commit.
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys

import yaml

PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")

# Builds check.py from the tree in argv[1] and prints its sha256 and length.
_BUILD = (
    "import hashlib, sys\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "from rules import load_rules\n"
    "from macros.script_bundle import build_script\n"
    "text = build_script(load_rules(), 'https://example.invalid/docs/')\n"
    "data = text.encode('utf-8')\n"
    "open(sys.argv[2], 'wb').write(data)\n"
)


def workflow_steps(project_root):
    for path in sorted((project_root / ".github" / "workflows").glob("*.yml")):
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, job in workflow["jobs"].items():
            for step in job.get("steps", []):
                yield path.name, name, job, step


def test_every_action_is_pinned_by_commit_and_checkout_keeps_no_token(project_root):
    uses = []
    for workflow, job_name, job, step in workflow_steps(project_root):
        if "uses" in step:
            uses.append(step["uses"])
            assert PINNED.match(step["uses"]), "%s %s: %s is not pinned by commit" % (workflow, job_name, step["uses"])
            if step["uses"].startswith("actions/checkout@"):
                assert (step.get("with") or {}).get("persist-credentials") is False, (
                    "%s %s: checkout must set persist-credentials: false" % (workflow, job_name)
                )
        image = job.get("container")
        image = image.get("image") if isinstance(image, dict) else image
        if image and "@sha256:" in image:
            assert re.search(r"@sha256:[0-9a-f]{64}$", image), image
    assert any(use.startswith("actions/checkout@") for use in uses)


def test_the_lock_file_names_no_index_on_one_machine(project_root):
    for number, line in enumerate((project_root / "requirements.lock").read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(("--index-url", "--extra-index-url", "-i ")):
            assert "file:" not in line and not re.search(r"\s/", line), "requirements.lock:%d: %s" % (number, line)


def test_two_builds_of_the_same_tree_give_byte_identical_check_py(project_root, tmp_path):
    # One build here, one from a copy elsewhere, with other hash seeds and another working folder.
    copy = tmp_path / "elsewhere" / "tree"
    for part in ("checks", "macros", "rules", "mkdocs.yml"):
        source = project_root / part
        if source.is_dir():
            shutil.copytree(source, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            copy.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / part)
    outputs = []
    for index, (tree, seed) in enumerate(((project_root, "1"), (copy, "4242"))):
        out = tmp_path / ("check-%d.py" % index)
        env = dict(
            os.environ,
            PYTHONHASHSEED=seed,
            TZ="Pacific/Kiritimati" if index else "UTC",
            LC_ALL="C" if index else "C.UTF-8",
        )
        subprocess.run(
            [sys.executable, "-c", _BUILD, str(tree), str(out)], check=True, env=env, cwd=str(tmp_path), timeout=300
        )
        outputs.append(out.read_bytes())
    assert len(outputs[0]) > 100000
    assert hashlib.sha256(outputs[0]).hexdigest() == hashlib.sha256(outputs[1]).hexdigest()
