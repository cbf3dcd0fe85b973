"""Requirements per release: the first release in full, each later one as its changes.

The loader resolves every release and validates it after its changes, so a
change that breaks a later release stops the build with a message naming the
release; `resolve` itself is a pure function over the file's data.
"""

import copy
import re

import pytest

from rules import RULES_PATH, RulesError, load_releases, load_rules
from rules.releases import ReleaseError, default_version, resolve, versions


def release_data(*changes):
    """A minimal file: one rule, one family, and a second release with `changes`."""
    return {
        "backends": [{"id": "cuda"}],
        "model_families": [{"id": "sd-1.5", "name": "SD", "min_memory": {"cuda": "4 GB"}}],
        "rules": [{"id": "ram.total", "values": {"min": "12 GB", "keep": "yes"}}],
        "releases": [
            {"version": "1.0.0", "tag": "v1.0.0", "name": "One"},
            {"version": "2.0.0", "tag": "v2.0.0", "name": "Two", "changes": list(changes)},
        ],
    }


def test_the_first_release_is_the_rules_as_written():
    data = release_data({"rule": "ram.total", "source": "a", "set": {"values": {"min": "16 GB"}}})
    first = resolve(data)
    assert first["rules"][0]["values"] == {"min": "12 GB", "keep": "yes"}
    assert first["release"]["version"] == "1.0.0" == default_version(data)
    assert [each["version"] for each in first["releases"]] == versions(data) == ["1.0.0", "2.0.0"]


def test_set_merges_key_by_key_and_null_deletes():
    data = release_data({"rule": "ram.total", "source": "a", "set": {"values": {"min": "16 GB", "keep": None}}})
    assert resolve(data, "2.0.0")["rules"][0]["values"] == {"min": "16 GB"}


def test_a_list_replaces_the_old_one():
    data = release_data({"family": "sd-1.5", "source": "a", "set": {"aliases": ["SD15"]}})
    data["model_families"][0]["aliases"] = ["SD 1.5", "SD1.5"]
    assert resolve(data, "2.0.0")["model_families"][0]["aliases"] == ["SD15"]


def test_add_and_removed():
    data = release_data(
        {"rule": "ram.total", "source": "a", "removed": True},
        {"family": "flux", "source": "b", "add": {"name": "FLUX", "min_memory": {"cuda": "10 GB"}}},
    )
    later = resolve(data, "2.0.0")
    assert later["rules"] == []
    assert later["model_families"][-1] == {"id": "flux", "name": "FLUX", "min_memory": {"cuda": "10 GB"}}


def test_resolving_leaves_the_data_as_it_was():
    data = release_data({"rule": "ram.total", "source": "a", "set": {"values": {"min": "16 GB"}}})
    before = copy.deepcopy(data)
    resolve(data, "2.0.0")
    assert data == before


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"rule": "ram.tota", "source": "a", "removed": True},
            "rule 'ram.tota' is not in the release before (known: ram.total)",
        ),
        (
            {"rule": "ram.total", "source": "a", "add": {}},
            "adds rule 'ram.total', which the release before already has: use set",
        ),
    ],
)
def test_a_change_that_cannot_apply_names_its_place(change, message):
    with pytest.raises(ReleaseError) as caught:
        resolve(release_data(change), "2.0.0")
    assert str(caught.value) == message
    assert caught.value.keys == ["releases", 1, "changes", 0, "rule"]


def test_every_release_of_the_real_file_loads():
    releases = load_releases()
    assert list(releases)[:-1] == versions_of_file()
    assert releases["default"] is releases[versions_of_file()[0]]
    for version, rules in releases.items():
        assert rules["release"]["version"] == (version if version != "default" else versions_of_file()[0])
        # Templates are filled after the changes: no placeholder is left in any text.
        for rule in rules["rules"]:
            for field in ("title", "summary", "why", "fix"):
                assert not re.search(r"\{[a-z_]+\}", rule[field]), (version, rule["id"], field)


def test_a_later_release_fills_its_templates_from_its_own_values():
    rules = load_rules(release="6.13.8")
    python = next(rule for rule in rules["rules"] if rule["id"] == "python.version")
    assert python["summary"] == "Python %s or %s (%s suggested)" % (
        python["values"]["supported"][0],
        python["values"]["supported"][1],
        python["values"]["recommended"],
    )
    assert python["summary"] != next(r for r in load_rules()["rules"] if r["id"] == "python.version")["summary"]


def versions_of_file():
    import yaml

    return [release["version"] for release in yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))["releases"]]


def planted(tmp_path, old, new):
    text = RULES_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "requirements.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_an_unknown_release_names_the_known_ones():
    with pytest.raises(RulesError) as caught:
        load_rules(release="9.9.9")
    assert "no release '9.9.9' in the rules (known: %s)" % " and ".join(
        [", ".join(versions_of_file()[:-1]), versions_of_file()[-1]]
    ) in str(caught.value)


def test_a_change_that_breaks_a_later_release_names_that_release(tmp_path):
    path = planted(
        tmp_path, "            torch_version: 2.4.1\n", "            torch_version: 2.4.1\n            colour: red\n"
    )
    with pytest.raises(RulesError) as caught:
        load_rules(path)
    ((where, what),) = caught.value.problems
    assert re.match(
        r"requirements\.yaml:\d+ \(release 5\.6\.0, after its changes\): rules\[\d+\]\(gpu\.torch\)\.values$",
        where.split("/")[-1],
    ), where
    assert what.startswith("unknown key 'colour'")


def test_a_change_to_a_missing_entry_points_at_the_change(tmp_path):
    path = planted(tmp_path, "      - rule: gpu.problematic\n", "      - rule: gpu.problematical\n")
    with pytest.raises(RulesError) as caught:
        load_rules(path)
    ((where, what),) = caught.value.problems
    assert re.search(r"releases\[1\]\(5\.6\.0\)\.changes\[\d+\]\(rule gpu\.problematical\)\.rule$", where), where
    assert what.startswith("rule 'gpu.problematical' is not in the release before")


def test_the_first_release_lists_no_changes(tmp_path):
    path = planted(
        tmp_path,
        "      - installer/WinLongPathsEnabled.reg\n",
        "      - installer/WinLongPathsEnabled.reg\n    changes:\n      - rule: ram.total\n        source: x\n        removed: true\n",
    )
    with pytest.raises(RulesError) as caught:
        load_rules(path)
    assert "the first release is the rules above it and lists no changes" in str(caught.value)
