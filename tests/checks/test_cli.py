"""The command line: options, exit codes and one-line errors."""

import io
import json
import subprocess
import sys

import pytest

from checks import __version__, cli, rules_source
from checks.facts import new_facts, new_gpu
from checks.rules_source import rule_values
from rules import load_releases

SITE = "https://example.test/"


def healthy_facts():
    facts = new_facts("probe")
    facts["os"].update(system="Linux", distro={"id": "debian", "id_like": []})
    facts["python"].update(version="3.11.9", bits=64)
    facts["ram"]["total_bytes"] = 32 * 10**9
    gpu = new_gpu("nvidia", "NVIDIA GeForce RTX 4090", "nvidia-smi")
    gpu.update(vram_bytes=24564 * 2**20, driver_version="550.54", cuda_version="12.4", compute_capability="8.9")
    facts["gpus"] = [gpu]
    facts["gpu_hardware"] = {"nvidia": True, "amd": False}
    facts["nvidia_smi"]["status"] = "ok"
    facts["rocm_smi"]["status"] = "missing"
    facts["disk"].update(measured_path="/home/u", free_bytes=500 * 10**9, rotational=False)
    facts["temp"].update(path="/tmp", is_tmpfs=False, free_bytes=10**11)
    facts["libs"] = {"libGL.so.1": True, "libglib-2.0.so.0": True}
    return facts


class NoStdin(object):
    def read(self, *args):
        raise AssertionError("stdin was read without '-'")

    buffer = property(lambda self: self)


@pytest.fixture
def probed(rules, monkeypatch):
    """The CLI with the checkout's rules and a probe that returns healthy facts; records its options."""
    calls = []

    def fake_probe(**options):
        calls.append(options)
        return healthy_facts()

    monkeypatch.setattr(cli, "load_rules", lambda release=None: (rules, SITE))
    monkeypatch.setattr(cli, "gather_facts", fake_probe)
    monkeypatch.setattr(sys, "stdin", NoStdin())
    return calls


def saved(tmp_path, obj, name="facts.json"):
    path = tmp_path / name
    path.write_text(json.dumps(obj), encoding="utf-8")
    return str(path)


def one_line_error(capsys):
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    return err


def test_a_healthy_machine_exits_0(probed, capsys):
    assert cli.main([]) == 0
    assert "Verdict: ready to install Invoke." in capsys.readouterr().out


def test_a_failed_requirement_exits_1(tmp_path, probed, capsys):
    facts = healthy_facts()
    facts["ram"]["total_bytes"] = 8 * 10**9
    assert cli.main(["--facts", saved(tmp_path, facts)]) == 1
    assert probed == []  # saved facts: no probe


def test_json_then_facts_round_trip(tmp_path, probed, capsys):
    assert cli.main(["--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["schema"] == "invoke-check-report/1"
    assert cli.main(["--facts", saved(tmp_path, report), "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["findings"] == report["findings"]


def test_facts_from_stdin_with_dash(monkeypatch, probed, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(healthy_facts()).encode())))
    assert cli.main(["--facts", "-", "--markdown"]) == 0
    assert capsys.readouterr().out.startswith("<details>")


def test_nvidia_smi_file_is_passed_to_the_probe(tmp_path, probed, capsys):
    path = tmp_path / "smi.txt"
    path.write_bytes(b"name, memory.total [MiB]\nNVIDIA GeForce RTX 4090, 24564 MiB\n")
    assert cli.main(["--nvidia-smi", str(path), "--install-dir", "/data/invoke"]) == 0
    assert "RTX 4090" in probed[0]["nvidia_smi_text"]
    assert probed[0]["install_dir"] == "/data/invoke"


def test_only_runs_those_checks_and_probes_only_what_they_read(probed, capsys):
    assert cli.main(["--only", "ram.total,disk.free", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [item["id"] for item in report["findings"]] == ["ram.total", "disk.free"]
    assert "ram" in probed[0]["only_sections"] and "disk" in probed[0]["only_sections"]
    assert probed[0]["rules"]["rules"]
    assert "python" not in probed[0]["only_sections"]


def test_an_unknown_only_id_exits_2_naming_the_known_ones(probed, capsys):
    assert cli.main(["--only", "ram.total,gpu.bogus"]) == 2
    err = one_line_error(capsys)
    assert "gpu.bogus" in err and "ram.total" in err and "driver.amd" in err


def test_list_checks(probed, capsys):
    assert cli.main(["--list-checks"]) == 0
    out = capsys.readouterr().out
    assert "ram.total" in out and "System memory (RAM)" in out
    assert "installer.latest" not in out


@pytest.mark.parametrize("argv", [["--bogus"], ["--json", "--markdown"], ["--facts"]])
def test_bad_usage_exits_2_with_one_line(probed, capsys, argv):
    assert cli.main(argv) == 2
    assert one_line_error(capsys).startswith("check.py: error:")


def test_unreadable_or_wrong_input_exits_2_with_one_line(tmp_path, probed, capsys):
    assert cli.main(["--facts", str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in one_line_error(capsys)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert cli.main(["--facts", str(bad)]) == 2
    assert "not JSON" in one_line_error(capsys)
    assert cli.main(["--facts", saved(tmp_path, {"schema": "something-else"})]) == 2
    assert "invoke-check-facts/1" in one_line_error(capsys)
    assert cli.main(["--facts", saved(tmp_path, [1, 2])]) == 2
    one_line_error(capsys)


def test_an_unexpected_error_is_one_line_and_exit_2(probed, monkeypatch, capsys):
    def explode(**options):
        raise RuntimeError("probe\nexploded")

    monkeypatch.setattr(cli, "gather_facts", explode)
    assert cli.main([]) == 2
    err = one_line_error(capsys)
    assert "RuntimeError" in err and "probe exploded" in err


def test_help_and_version_exit_0(probed, capsys):
    assert cli.main(["--version"]) == 0
    assert __version__ in capsys.readouterr().out
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for option in ("--json", "--markdown", "--facts", "--nvidia-smi", "--only", "--list-checks", "--install-dir"):
        assert option in out


def test_every_option_has_help_text():
    for action in cli.build_parser()._actions:
        assert action.help, action.option_strings


def test_python_m_checks_with_saved_facts(tmp_path, project_root):
    path = saved(tmp_path, healthy_facts())
    result = subprocess.run(
        [sys.executable, "-m", "checks", "--facts", path],
        cwd=str(project_root),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Invoke system check" in result.stdout


# --- releases --------------------------------------------------------------


@pytest.fixture(scope="module")
def releases():
    """{version: rules} of every release, and the versions oldest first."""
    every = load_releases()
    return every, [header["version"] for header in every["default"]["releases"]]


@pytest.fixture
def probed_any_release(monkeypatch):
    """The CLI with the checkout's rules of whichever release it is asked for, and a probe of healthy facts."""
    calls = []

    def fake_probe(**options):
        calls.append(options)
        return healthy_facts()

    monkeypatch.setattr(cli, "gather_facts", fake_probe)
    monkeypatch.setattr(sys, "stdin", NoStdin())
    return calls


def finding(report, rule_id):
    return next(item for item in report["findings"] if item["id"] == rule_id)


def test_list_releases_names_each_release_with_its_install_python_and_torch(probed_any_release, releases, capsys):
    every, versions = releases
    assert cli.main(["--list-releases"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == versions
    assert "(default)" in lines[0] and not any("(default)" in line for line in lines[1:])
    for line, version in zip(lines, versions):
        rules = every[version]
        assert rules["release"]["name"] in line and rules["release"]["install"]["name"] in line
        assert "Python %s;" % " or ".join(rule_values(rules, "python.version")["supported"]) in line
        assert "torch %s" % rule_values(rules, "gpu.torch")["torch_version"] in line
    assert probed_any_release == []  # nothing is probed


def test_list_releases_as_json(probed_any_release, releases, capsys):
    every, versions = releases
    assert cli.main(["--list-releases", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [row["version"] for row in listed] == versions
    assert [row["default"] for row in listed] == [True] + [False] * (len(versions) - 1)
    newest = every[versions[-1]]
    assert listed[-1]["python"] == rule_values(newest, "python.version")["supported"]
    assert listed[-1]["install"] == newest["release"]["install"]


def test_release_judges_against_that_releases_python_range(tmp_path, probed_any_release, releases, capsys):
    every, versions = releases
    facts = healthy_facts()
    facts["python"]["version"] = "3.10.14"  # in 4.2.4's range (3.10 or 3.11), not in 6.13.8's (3.11 or 3.12)
    path = saved(tmp_path, facts)
    assert "3.10" in rule_values(every["4.2.4"], "python.version")["supported"]
    assert "3.10" not in rule_values(every["6.13.8"], "python.version")["supported"]

    cli.main(["--facts", path, "--json", "--release", "6.13.8"])
    newest = json.loads(capsys.readouterr().out)
    cli.main(["--facts", path, "--json"])
    default = json.loads(capsys.readouterr().out)

    assert newest["release"] == {"version": "6.13.8", "name": every["6.13.8"]["release"]["name"]}
    assert finding(newest, "python.version")["status"] == "fail"
    assert (
        " or ".join(rule_values(every["6.13.8"], "python.version")["supported"])
        in finding(newest, "python.version")["detail"]
    )
    assert default["release"]["version"] == versions[0]
    assert finding(default, "python.version")["status"] == "pass"


def test_release_reaches_the_probe_and_the_saved_nvidia_smi(tmp_path, probed_any_release, releases, capsys):
    every, _ = releases
    path = tmp_path / "smi.csv"
    path.write_text(
        "name, memory.total [MiB], driver_version, compute_cap\nNVIDIA GeForce GTX 1080 Ti, 11264 MiB, 550.90.07, 6.1\n",
        encoding="utf-8",
    )
    cli.main(["--nvidia-smi", str(path), "--release", "6.13.8"])
    out = capsys.readouterr().out
    assert out.splitlines()[0].endswith(
        "against the requirements of %s (checker %s)" % (every["6.13.8"]["release"]["name"], __version__)
    )
    assert probed_any_release[0]["rules"]["release"]["version"] == "6.13.8"


def test_release_takes_a_tag_or_an_unambiguous_major_minor(probed_any_release, capsys):
    for asked in ("v6.13.8", "6.13", "5.6"):
        assert cli.main(["--release", asked, "--json"]) in (0, 1)
        version = json.loads(capsys.readouterr().out)["release"]["version"]
        assert version == ("5.6.0" if asked == "5.6" else "6.13.8")


def test_an_unknown_release_exits_2_naming_the_known_ones(probed_any_release, releases, capsys):
    _, versions = releases
    for asked in ("9.9.9", "5", "latest"):
        assert cli.main(["--release", asked]) == 2
        err = one_line_error(capsys)
        assert err.startswith("check.py: error: --release %s: no such release;" % asked)
        assert "%s (the default)" % versions[0] in err and all(version in err for version in versions)
    assert probed_any_release == []


def test_a_major_minor_two_releases_share_is_refused_naming_both():
    with pytest.raises(rules_source.UnknownRelease) as caught:
        rules_source.match_release("5.6", ["4.2.4", "5.6.0", "5.6.2"])
    assert "it could be 5.6.0 or 5.6.2" in str(caught.value)
    assert rules_source.match_release("5.6.2", ["4.2.4", "5.6.0", "5.6.2"]) == "5.6.2"
    assert rules_source.match_release(None, ["4.2.4", "5.6.0"]) == "4.2.4"


def test_list_checks_follows_the_release(probed_any_release, releases, capsys):
    every, versions = releases
    for version in (versions[0], versions[-1]):
        assert cli.main(["--list-checks", "--release", version]) == 0
        listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
        assert listed == [rule["id"] for rule in every[version]["rules"] if rule.get("check", True)]
    assert set(rule["id"] for rule in every[versions[0]]["rules"]) != set(
        rule["id"] for rule in every[versions[-1]]["rules"]
    )


def test_markdown_names_the_release_it_judged(probed_any_release, releases, capsys):
    every, _ = releases
    assert cli.main(["--markdown", "--release", "6.13.8", "--only", "python.version"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("<details><summary>Invoke system check for %s:" % every["6.13.8"]["release"]["name"])
