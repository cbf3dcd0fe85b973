"""The hard-coded value scanner and the command splitter, on small inputs."""

from tools.verify.check_commands import _segments
from tools.verify.check_hardcoded import find_hard_coded
from tools.verify.rule_values import Display, requirement_values


def typed(text, rules):
    return [(line, value.rule, found) for line, value, found in find_hard_coded(text, requirement_values(rules))]


def test_values_typed_in_prose_or_code_are_found_with_their_line(rules):
    ram = rules["rules"][[rule["id"] for rule in rules["rules"]].index("ram.total")]["values"]["min"]
    number = ram.split()[0]
    text = "# Title\n\nYou need %sGB.\n\n```bash\necho %s\n```\n" % (number, ram)
    # The same size may be two rules' value (RAM and an install size): one place, found once per rule.
    assert sorted(set((line, found) for line, _, found in typed(text, rules) if found.startswith(number))) == [
        (3, number + "GB"),
        (6, ram),
    ]


def test_every_spelling_of_a_size_is_the_value(rules):
    ram = rules["rules"][[rule["id"] for rule in rules["rules"]].index("ram.total")]["values"]["min"]
    number = ram.split()[0]
    text = "%s GiB\n%sG\n%sgb\n5%s GB\n" % (number, number, number, number)
    assert sorted(set((line, found) for line, rule, found in typed(text, rules) if rule == "ram.total")) == [
        (1, number + " GiB"),
        (2, number + "G"),
        (3, number + "gb"),
    ]


def test_macros_and_template_tags_are_not_scanned_but_html_comments_are(rules):
    text = (
        '{{ value("ram.total", "min") }}\n{% set x = rules["ram.total"]["values"]["min"] %}\n'
        '{# ' + rules["rules"][0]["summary"] + ' #}\n'
    )
    assert typed(text, rules) == []
    ram = rules["rules"][[rule["id"] for rule in rules["rules"]].index("ram.total")]["values"]["min"]
    assert (1, "ram.total", ram) in typed("<!-- " + ram + " -->\n", rules)


def test_versions_inside_longer_numbers_are_not_values_but_their_releases_are(rules):
    supported = [rule for rule in rules["rules"] if rule["id"] == "python.version"][0]["values"]["supported"]
    text = "Python %s0 or v%s" % (supported[0], supported[0])
    assert [found for _, rule, found in typed(text, rules) if rule == "python.version"] == []
    assert [found for _, rule, found in typed("Python %s.4" % supported[0], rules) if rule == "python.version"] == [
        supported[0]
    ]


def test_a_compute_capability_is_not_the_start_of_a_longer_number(rules):
    """A compute capability typed is found; a Windows build that starts with the same digits is not it."""
    oldest = [rule for rule in rules["rules"] if rule["id"] == "gpu.torch"][0]["values"]["oldest_architecture"]
    found = [found for _, rule, found in typed("capability %s cards\n" % oldest, rules) if rule == "gpu.torch"]
    assert oldest in found
    assert [found for _, rule, found in typed("build %s.22631\n" % oldest, rules) if rule == "gpu.torch"] == []


def test_expected_display_of_lists_and_shares(rules):
    display = Display(rules)
    supported = [rule for rule in rules["rules"] if rule["id"] == "python.version"][0]["values"]["supported"]
    assert " or ".join(supported) in display.expected("python.version", "supported")


def test_command_lines_are_cut_at_pipes_and_comments():
    assert _segments("curl -fsSL https://x/check.py | python3 - --json  # note") == [
        (["curl", "-fsSL", "https://x/check.py"], "|"),
        (["python3", "-", "--json"], None),
    ]
    assert _segments('python3 check.py --json > report.json || echo "not ready"') == [
        (["python3", "check.py", "--json", ">", "report.json"], "||"),
        (["echo", "not ready"], None),
    ]
