"""Run the checker's evaluation over the fixture corpus, with rules that record what the checks read.

Every dict in the rules' values is replaced by a RecordingDict: a read of a key
the rules do not have is noted (with the rule id and key path) instead of only
failing inside the check, where the evaluation would turn it into an `error`
finding. The reports are kept for the finding-link check.
"""

import copy


class RecordingDict(dict):
    """A dict that notes every read of a missing key in `misses` as (rule id, key path)."""

    def __init__(self, data, rule_id, path, misses, literal_keys):
        dict.__init__(self)
        self._rule_id, self._path, self._misses, self._literal_keys = rule_id, path, misses, literal_keys
        for key, value in data.items():
            dict.__setitem__(self, key, _wrap(value, rule_id, path + [str(key)], misses, literal_keys))

    def __getitem__(self, key):
        if not dict.__contains__(self, key):
            self._note(key)
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        # A key computed from the facts (the OS name, a backend) may be absent on
        # purpose; a key typed in a check's source must exist.
        if not dict.__contains__(self, key) and key in self._literal_keys:
            self._note(key)
        return dict.get(self, key, default)

    def _note(self, key):
        self._misses.add((self._rule_id, ".".join(self._path + [str(key)])))

    def __deepcopy__(self, memo):
        return copy.deepcopy(dict(self), memo)


def _wrap(value, rule_id, path, misses, literal_keys):
    if isinstance(value, dict):
        return RecordingDict(value, rule_id, path, misses, literal_keys)
    if isinstance(value, list):
        return [_wrap(item, rule_id, path + [str(index)], misses, literal_keys) for index, item in enumerate(value)]
    return value


def recording_rules(rules, misses, literal_keys):
    recorded = copy.deepcopy(rules)
    for rule in recorded["rules"]:
        rule["values"] = RecordingDict(rule.get("values", {}), rule["id"], [], misses, literal_keys)
    return recorded


def corpus_facts(rules):
    """[(case name, facts)]: the fixture corpus when the project has one, and an empty machine of each origin."""
    from checks.facts import new_facts

    cases = [("empty %s facts" % origin, new_facts(origin)) for origin in ("probe", "browser", "file")]
    try:
        from tools.corpus import facts_for_case, list_cases
    except ImportError:
        return cases
    return cases + [(name, facts_for_case(name, rules)) for name in list_cases()]


class Evaluation:
    """The reports of every corpus machine, and the rule keys the checks read that the rules lack.

    `rules`: one release's (default: the project's default release). For a
    later release pass `literal_keys=()`: there a `.get()` of a key the release
    does not have is the coping a check must do, and only a read that would
    raise (`values["key"]`) is noted.
    """

    def __init__(self, project, literal_keys, rules=None):
        from checks.evaluate import evaluate

        rules = project.rules if rules is None else rules
        self.misses = set()
        recorded = recording_rules(rules, self.misses, literal_keys)
        self.reports = []
        for name, facts in corpus_facts(rules):
            self.reports.append((name, evaluate(facts, recorded, project.site_url)))
