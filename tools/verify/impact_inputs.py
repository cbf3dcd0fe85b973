"""The two sides of an impact report, and the report itself (see impact.py).

Two ways in:
- a git base (`--base REF`; default: the merge base of HEAD with main): the
  rules file and its schema at REF against the working tree's, for every
  release present in both (a release added or removed is named as such);
- two releases of the working tree's rules (`--releases OLD..NEW`).

`report(project_root, base=None, releases=None)` returns an Outcome: the
report as text and as Markdown, and whether it ran. A rules change that flips
verdicts is information, not a failure; a report that cannot run (an unknown
ref or release, rules at the base this loader cannot read) is. With no ref
asked for, a tree that is not a git checkout (an exported copy) says so in one
line and is not a failure; a checkout with no history to find a base in is
not a failure either, except under CI=true, where it means the job did not
fetch the history.
"""

import os
import subprocess
import tempfile
from collections import namedtuple
from pathlib import Path

from . import impact

RULES_FILE = "rules/requirements.yaml"
SCHEMA_FILE = "rules/requirements.schema.json"
GIT_TIMEOUT_S = 60

# ran: False when the report could not be made (an explicit ref or release that is not there, unreadable rules).
Outcome = namedtuple("Outcome", "text markdown ran impact")


class ImpactError(Exception):
    """Why the report cannot run, in one sentence."""


class NotACheckout(ImpactError):
    """The tree is not a git checkout: there is no history to take a base from."""


# --- the machines -------------------------------------------------------------------------------


def held_out_outputs(project_root):
    """Real outputs kept beside the checkout, outside the repository (read when present)."""
    return Path(project_root).resolve().parent / "shared" / "fixtures" / "real-outputs"


def all_machines(project_root):
    """([Machine], [(name, why not read)]): the corpus, the saved real outputs, the held-out ones when present."""
    root = Path(project_root)
    machines = impact.corpus_machines()
    saved, skipped = impact.saved_output_machines(root / "tests" / "fixtures" / "real-outputs", "real-outputs")
    held, held_skipped = impact.saved_output_machines(held_out_outputs(root), "held-out")
    return machines + saved + held, skipped + held_skipped


# --- git ----------------------------------------------------------------------------------------


def git(project_root, *args):
    """git's standard output, or ImpactError with its complaint."""
    try:
        done = subprocess.run(
            ["git"] + list(args),
            cwd=str(project_root),
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT_S,
        )
    except FileNotFoundError:
        raise ImpactError("git is not installed")
    except subprocess.TimeoutExpired:
        raise ImpactError("git %s took over %d s" % (" ".join(args), GIT_TIMEOUT_S))
    if done.returncode != 0:
        message = " ".join(done.stderr.split()) or "exit status %d" % done.returncode
        raise ImpactError("git %s: %s" % (" ".join(args), message))
    return done.stdout


def _commit(project_root, ref):
    return git(project_root, "rev-parse", "--verify", "--quiet", ref + "^{commit}").strip()


def default_base(project_root, environ=None):
    """(commit, how it was chosen): the merge base of HEAD with main, else HEAD~1.

    main is looked for as the pull request's base branch in GitHub Actions
    ($GITHUB_BASE_REF, fetched as origin/<it>), then main, then origin/main.
    ImpactError when there is no git history to choose from.
    """
    environ = os.environ if environ is None else environ
    try:
        _commit(project_root, "HEAD")
    except ImpactError as exc:
        raise NotACheckout("this tree is not a git checkout with a commit (%s)" % exc)
    candidates = []
    if environ.get("GITHUB_BASE_REF"):
        candidates.append("origin/" + environ["GITHUB_BASE_REF"])
    candidates += ["main", "origin/main"]
    for branch in candidates:
        try:
            _commit(project_root, branch)
        except ImpactError:
            continue
        merge_base = git(project_root, "merge-base", "HEAD", branch).strip()
        return merge_base, "the merge base of HEAD with %s" % branch
    try:
        return _commit(project_root, "HEAD~1"), "HEAD~1 (no main branch here)"
    except ImpactError:
        raise ImpactError("no main branch and no commit before HEAD to compare with")


def rules_at(project_root, ref):
    """{version: rules} of the rules file and schema as they are at git `ref`."""
    with tempfile.TemporaryDirectory(prefix="impact-base-") as folder:
        rules_dir = Path(folder) / "rules"
        rules_dir.mkdir()
        for name in (RULES_FILE, SCHEMA_FILE):
            text = git(project_root, "show", "%s:./%s" % (ref, name))
            (Path(folder) / name).write_text(text, encoding="utf-8")
        return _load(Path(folder) / RULES_FILE, Path(folder) / SCHEMA_FILE, "the rules at %s" % ref)


def _load(rules_path, schema_path, what):
    import yaml

    from rules import RulesError, load_releases

    try:
        data = yaml.safe_load(Path(rules_path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ImpactError("%s cannot be read: %s" % (what, " ".join(str(exc).split())))
    if isinstance(data, dict) and "releases" not in data:
        raise ImpactError(
            "%s predate requirements per release (no releases: list), which this loader reads: "
            "compare with a later --base, or two --releases of the working tree" % what
        )
    try:
        loaded = load_releases(rules_path, schema_path)
    except RulesError as exc:
        raise ImpactError("%s cannot be read: %s" % (what, " ".join(str(exc).split())))
    loaded.pop("default", None)
    return loaded


def working_tree_rules(project_root):
    root = Path(project_root)
    return _load(root / RULES_FILE, root / SCHEMA_FILE, "the working tree's rules")


# --- the report ---------------------------------------------------------------------------------


def parse_releases(text):
    """ "4.2.4..5.6.0" -> ("4.2.4", "5.6.0")."""
    old, sep, new = (text or "").partition("..")
    if not sep or not old.strip() or not new.strip():
        raise ImpactError("--releases takes OLD..NEW (for example 4.2.4..5.6.0), not %r" % text)
    return old.strip(), new.strip()


def base_impact(project_root, commit, how, machines=None, site_url=None):
    """The Impact of the working tree's rules against those at git `commit` (`how`: how it was chosen)."""
    old = rules_at(project_root, commit)
    new = working_tree_rules(project_root)
    machines, notes = _machines(project_root, machines)
    site_url = site_url or _site_url(project_root)
    comparisons = [
        impact.compare(old[version], new[version], machines, site_url, "release %s" % version)
        for version in new
        if version in old
    ]
    title = "the rules at %s (%s) -> the working tree" % (commit[:12], how)
    added = [version for version in new if version not in old]
    removed = [version for version in old if version not in new]
    return impact.Impact(title, comparisons, added, removed, notes)


def releases_impact(project_root, releases, machines=None, site_url=None):
    """The Impact of moving from one release of the working tree's rules to another ("OLD..NEW")."""
    old_version, new_version = parse_releases(releases)
    loaded = working_tree_rules(project_root)
    missing = [version for version in (old_version, new_version) if version not in loaded]
    if missing:
        raise ImpactError("no release %s in the rules (known: %s)" % (" or ".join(missing), ", ".join(loaded)))
    machines, notes = _machines(project_root, machines)
    comparison = impact.compare(
        loaded[old_version],
        loaded[new_version],
        machines,
        site_url or _site_url(project_root),
        "release %s -> %s" % (old_version, new_version),
    )
    title = "release %s -> release %s of the working tree's rules" % (old_version, new_version)
    return impact.Impact(title, [comparison], [], [], notes, "both releases")


def report(project_root, base=None, releases=None, machines=None, environ=None):
    """The Outcome of one impact report: --releases when given, else the base comparison."""
    try:
        if base is not None and releases is not None:
            raise ImpactError("give --base or --releases, not both")
        if releases is not None:
            result = releases_impact(project_root, releases, machines)
        else:
            if base is None:
                try:
                    commit, how = default_base(project_root, environ)
                except ImpactError as exc:
                    in_ci = (os.environ if environ is None else environ).get("CI") == "true"
                    if in_ci and not isinstance(exc, NotACheckout):
                        raise ImpactError("%s; under CI=true the job must fetch the history (fetch-depth: 0)" % exc)
                    return _not_run("%s, so there is no base to compare the rules with" % exc)
            else:
                commit, how = _commit_or_error(project_root, base), base
            result = base_impact(project_root, commit, how, machines)
    except ImpactError as exc:
        line = "Impact report FAILED: %s." % str(exc).rstrip(".")
        return Outcome(line + "\n", "%s\n\n%s\n" % (impact.HEADING, line), False, None)
    return Outcome(impact.terminal(result), impact.markdown(result), True, result)


def _not_run(why):
    return Outcome("Impact report: not run: %s.\n" % why, "%s\n\nNot run: %s.\n" % (impact.HEADING, why), True, None)


def _commit_or_error(project_root, ref):
    try:
        return _commit(project_root, ref)
    except ImpactError:
        raise ImpactError("--base %s: no such commit, branch or tag here" % ref)


def _machines(project_root, machines):
    """(machines, notes): the given ones, or all of them with a note on any saved output not read."""
    if machines is not None:
        return machines, []
    found, skipped = all_machines(project_root)
    return found, ["%s: not read (%s)" % item for item in skipped]


def _site_url(project_root):
    from checks.rules_source import site_url_of

    path = Path(project_root) / "mkdocs.yml"
    return site_url_of(str(path)) if path.is_file() else "/"
