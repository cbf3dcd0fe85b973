"""What changed between two releases: a comparison of their resolved rules, in words a reader understands.

Small rule dicts go through `changes()`; every difference is found (a family
or rule added or removed, a list, a size, a nested value), worded with the
known labels, and carries the source and note of the new release's change
entry that touched it.
"""

import copy

from macros.release_changes import changes, family_memory, sentence
from rules import load_releases

BACKENDS = [
    {"id": "cuda", "vendor": "nvidia", "name": "NVIDIA", "memory": "VRAM", "systems": ["linux", "windows"]},
    {"id": "rocm", "vendor": "amd", "name": "AMD", "memory": "VRAM", "systems": ["linux"]},
]


def release(version, families=None, rules=None, backends=None, install="the installer"):
    return {
        "release": {
            "version": version,
            "tag": "v" + version,
            "name": "App " + version,
            "install": {"method": "installer", "name": install, "url": "https://example.org/" + install.split()[-1]},
        },
        "backends": copy.deepcopy(backends or BACKENDS),
        "model_families": copy.deepcopy(families or []),
        "rules": copy.deepcopy(rules or []),
    }


SD = {"id": "sd", "name": "SD", "min_memory": {"cuda": "4 GB", "rocm": "4 GB"}}
PY = {
    "id": "python.version",
    "title": "Python version",
    "page": "requirements.md",
    "summary": "Python",
    "why": "w",
    "fix": "f",
    "values": {"supported": ["3.10", "3.11"], "recommended": "3.11"},
}
RAM = {
    "id": "ram.total",
    "title": "System memory (RAM)",
    "page": "requirements.md",
    "summary": "RAM",
    "why": "w",
    "fix": "f",
    "values": {"min": "12 GB"},
}


def texts(found):
    return [item["text"] for item in found]


def test_identical_releases_have_no_changes():
    assert changes(release("1", [SD], [PY, RAM]), release("1", [SD], [PY, RAM])) == []


def test_a_list_change_reads_as_the_lists_in_words():
    new_python = dict(PY, values={"supported": ["3.11", "3.12"], "recommended": "3.11"})
    found = changes(release("1", rules=[PY]), release("2", rules=[new_python]))
    assert texts(found) == ["Python version: supported 3.10 or 3.11 → 3.11 or 3.12"]
    assert found[0]["kind"] == "changed" and found[0]["area"] == "rule" and found[0]["subject"] == "python.version"
    assert (found[0]["old"], found[0]["new"]) == ("3.10 or 3.11", "3.11 or 3.12")


def test_a_size_change_reads_as_sizes():
    found = changes(release("1", rules=[RAM]), release("2", rules=[dict(RAM, values={"min": "16384 MiB"})]))
    assert texts(found) == ["System memory (RAM): min 12 GB → 17.2 GB"]


def test_a_removed_rule_is_no_longer_listed_with_its_source():
    entries = [
        {
            "rule": "ram.total",
            "removed": True,
            "source": "docs/req.md: the RAM line is gone",
            "note": "Each family states its RAM.",
        }
    ]
    found = changes(release("1", rules=[PY, RAM]), release("2", rules=[PY]), entries)
    assert texts(found) == ["System memory (RAM): no longer listed"]
    assert found[0]["kind"] == "removed" and found[0]["old"] == "RAM" and found[0]["new"] is None
    assert found[0]["source"] == "docs/req.md: the RAM line is gone"
    assert found[0]["note"] == "Each family states its RAM."


def test_an_added_rule_says_what_it_asks():
    os_rule = {
        "id": "os.version",
        "title": "A supported operating system",
        "page": "requirements.md",
        "summary": "Windows 10+",
        "why": "w",
        "fix": "f",
        "values": {"windows": "10"},
    }
    found = changes(release("1", rules=[PY]), release("2", rules=[PY, os_rule]))
    assert texts(found) == ["A supported operating system: added (Windows 10+)"]


def test_a_family_added_removed_and_a_field_added():
    flux = {
        "id": "flux",
        "name": "FLUX",
        "min_memory": {"cuda": "10 GB"},
        "min_ram": "32 GB",
        "resolution": "1024×1024",
    }
    old_family = {"id": "old", "name": "Old", "min_memory": {"cuda": "2 GB", "rocm": "2 GB"}}
    sd_with_ram = dict(SD, min_ram="16 GB")
    entries = [{"family": "sd", "set": {"min_ram": "16 GB"}, "source": "req.md: 16GB RAM"}]
    found = changes(release("1", [SD, old_family]), release("2", [sd_with_ram, flux]), entries)
    assert texts(found) == [
        "SD: RAM requirement added, 16 GB",
        "FLUX: added (1024×1024; NVIDIA 10 GB; 32 GB RAM)",
        "Old: no longer listed",
    ]
    assert [item["kind"] for item in found] == ["added", "added", "removed"]
    assert found[0]["source"] == "req.md: 16GB RAM" and found[1]["source"] is None


def test_a_shared_minimum_reads_as_the_backend_it_comes_from():
    backends = copy.deepcopy(BACKENDS)
    backends[1]["min_memory_from"] = "cuda"
    sd = dict(SD, min_memory={"cuda": "4 GB"})
    entries = [{"backend": "rocm", "set": {"min_memory_from": "cuda"}, "source": "req.md: same as Nvidia"}]
    found = changes(release("1", [SD]), release("2", [sd], backends=backends), entries)
    assert texts(found) == [
        "SD: AMD VRAM 4 GB → same as NVIDIA (4 GB)",
        "AMD: minimums per model family added, same as NVIDIA",
    ]
    # The family's line is caused by the backend's entry: it carries that source.
    assert [item["source"] for item in found] == ["req.md: same as Nvidia"] * 2


def test_a_nested_value_and_a_removed_key_and_the_install_method():
    torch = {
        "id": "gpu.torch",
        "title": "torch",
        "page": "requirements.md",
        "summary": "s",
        "why": "w",
        "fix": "f",
        "values": {"min_driver": {"linux": "525.60.13"}, "images": "2 GB"},
    }
    newer = copy.deepcopy(torch)
    newer["values"]["min_driver"]["linux"] = "570.26"
    del newer["values"]["images"]
    found = changes(release("1", rules=[torch]), release("2", rules=[newer], install="the launcher"))
    assert texts(found) == [
        "App 2: how to install the installer → the launcher",
        "App 2: where to get it https://example.org/installer → https://example.org/launcher",
        "torch: min driver, linux 525.60.13 → 570.26",
        "torch: images no longer stated (was 2 GB)",
    ]


def test_sentence_words_each_kind():
    assert sentence({"kind": "added", "field": True, "what": "SDXL: RAM requirement", "new": "16 GB"}) == (
        "SDXL: RAM requirement added, 16 GB"
    )
    assert sentence({"kind": "removed", "field": False, "what": "Problematic NVIDIA GPUs", "old": "x"}) == (
        "Problematic NVIDIA GPUs: no longer listed"
    )


def test_family_memory_words():
    backends = copy.deepcopy(BACKENDS) + [
        {
            "id": "mps",
            "vendor": "apple",
            "name": "Mac",
            "memory": "unified",
            "systems": ["macos"],
            "recommended_memory": "16 GB",
        }
    ]
    rules = {"backends": backends}
    assert family_memory({"min_memory": {"cuda": "8 GB"}}, "cuda", rules) == "8 GB"
    assert family_memory({"min_memory": {"cuda": "8 GB"}}, "mps", rules) == "any (16 GB recommended)"
    assert family_memory({"min_memory": {"cuda": "8 GB"}}, "rocm", rules) is None


def test_the_real_releases_name_what_the_pages_of_invoke_changed():
    """The project's own releases: the changes the release pages of Invoke state, each with its source."""
    import yaml

    from rules.loader import RULES_PATH

    resolved = load_releases()
    listed = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))["releases"]
    first = changes(resolved["4.2.4"], resolved["5.6.0"], listed[1]["changes"])
    second = changes(resolved["5.6.0"], resolved["6.13.8"], listed[2]["changes"])
    for expected in (
        "Problematic NVIDIA GPUs: no longer listed",
        "System memory (RAM): no longer listed",
        "Stable Diffusion XL: RAM requirement added, 16 GB",
        "Invoke 5.6.0: how to install the zip installer (install.sh or install.bat) → the Invoke Launcher",
    ):
        assert expected in texts(first)
    assert any(text.startswith("FLUX: added (1024×1024; NVIDIA RTX 20xx or newer") for text in texts(first))
    assert "Python version: supported 3.10 or 3.11 → 3.11 or 3.12" in texts(second)
    assert "Free disk space: no longer listed" in texts(second)
    # Every change but the release header's comes from an entry of the release, with its source.
    assert all(item["source"] for item in first + second if item["area"] != "release")
