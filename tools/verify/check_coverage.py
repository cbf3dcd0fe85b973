"""3. Every rule has a check or is marked documentation-only, and the checks read only what the rules have.

Static: the registry (checks.evaluate.CHECKS, filled by the @rule_check
declarations) against the rules and the probes, and the rule ids and value keys
typed in the checks' sources. Dynamic: the evaluation over the
fixture corpus with rules that record every key read that they do not have.

Every release is covered: a rule of any release needs a check; a check names a
rule, and reads a key, that at least one release has; and the corpus is
evaluated with each release's rules, where a read that would raise on a later
release's rules (a key it removed) is named with the release.
"""

import ast
from pathlib import Path

from .problems import problem

CHECK = 3


def verify(project, evaluation_factory):
    """`evaluation_factory(literal_keys)` runs the recording evaluation (shared with check 4)."""
    from checks.evaluate import CHECKS
    from checks.probes import SECTIONS

    rules = {rule["id"]: rule for rule in project.rules["rules"]}
    # Rules of later releases: those the default does not have, and every release's values.
    added = {}
    for version, release_rules in project.later_releases():
        for rule in release_rules["rules"]:
            if rule["id"] not in rules and rule["id"] not in added:
                added[rule["id"]] = (version, rule)
    sources = SourceScan(project)
    problems = []
    for rule_id, rule in list(rules.items()) + [(rule_id, rule) for rule_id, (_, rule) in added.items()]:
        if rule.get("check", True) and rule_id not in CHECKS:
            since = " (a rule of release %s)" % added[rule_id][0] if rule_id in added else ""
            problems.append(
                problem(
                    CHECK,
                    "no check in checks.evaluate.CHECKS, and the rule%s is not marked documentation-only (check: false)"
                    % since,
                    rule=rule_id,
                    page="rules/requirements.yaml",
                    line=_rule_line(project, rule_id),
                )
            )
    for rule_id, declaration in sorted(CHECKS.items()):
        where = dict(
            rule=rule_id, page=sources.file_of(declaration.function), line=declaration.function.__code__.co_firstlineno
        )  # the decorator line
        name = declaration.function.__name__
        if rule_id not in rules and rule_id not in added:
            problems.append(
                problem(CHECK, "%s() is declared the check of a rule the rules do not have" % name, **where)
            )
        for section in declaration.reads:
            if section not in SECTIONS:
                problems.append(
                    problem(
                        CHECK,
                        "%s() reads probe %r, which checks.probes does not have (it has %s)"
                        % (name, section, ", ".join(SECTIONS)),
                        **where,
                    )
                )
        for section in declaration.errors_from:
            if section not in declaration.reads:
                problems.append(
                    problem(
                        CHECK, "%s() takes its errors from probe %r, which it does not read" % (name, section), **where
                    )
                )
    problems += sources.problems(_all_releases(project), CHECKS)
    evaluation = evaluation_factory(sources.literal_keys)
    for rule_id, key in sorted(evaluation.misses):
        problems.append(
            problem(
                CHECK,
                "a check read values.%s, which the rules do not have (seen while evaluating the fixture corpus)" % key,
                rule=rule_id,
                page="rules/requirements.yaml",
                line=_rule_line(project, rule_id),
            )
        )
    reports = len(evaluation.reports)
    for version, release_rules in project.later_releases():
        later = later_evaluation(project, release_rules)
        reports += len(later.reports)
        for rule_id, key in sorted(later.misses):
            problems.append(
                problem(
                    CHECK,
                    "a check read values.%s, which release %s does not have: it fails there "
                    "(seen while evaluating the fixture corpus with that release's rules; read it with .get() "
                    "or check.rule_values() and cope)" % (key, version),
                    rule=rule_id,
                    page="rules/requirements.yaml",
                    line=_rule_line(project, rule_id),
                )
            )
    return problems, len(rules) + len(added) + reports, evaluation


def later_evaluation(project, rules):
    from .evaluation import Evaluation

    return Evaluation(project, (), rules=rules)


def _all_releases(project):
    """{rule id: rule} with each rule's values merged over every release, for the static key checks."""
    merged = {}
    for _, release_rules in project.releases.items():
        for rule in release_rules["rules"]:
            entry = merged.setdefault(rule["id"], {"id": rule["id"], "values": {}})
            _merge_keys(entry["values"], rule.get("values") or {})
    return merged


def _merge_keys(target, values):
    for key, value in values.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge_keys(target[key], value)
        elif key not in target:
            target[key] = value


def _rule_line(project, rule_id):
    path = project.root / "rules" / "requirements.yaml"
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() in ("- id: %s" % rule_id, "- id: '%s'" % rule_id, '- id: "%s"' % rule_id):
            return number
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() in ("- rule: %s" % rule_id, "- rule: '%s'" % rule_id, '- rule: "%s"' % rule_id):
            return number  # a rule a later release adds: the change that adds it
    return None


class SourceScan:
    """The rule ids and value keys the checks' sources name, found with the ast module."""

    def __init__(self, project):
        self.root = project.root
        self.evaluate_dir = project.root / "checks" / "evaluate"
        self.trees = {}
        for path in sorted(self.evaluate_dir.rglob("*.py")):
            self.trees[path.relative_to(project.root).as_posix()] = ast.parse(path.read_text(encoding="utf-8"))
        self.literal_keys = set()
        for tree in self.trees.values():
            for node in ast.walk(tree):
                key = _subscript_or_get_key(node)
                if key is not None:
                    self.literal_keys.add(key)

    def file_of(self, function):
        """The checkout-relative path of the module that defines `function`."""
        path = function.__code__.co_filename
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path

    def problems(self, rules, registry):
        all_keys = set()
        for rule in rules.values():
            all_keys |= _all_keys(rule.get("values", {}))
        functions = dict((declaration.function.__name__, rule_id) for rule_id, declaration in registry.items())
        found = []
        for path, tree in self.trees.items():
            found += self._rule_ids(path, tree, rules)
            for function in [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]:
                found += self._value_keys(path, function, rules, functions.get(function.name), all_keys)
        return found

    def _rule_ids(self, path, tree, rules):
        found = []
        for node, rule_id in _named_rule_ids(tree):
            if rule_id not in rules:
                found.append(
                    problem(
                        CHECK,
                        "the checks name rule %r, which the rules do not have" % rule_id,
                        rule=rule_id,
                        page=path,
                        line=node.lineno,
                    )
                )
        return found

    def _value_keys(self, path, function, rules, own_rule, all_keys):
        """Keys read from `<x>.values[...]` (the function's own rule when it is registered) and `rule_values(id)[...]`."""
        found = []
        aliases = {}  # name -> rule id, for `dedicated = check.rule_values("gpu.dedicated")`
        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                rule_id = _rule_values_call(node.value)
                if rule_id:
                    aliases[node.targets[0].id] = rule_id
        for node in ast.walk(function):
            key = _subscript_or_get_key(node)
            if key is None:
                continue
            container = node.value if isinstance(node, ast.Subscript) else node.func.value
            rule_id = _rule_values_call(container)
            if rule_id is None and isinstance(container, ast.Name):
                rule_id = aliases.get(container.id)
            if rule_id is None and isinstance(container, ast.Attribute) and container.attr == "values":
                rule_id = own_rule
            if rule_id in rules:
                if key not in rules[rule_id].get("values", {}):
                    found.append(
                        problem(
                            CHECK,
                            "%s() reads values[%r] of %s, which the rules do not have" % (function.name, key, rule_id),
                            rule=rule_id,
                            page=path,
                            line=node.lineno,
                        )
                    )
            elif _reads_values(container) and key not in all_keys:
                found.append(
                    problem(
                        CHECK,
                        "%s() reads values[%r], which no rule has" % (function.name, key),
                        page=path,
                        line=node.lineno,
                    )
                )
        return found


def _subscript_or_get_key(node):
    """ "k" for `x["k"]` and `x.get("k")`."""
    if isinstance(node, ast.Subscript):
        inner = node.slice
        if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
            return inner.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args:
        if isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            return node.args[0].value
    return None


def _rule_values_call(node):
    """The rule id of `x.rule_values("id")`, else None."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "rule_values"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ):
        return node.args[0].value
    return None


def _reads_values(node):
    """`check.values`, `problematic_values`, `rule_values(...)`: something holding a rule's values."""
    if isinstance(node, ast.Attribute):
        return node.attr == "values"
    if isinstance(node, ast.Name):
        return node.id.endswith("_values") or node.id == "values"
    return _rule_values_call(node) is not None


def _named_rule_ids(tree):
    """(node, rule id) for @rule_check("id", ...), rule_values("id") and by_id["id"]."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "rule_check"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node, node.args[0].value
        rule_id = _rule_values_call(node)
        if rule_id:
            yield node, rule_id
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "by_id":
            key = _subscript_or_get_key(node)
            if key:
                yield node, key


def _all_keys(value):
    keys = set()
    if isinstance(value, dict):
        for key, item in value.items():
            keys.add(key)
            keys |= _all_keys(item)
    elif isinstance(value, list):
        for item in value:
            keys |= _all_keys(item)
    return keys
