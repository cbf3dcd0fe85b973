"""The impact of a rules change: which verdicts flip on the machines we have facts for.

Given two rule sets (old, new) and a list of machines, every machine is
evaluated against both with the checker's own `evaluate(facts, rules,
site_url)`, and each verdict that differs is listed: a finding's status per
rule id and a model family's verdict, with a rule or family present on one
side only shown as "(not checked)" on the other. The checker's code is the
same for both sides, so what flips is what the rules change did.

The machines are the fixture corpus (each case probed from its fake root as
the fixed Linux of tools/corpus.py, with the rule set being judged: the
probes read some rule values) and every saved real tool output (read as the
page's paste box reads it). Nothing here probes the machine running it.

This module neither runs git nor chooses the rule sets: see impact_inputs.py.
"""

import copy
import json
from collections import OrderedDict, namedtuple
from pathlib import Path

NOT_CHECKED = "(not checked)"

# A machine: its name and how to get its facts for a rule set (facts_for(rules) -> facts).
Machine = namedtuple("Machine", "name facts_for")
# One verdict of one machine: `key` is the rule id, or "model:<family id>" for a model verdict.
Verdict = namedtuple("Verdict", "key label status detail")
# A verdict that differs: `old`/`new` are statuses, None where that side has no such rule or family.
Flip = namedtuple("Flip", "machine key label old new detail")
# A machine that could not be evaluated on one side ("old" or "new"): it gets no flips, only this.
Failure = namedtuple("Failure", "machine side message")
# One comparison: `name` names it in the report ("release 4.2.4"); `same_rules`: both sides were equal.
Comparison = namedtuple("Comparison", "name machines flips failures same_rules")
# A whole report: its title, the comparisons, the releases on one side only, notes (outputs not read), and
# what the machines were checked against, in words (default: "N releases").
Impact = namedtuple("Impact", "title comparisons added removed notes scope")
Impact.__new__.__defaults__ = (None,)
# A job summary holds 1 MiB: past this many rows the Markdown names how many more there are.
MAX_MARKDOWN_ROWS = 400
HEADING = "## Impact of the rules change"


# --- machines -----------------------------------------------------------------------------------


def corpus_machines(cases=None):
    """Every case of the fixture corpus (or those named), probed with the rule set it is judged by."""
    from tools.corpus import facts_for_case, list_cases

    def facts_for(case):
        return lambda rules: facts_for_case(case, rules)

    return [Machine("corpus/" + case, facts_for(case)) for case in (list_cases() if cases is None else cases)]


def saved_output_machines(folder, prefix="real-outputs"):
    """The saved real outputs of `folder` (tests/fixtures/real-outputs' layout, or a MANIFEST.json list).

    ([Machine], [(name, why it was not read)]); a missing folder gives nothing.
    """
    folder = Path(folder)
    found, skipped = [], []
    if not folder.is_dir():
        return found, skipped
    manifest = folder / "MANIFEST.json"
    entries = []
    if manifest.is_file():
        for entry in json.loads(manifest.read_text(encoding="utf-8")):
            entries.append(
                ("%s/%s" % (prefix, entry["file"]), folder / entry["file"], _manifest_kind(entry.get("kind")))
            )
    for sub in sorted(path for path in folder.iterdir() if (path / "expected.json").is_file()):
        expected = json.loads((sub / "expected.json").read_text(encoding="utf-8"))
        if "outputs" in expected:
            outputs = expected["outputs"]
            for name in sorted(outputs):
                label = "%s/%s" % (prefix, sub.name) if len(outputs) == 1 else "%s/%s/%s" % (prefix, sub.name, name)
                entries.append((label, sub / name, outputs[name].get("tool")))
        elif (sub / "output.txt").is_file():
            entries.append(("%s/%s" % (prefix, sub.name), sub / "output.txt", expected.get("kind")))
    for name, path, kind in entries:
        try:
            facts, why = facts_from_output(path.read_text(encoding="utf-8"), kind)
        except (OSError, UnicodeDecodeError) as exc:
            facts, why = None, "cannot read it: %s" % exc
        if facts is None:
            skipped.append((name, why))
        else:
            found.append(Machine(name, _constant(facts)))
    return found, skipped


def facts_from_output(text, kind=None):
    """(facts, None) for one saved tool output, read as the paste box reads it; (None, why) when it is not one.

    kind: the tool that printed it ("nvidia-smi", "rocm-smi", "system-profiler"), or None to recognise it.
    """
    from checks import browser
    from checks.facts import clean_facts
    from checks.parsers.recognize import recognize

    kinds = (kind,) if kind in _READERS else tuple(_READERS)
    found = recognize(text, kinds=kinds)
    if found is None:
        return None, "not recognised as %s output" % (kind or "a tool's")
    return clean_facts(getattr(browser, _READERS[found])(text)), None


_READERS = OrderedDict(
    [
        ("nvidia-smi", "facts_from_nvidia_smi"),
        ("rocm-smi", "facts_from_rocm_smi"),
        ("system-profiler", "facts_from_system_profiler"),
    ]
)


def _manifest_kind(kind):
    """A held-out manifest's kind ("nvsmi-table", "mac") as the tool's name."""
    kind = kind or ""
    if kind.startswith("nvsmi"):
        return "nvidia-smi"
    if kind == "mac":
        return "system-profiler"
    if kind.startswith("rocm"):
        return "rocm-smi"
    return None


def _constant(facts):
    return lambda rules: copy.deepcopy(facts)


# --- comparing ----------------------------------------------------------------------------------


def verdicts(facts, rules, site_url):
    """{key: Verdict} of one machine under one rule set: each finding's status, each model family's."""
    from checks.evaluate import evaluate

    report = evaluate(facts, rules, site_url)
    found = OrderedDict()
    for item in report["findings"]:
        found[item["id"]] = Verdict(item["id"], item["id"], item["status"], item.get("detail"))
    for item in report["models"]:
        key = "model:" + item["id"]
        found[key] = Verdict(key, "model " + (item.get("name") or item["id"]), item["status"], item.get("reason"))
    return found


def compare(old_rules, new_rules, machines, site_url, name=""):
    """The Comparison of every machine judged by `old_rules` and by `new_rules`."""
    same = _canonical(old_rules) == _canonical(new_rules)
    flips, failures = [], []
    for machine in machines:
        if same:
            break  # the same rules give the same facts and findings: nothing can flip
        sides = {}
        for side, rules in (("old", old_rules), ("new", new_rules)):
            try:
                sides[side] = verdicts(machine.facts_for(rules), rules, site_url)
            except Exception as exc:  # a probe or the evaluation crashed: reported, the others still run
                failures.append(Failure(machine.name, side, "%s: %s" % (type(exc).__name__, exc)))
        if len(sides) == 2:
            flips.extend(_flips(machine.name, sides["old"], sides["new"]))
    flips.sort(key=lambda flip: (flip.machine,) + _key_order(flip.key))
    return Comparison(name, len(machines), flips, failures, same)


def _flips(machine, old, new):
    found = []
    for key in list(old) + [key for key in new if key not in old]:
        before, after = old.get(key), new.get(key)
        old_status = before.status if before else None
        new_status = after.status if after else None
        if old_status == new_status:
            continue
        if after is not None:
            label, detail = after.label, after.detail
        else:
            label = before.label
            detail = "the new rules have no such %s" % ("model family" if key.startswith("model:") else "rule")
        found.append(Flip(machine, key, label, old_status, new_status, detail))
    return found


def _key_order(key):
    """Rules first, then model families; each by id."""
    return (1, key) if key.startswith("model:") else (0, key)


def _canonical(rules):
    return json.dumps(rules, sort_keys=True, default=str)


def status_text(status):
    return NOT_CHECKED if status is None else status


def summary(comparison):
    """[(label, old, new, [machine names])] per rule and change, rules first, the most machines first."""
    groups = OrderedDict()
    order = {}
    for flip in comparison.flips:
        group = (flip.key, flip.old, flip.new)
        groups.setdefault(group, []).append(flip.machine)
        order.setdefault(flip.key, flip.label)
    rows = [(key, old, new, machines) for (key, old, new), machines in groups.items()]
    rows.sort(key=lambda row: _key_order(row[0]) + (-len(row[3]), status_text(row[1]), status_text(row[2])))
    return [(order[key], old, new, sorted(machines)) for key, old, new, machines in rows]


def flipped_machines(impact):
    """How many machines have a verdict that flips in any of the comparisons."""
    return len(set(flip.machine for comparison in impact.comparisons for flip in comparison.flips))


def nothing_flips(impact):
    return not any(comparison.flips or comparison.failures for comparison in impact.comparisons)


# --- rendering ----------------------------------------------------------------------------------


def _machines(count):
    return "%d machine%s" % (count, "" if count == 1 else "s")


def _releases(count):
    return "%d release%s" % (count, "" if count == 1 else "s")


def headline(impact):
    """The one line of a report in which nothing flips, or the count of what does."""
    comparisons = impact.comparisons
    machines = max([comparison.machines for comparison in comparisons] or [0])
    scope = impact.scope or _releases(len(comparisons))
    if nothing_flips(impact):
        unchanged = sum(1 for comparison in comparisons if comparison.same_rules)
        if comparisons and unchanged == len(comparisons):
            return "Nothing flips: the rules of %s unchanged, so no verdict of the %s can." % (
                "the release are" if len(comparisons) == 1 else "all %s are" % _releases(len(comparisons)),
                _machines(machines),
            )
        line = "Nothing flips: %s checked against %s" % (_machines(machines), scope)
        if unchanged:
            line += " (%d of them with unchanged rules)" % unchanged
        return line + "."
    flips = sum(len(comparison.flips) for comparison in comparisons)
    line = "%d verdict%s flip%s on %s (%s checked against %s)" % (
        flips,
        "" if flips == 1 else "s",
        "s" if flips == 1 else "",
        _machines(flipped_machines(impact)),
        _machines(machines),
        scope,
    )
    failed = sum(len(comparison.failures) for comparison in comparisons)
    if failed:
        line += "; %d evaluation%s could not run" % (failed, "" if failed == 1 else "s")
    return line + "."


def _change_text(old, new):
    return "%s -> %s" % (status_text(old), status_text(new))


def _machine_list(machines, limit=None):
    if limit is None or len(machines) <= limit:
        return ", ".join(machines)
    return "%s and %d more" % (", ".join(machines[:limit]), len(machines) - limit)


def terminal(impact):
    """The report as plain text."""
    lines = ["Impact report: %s" % impact.title, "  " + headline(impact)]
    for version in impact.added:
        lines.append("  release %s: new, not in the base (nothing to compare it with)" % version)
    for version in impact.removed:
        lines.append("  release %s: removed (it was in the base)" % version)
    lines += ["  " + note for note in impact.notes]
    if nothing_flips(impact):
        return "\n".join(lines) + "\n"
    for comparison in impact.comparisons:
        if not (comparison.flips or comparison.failures):
            lines.append("  %s: nothing flips" % comparison.name)
            continue
        lines.append("  %s:" % comparison.name)
        for label, old, new, machines in summary(comparison):
            lines.append("    %s: %s %s" % (label, _machines(len(machines)), _change_text(old, new)))
        lines.append("    by machine:")
        for flip in comparison.flips:
            lines.append(
                "      %s: %s %s (%s)"
                % (flip.machine, flip.label, _change_text(flip.old, flip.new), _one_line(flip.detail))
            )
        for failure in comparison.failures:
            lines.append("      %s: could not be evaluated with the %s rules: %s" % failure)
    return "\n".join(lines) + "\n"


def markdown(impact):
    """The report as Markdown, for a job summary."""
    lines = [HEADING, "", _cell(_capital(impact.title)) + ".", "", headline(impact), ""]
    for version in impact.added:
        lines += ["Release %s is new: not in the base, nothing to compare it with." % version, ""]
    for version in impact.removed:
        lines += ["Release %s was removed: it was in the base." % version, ""]
    for note in impact.notes:
        lines += ["- %s" % _cell(note)]
    if impact.notes:
        lines.append("")
    if nothing_flips(impact):
        return "\n".join(lines)
    for comparison in impact.comparisons:
        if not (comparison.flips or comparison.failures):
            lines += ["### %s: nothing flips" % _capital(comparison.name), ""]
            continue
        lines += ["### %s" % _capital(comparison.name), ""]
        lines += ["| Rule | Change | Machines |", "| --- | --- | --- |"]
        for label, old, new, machines in summary(comparison):
            lines.append(
                "| `%s` | %s | %d: %s |"
                % (_cell(label), _change_text(old, new), len(machines), _cell(_machine_list(machines, 5)))
            )
        lines += ["", "<details><summary>By machine (%d)</summary>" % len(comparison.flips), ""]
        lines += ["| Machine | Rule | Change | Why (the new side) |", "| --- | --- | --- | --- |"]
        for flip in comparison.flips[:MAX_MARKDOWN_ROWS]:
            lines.append(
                "| `%s` | `%s` | %s | %s |"
                % (flip.machine, _cell(flip.label), _change_text(flip.old, flip.new), _cell(flip.detail or ""))
            )
        if len(comparison.flips) > MAX_MARKDOWN_ROWS:
            lines.append(
                "| | | | and %d more: the terminal report lists them all |"
                % (len(comparison.flips) - MAX_MARKDOWN_ROWS)
            )
        for failure in comparison.failures:
            lines.append(
                "| `%s` | | could not be evaluated | with the %s rules: %s |"
                % (failure.machine, failure.side, _cell(failure.message))
            )
        lines += ["", "</details>", ""]
    return "\n".join(lines)


def _capital(text):
    return text[:1].upper() + text[1:]


def _one_line(text):
    return " ".join(str(text or "").split())


def _cell(text):
    return _one_line(text).replace("|", "\\|")
