"""The impact report: which verdicts of the corpus and the saved outputs a rules change flips."""

import copy
import json
import os
import re
import shutil
import subprocess

import pytest
import yaml

from checks.browser import run_paste
from tools.verify import cli, impact
from tools.verify.impact_inputs import ImpactError, default_base, parse_releases, report

SITE = "https://example.test/"
CASES = ["apple-m1-8gb", "gtx-1660-ti", "rtx-3060-12gb", "rtx-4090"]
# What verify's problem table rows look like (tests/verify/conftest.py): no impact row may read as one.
PROBLEM_ROW = re.compile(r"^\| (\d) \| `([^`]*)` \| `([^`]*)` \| (\d*) \| (.*) \|$")


@pytest.fixture(scope="module")
def machines():
    return impact.corpus_machines(CASES)


def with_values(rules, rule_id, **values):
    changed = copy.deepcopy(rules)
    for rule in changed["rules"]:
        if rule["id"] == rule_id:
            rule["values"].update(values)
    return changed


def flips(comparison):
    return [(flip.machine, flip.key, flip.old, flip.new) for flip in comparison.flips]


def one(comparison, title="planted"):
    return impact.Impact(title, [comparison], [], [], [])


# --- the pure comparison --------------------------------------------------------------------------


def test_a_raised_ram_minimum_lists_exactly_the_machines_it_leaves_behind(rules, machines):
    comparison = impact.compare(rules, with_values(rules, "ram.total", min="64 GB"), machines, SITE)
    # apple-m1-8gb already fails 12 GB; rtx-4090 has 64 GB.
    assert flips(comparison) == [
        ("corpus/gtx-1660-ti", "ram.total", "pass", "fail"),
        ("corpus/rtx-3060-12gb", "ram.total", "pass", "fail"),
    ]
    assert "needs at least 64 GB" in comparison.flips[0].detail  # the new side's why
    assert impact.summary(comparison) == [("ram.total", "pass", "fail", ["corpus/gtx-1660-ti", "corpus/rtx-3060-12gb"])]


def test_the_corpus_is_probed_with_each_sides_rules(rules):
    """The probes read python.version: dropping 3.11 makes the probe look for a 3.10 the case has."""
    supported = dict((rule["id"], rule) for rule in rules["rules"])["python.version"]["values"]["supported"]
    kept = [version for version in supported if version != "3.11"]
    new = with_values(rules, "python.version", supported=kept, recommended=kept[-1])
    comparison = impact.compare(rules, new, impact.corpus_machines(["cpu-only-small-tmpfs", "gtx-1660-ti"]), SITE)
    assert flips(comparison) == [
        ("corpus/cpu-only-small-tmpfs", "python.version", "pass", "warn"),
        ("corpus/gtx-1660-ti", "python.version", "pass", "fail"),
    ]


def test_a_rule_that_disappears_or_appears_is_not_checked_on_that_side(rules, machines):
    without = copy.deepcopy(rules)
    without["rules"] = [rule for rule in without["rules"] if rule["id"] != "ram.total"]
    gone = impact.compare(rules, without, machines[1:2], SITE, "gone")
    assert flips(gone) == [("corpus/gtx-1660-ti", "ram.total", "pass", None)]
    assert "  gone:\n    ram.total: 1 machine pass -> (not checked)\n" in impact.terminal(one(gone))
    assert "corpus/gtx-1660-ti: ram.total pass -> (not checked) (the new rules have no such rule)" in (
        impact.terminal(one(gone))
    )
    back = impact.compare(without, rules, machines[1:2], SITE)
    assert flips(back) == [("corpus/gtx-1660-ti", "ram.total", None, "pass")]


def test_model_verdicts_flip_per_family(rules, machines):
    families = copy.deepcopy(rules)
    families["model_families"] = [family for family in families["model_families"] if family["id"] != "sdxl"]
    comparison = impact.compare(rules, families, machines, SITE)
    sdxl = [flip for flip in comparison.flips if flip.key == "model:sdxl"]
    assert [flip.machine for flip in sdxl] == ["corpus/" + case for case in CASES]
    assert all(flip.new is None and flip.label == "model Stable Diffusion XL" for flip in sdxl)
    # Findings first, then models, per machine.
    keys = [flip.key for flip in comparison.flips if flip.machine == "corpus/rtx-4090"]
    assert keys == sorted(keys, key=lambda key: (key.startswith("model:"), key))


def test_no_change_and_a_change_that_flips_nothing_say_so_in_one_line(rules, machines):
    same = impact.compare(rules, copy.deepcopy(rules), machines, SITE, "release 4.2.4")
    assert same.same_rules and not same.flips
    text = impact.terminal(impact.Impact("base -> working tree", [same], [], [], []))
    assert (
        text.splitlines()[1]
        == "  Nothing flips: the rules of the release are unchanged, so no verdict of the 4 machines can."
    )
    retitled = copy.deepcopy(rules)
    retitled["rules"][0]["title"] = "Another title"
    quiet = impact.compare(rules, retitled, machines, SITE, "release 4.2.4")
    assert not quiet.same_rules and not quiet.flips
    text = impact.terminal(impact.Impact("base -> working tree", [quiet, quiet], [], [], []))
    assert text == "Impact report: base -> working tree\n  Nothing flips: 4 machines checked against 2 releases.\n"
    assert "Nothing flips: 4 machines checked against 2 releases." in impact.markdown(
        impact.Impact("t", [quiet, quiet], [], [], [])
    )
    assert impact.headline(impact.Impact("t", [quiet], [], [], [], "both releases")) == (
        "Nothing flips: 4 machines checked against both releases."
    )


def test_an_error_finding_is_shown_as_it_is_and_a_crash_does_not_stop_the_others(rules, machines):
    broken = with_values(rules, "ram.total", min="lots")
    comparison = impact.compare(rules, broken, machines[1:2], SITE)
    (flip,) = [flip for flip in comparison.flips if flip.key == "ram.total"]
    assert (flip.old, flip.new) == ("pass", "error") and flip.detail.startswith("The check failed")

    def crash(rules):
        raise RuntimeError("no facts today")

    crashing = [impact.Machine("corpus/crashes", crash)] + machines[1:2]
    comparison = impact.compare(rules, with_values(rules, "ram.total", min="64 GB"), crashing, SITE)
    assert comparison.failures == [
        impact.Failure("corpus/crashes", "old", "RuntimeError: no facts today"),
        impact.Failure("corpus/crashes", "new", "RuntimeError: no facts today"),
    ]
    assert flips(comparison) == [("corpus/gtx-1660-ti", "ram.total", "pass", "fail")]
    assert "corpus/crashes: could not be evaluated with the old rules" in impact.terminal(one(comparison))


def test_a_machine_that_flips_in_two_releases_counts_once(rules, machines):
    comparison = impact.compare(rules, with_values(rules, "ram.total", min="64 GB"), machines, SITE, "a")
    twice = impact.Impact("t", [comparison, comparison._replace(name="b")], [], [], [])
    assert impact.headline(twice) == "4 verdicts flip on 2 machines (4 machines checked against 2 releases)."


def test_the_markdown_form(rules, machines):
    comparison = impact.compare(rules, with_values(rules, "ram.total", min="64 GB"), machines, SITE, "release 4.2.4")
    text = impact.markdown(impact.Impact("the rules at abc (base) -> the working tree", [comparison], ["9.9"], [], []))
    lines = text.splitlines()
    assert lines[0] == impact.HEADING
    assert "2 verdicts flip on 2 machines (4 machines checked against 1 release)." in lines
    assert "Release 9.9 is new: not in the base, nothing to compare it with." in lines
    assert "### Release 4.2.4" in lines
    assert "| `ram.total` | pass -> fail | 2: corpus/gtx-1660-ti, corpus/rtx-3060-12gb |" in lines
    row = [line for line in lines if line.startswith("| `corpus/gtx-1660-ti` | `ram.total` | pass -> fail | ")]
    assert len(row) == 1 and "64 GB" in row[0]
    assert not any(PROBLEM_ROW.match(line) for line in lines)


def test_a_long_markdown_report_names_how_many_rows_it_leaves_out(rules, machines, monkeypatch):
    monkeypatch.setattr(impact, "MAX_MARKDOWN_ROWS", 1)
    comparison = impact.compare(rules, with_values(rules, "ram.total", min="64 GB"), machines, SITE)
    lines = impact.markdown(one(comparison)).splitlines()
    assert sum(1 for line in lines if line.startswith("| `corpus/")) == 1
    assert "| | | | and 1 more: the terminal report lists them all |" in lines
    assert impact.terminal(one(comparison)).count("ram.total pass -> fail (") == 2


# --- the machines ---------------------------------------------------------------------------------


def test_every_saved_real_output_becomes_a_machine(project_root):
    from tests.real_outputs import cases

    folder = project_root / "tests" / "fixtures" / "real-outputs"
    found, skipped = impact.saved_output_machines(folder)
    single = [path for path in folder.iterdir() if (path / "output.txt").is_file()]
    assert not skipped
    assert len(found) == len(cases(tool=None)) + len(single)
    names = [machine.name for machine in found]
    assert "real-outputs/rtx-4070-550" in names and "real-outputs/rocm-6-combined-json-7900xt" in names


def test_a_saved_output_gets_the_facts_the_paste_box_gets(project_root):
    folder = project_root / "tests" / "fixtures" / "real-outputs"
    for name, kind in (
        ("rtx-4070-550/nvidia-smi.txt", "nvidia-smi"),
        ("rocm-6-combined-csv-7900xt/output.txt", "rocm-smi"),
        ("mac-hardware-m1-air-8gb/output.txt", "system-profiler"),
    ):
        text = (folder / name).read_text(encoding="utf-8")
        facts, why = impact.facts_from_output(text, kind)
        assert why is None and facts == run_paste(text, SITE)["report"]["facts"], name


def test_an_output_that_is_not_its_tools_is_skipped_with_why(tmp_path):
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "output.txt").write_text("hello world\n", encoding="utf-8")
    (tmp_path / "junk" / "expected.json").write_text(json.dumps({"kind": "rocm-smi"}), encoding="utf-8")
    assert impact.saved_output_machines(tmp_path) == ([], [("real-outputs/junk", "not recognised as rocm-smi output")])
    assert impact.saved_output_machines(tmp_path / "absent") == ([], [])


# --- two releases of the working tree ---------------------------------------------------------------


def test_releases_4_2_4_to_5_6_0_lists_the_known_flips(project_root):
    outcome = report(project_root, releases="4.2.4..5.6.0")
    assert outcome.ran, outcome.text
    (comparison,) = outcome.impact.comparisons
    by = dict(((flip.machine, flip.key), flip) for flip in comparison.flips)
    # Removed in 5.6.0: the problematic-GPU warning and the 12 GB RAM line.
    assert (by["corpus/gtx-1660-ti", "gpu.problematic"].old, by["corpus/gtx-1660-ti", "gpu.problematic"].new) == (
        "warn",
        None,
    )
    for case in ("gtx-1660-ti", "rtx-3060-12gb", "apple-m2-16gb"):
        assert (by["corpus/" + case, "ram.total"].old, by["corpus/" + case, "ram.total"].new) == ("pass", None)
    # New in 5.6.0: os.version and the FLUX family, which 4.2.4 did not check.
    assert by["corpus/rtx-4090", "os.version"].old is None
    assert by["corpus/rtx-4090", "model:flux"].old is None
    assert "    gpu.problematic: " in outcome.text and " -> (not checked)" in outcome.text
    # The corpus, the saved real outputs and (where present) the held-out ones all ran.
    assert comparison.machines >= 25 + 66
    assert outcome.markdown.startswith(impact.HEADING)


def test_releases_must_name_two_known_releases(project_root):
    assert parse_releases("4.2.4..5.6.0") == ("4.2.4", "5.6.0")
    with pytest.raises(ImpactError):
        parse_releases("4.2.4")
    outcome = report(project_root, releases="4.2.4..9.9.9", machines=[])
    assert not outcome.ran
    assert outcome.text == "Impact report FAILED: no release 9.9.9 in the rules (known: 4.2.4, 5.6.0, 6.13.8).\n"
    assert not report(project_root, base="HEAD", releases="4.2.4..5.6.0", machines=[]).ran


def test_the_command_line_writes_the_impact_report_as_markdown(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    out = tmp_path / "impact.md"
    assert cli.main(["--impact-only", "--releases", "4.2.4..5.6.0", "--report-md", str(out)]) == 0
    assert capsys.readouterr().out.startswith("Impact report: release 4.2.4 -> release 5.6.0")
    assert out.read_text(encoding="utf-8").startswith(impact.HEADING + "\n\nRelease 4.2.4 -> release 5.6.0")
    assert cli.main(["--impact-only", "--releases", "nonsense"]) == 1


# --- against a git base ---------------------------------------------------------------------------


def git(folder, *args):
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.test",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.test",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
    )
    env.pop("GITHUB_BASE_REF", None)
    done = subprocess.run(["git"] + list(args), cwd=str(folder), capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def edit(folder, old, new):
    path = folder / "rules" / "requirements.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


RAM_LINE = "    values:\n      min: 12 GB\n\n  - id: disk.ssd"


@pytest.fixture
def repo(project_root, tmp_path):
    """A git repository holding this tree's rules: main with one commit, and a branch off it."""
    folder = tmp_path / "repo"
    shutil.copytree(str(project_root / "rules"), str(folder / "rules"), ignore=shutil.ignore_patterns("*.py", "__*"))
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "rules")
    git(folder, "checkout", "-q", "-b", "change")
    return folder


def test_the_base_is_the_merge_base_with_main(repo, machines):
    fork = git(repo, "rev-parse", "HEAD")
    # An uncommitted change of the working tree counts.
    edit(repo, RAM_LINE, RAM_LINE.replace("12 GB", "64 GB"))
    assert len(report(repo, machines=machines, environ={}).impact.comparisons[0].flips) == 2
    git(repo, "commit", "-q", "-am", "more RAM")
    # main moves on after the fork: its change is not this branch's, and must not show.
    git(repo, "checkout", "-q", "main")
    edit(repo, RAM_LINE, RAM_LINE.replace("12 GB", "4 GB"))
    git(repo, "commit", "-q", "-am", "less RAM")
    git(repo, "checkout", "-q", "change")
    assert default_base(repo, environ={}) == (fork, "the merge base of HEAD with main")

    outcome = report(repo, machines=machines, environ={})
    assert outcome.ran, outcome.text
    assert outcome.text.startswith("Impact report: the rules at %s (the merge base of HEAD with main)" % fork[:12])
    by_release = dict((comparison.name, flips(comparison)) for comparison in outcome.impact.comparisons)
    # 4.2.4 states the minimum; later releases removed the rule, so the change reaches 4.2.4 only.
    assert by_release == {
        "release 4.2.4": [
            ("corpus/gtx-1660-ti", "ram.total", "pass", "fail"),
            ("corpus/rtx-3060-12gb", "ram.total", "pass", "fail"),
        ],
        "release 5.6.0": [],
        "release 6.13.8": [],
    }
    assert "  release 4.2.4:\n    ram.total: 2 machines pass -> fail\n" in outcome.text
    assert outcome.text.splitlines()[1] == "  2 verdicts flip on 2 machines (4 machines checked against 3 releases)."
    assert "  release 5.6.0: nothing flips\n" in outcome.text
    # Against main's tip instead, the two changes add up.
    tip = report(repo, base="main", machines=machines, environ={})
    assert flips(tip.impact.comparisons[0]) == [
        ("corpus/apple-m1-8gb", "ram.total", "pass", "fail"),
        ("corpus/gtx-1660-ti", "ram.total", "pass", "fail"),
        ("corpus/rtx-3060-12gb", "ram.total", "pass", "fail"),
    ]


def test_an_unchanged_tree_says_nothing_flips_with_the_counts(repo, machines):
    outcome = report(repo, machines=machines, environ={})
    assert outcome.ran
    assert outcome.text.splitlines()[1] == (
        "  Nothing flips: the rules of all 3 releases are unchanged, so no verdict of the 4 machines can."
    )


def test_a_release_added_since_the_base_is_named(repo, machines):
    path = repo / "rules" / "requirements.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    last = data["releases"][-1]
    path.write_text(
        path.read_text(encoding="utf-8")
        + "\n  - version: 99.0.0\n    tag: v99.0.0\n    name: Invoke 99.0.0\n"
        + "    install: %s\n    sources: %s\n    changes: []\n"
        % (json.dumps(last["install"]), json.dumps(last["sources"])),
        encoding="utf-8",
    )
    outcome = report(repo, machines=machines, environ={})
    assert outcome.ran, outcome.text
    assert "  release 99.0.0: new, not in the base (nothing to compare it with)\n" in outcome.text


def test_without_main_the_base_is_the_commit_before(repo, machines):
    git(repo, "branch", "-q", "-m", "main", "trunk")
    first = git(repo, "rev-parse", "HEAD")
    edit(repo, RAM_LINE, RAM_LINE.replace("12 GB", "64 GB"))
    git(repo, "commit", "-q", "-am", "more RAM")
    assert default_base(repo, environ={}) == (first, "HEAD~1 (no main branch here)")
    # In a pull request on GitHub, the base branch is origin/$GITHUB_BASE_REF.
    git(repo, "update-ref", "refs/remotes/origin/trunk", first)
    assert default_base(repo, environ={"GITHUB_BASE_REF": "trunk"}) == (
        first,
        "the merge base of HEAD with origin/trunk",
    )


def test_no_git_history_is_one_line_and_no_failure_an_unknown_base_is_a_failure(project_root, tmp_path, machines):
    shutil.copytree(str(project_root / "rules"), str(tmp_path / "rules"), ignore=shutil.ignore_patterns("*.py", "__*"))
    outcome = report(tmp_path, machines=machines, environ={})
    assert outcome.ran and outcome.impact is None
    assert outcome.text.startswith("Impact report: not run: this tree is not a git checkout")
    # An exported copy has no history to miss, in CI too (the suite builds such copies).
    assert report(tmp_path, machines=machines, environ={"CI": "true"}).ran
    failed = report(project_root, base="no-such-ref-anywhere", machines=machines)
    assert not failed.ran
    assert failed.text == "Impact report FAILED: --base no-such-ref-anywhere: no such commit, branch or tag here.\n"


def test_in_ci_a_checkout_without_the_history_to_find_a_base_is_a_failure(repo, machines):
    git(repo, "branch", "-q", "-m", "main", "trunk")  # one commit, and no main: nothing to compare with
    assert report(repo, machines=machines, environ={}).ran
    in_ci = report(repo, machines=machines, environ={"CI": "true"})
    assert not in_ci.ran and "fetch-depth: 0" in in_ci.text


def test_rules_from_before_releases_are_refused_in_words(repo, machines):
    path = repo / "rules" / "requirements.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.pop("releases")
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "no releases")
    git(repo, "checkout", "-q", "HEAD~1", "--", "rules")
    outcome = report(repo, base="HEAD", machines=machines, environ={})
    assert not outcome.ran
    assert "predate requirements per release" in outcome.text


# --- where it runs --------------------------------------------------------------------------------


def test_make_verify_runs_the_base_comparison(project_root):
    dry = subprocess.run(
        ["make", "-n", "verify", "BASE=v1"], cwd=str(project_root), capture_output=True, text=True, timeout=60
    )
    assert "-m tools.verify --base v1" in dry.stdout


def test_the_docs_job_fetches_the_history_the_base_needs(project_root):
    workflow = yaml.safe_load((project_root / ".github" / "workflows" / "docs.yml").read_text(encoding="utf-8"))
    (checkout,) = [
        step for step in workflow["jobs"]["test"]["steps"] if step.get("uses", "").startswith("actions/checkout@")
    ]
    assert checkout["with"]["fetch-depth"] == 0
    assert re.match(r"actions/checkout@[0-9a-f]{40}$", checkout["uses"])
    # A container job runs as root in a workspace another user owns: git reads it only when told it is safe.
    steps = workflow["jobs"]["test"]["steps"]
    trust = [index for index, step in enumerate(steps) if "safe.directory" in step.get("run", "")]
    make_test = [index for index, step in enumerate(steps) if step.get("run", "").strip() == "make test"]
    assert trust and make_test and trust[0] < make_test[0]
