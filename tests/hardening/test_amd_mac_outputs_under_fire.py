"""The rocm-smi and system_profiler readers, fed damaged real outputs: never a wrong value.

The outputs are the published ones in tests/fixtures/real-outputs/. After a
faithful mutation (cut, line deleted or duplicated) every value read is one the
original gives for that card or GPU, or None; after lines are swapped a value
may move to another record but is still one the original shows; hostile
mutations (noise, huge numbers, random bytes) must not raise and give no size
beyond what a machine can have.
"""

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checks.browser import run_paste
from checks.parsers.macos import looks_like_system_profiler, parse_system_profiler
from checks.parsers.rocm_smi import looks_like_rocm_smi, parse_rocm_smi
from checks.units import MAX_BYTES

from .conftest import count, fuzz
from .inputs import ALL, FAITHFUL, HERE, SHUFFLING, ten_megabytes

REAL = HERE.parent / "fixtures" / "real-outputs"
SITE = "https://example.test/"


def outputs(kind):
    found = []
    for folder in sorted(path for path in REAL.iterdir() if (path / "output.txt").is_file()):
        if json.loads((folder / "expected.json").read_text(encoding="utf-8"))["kind"] == kind:
            found.append((folder.name, (folder / "output.txt").read_text(encoding="utf-8")))
    return found


ROCM = outputs("rocm-smi")
MAC = outputs("system-profiler")
MUTATION = st.sampled_from(sorted(ALL))


def names(cases):
    return [name for name, _ in cases]


def mutate(text, data):
    how = data.draw(MUTATION, label="mutation")
    return how, ALL[how](text, data)


@pytest.mark.parametrize("name, text", ROCM, ids=names(ROCM))
@fuzz
@given(data=st.data())
def test_rocm_smi_damaged_real_outputs(name, text, data):
    original = parse_rocm_smi(text)
    assert original["format"] not in ("unrecognized", "failure")
    by_card = dict((card["card"], card) for card in original["cards"])
    how, damaged = mutate(text, data)
    count("rocm-smi (damaged real, every shape)")
    result = parse_rocm_smi(damaged)
    assert result["format"] in (
        "concise",
        "productname",
        "meminfo",
        "driver",
        "csv",
        "json",
        "mixed",
        "failure",
        "unrecognized",
    )
    if result["format"] == "unrecognized":
        assert result["reason"] and not result["cards"]
    assert result["driver_version"] in (original["driver_version"], None) or how not in dict(FAITHFUL, **SHUFFLING)
    for card in result["cards"]:
        assert card["vram_bytes"] is None or 0 < card["vram_bytes"] <= MAX_BYTES
        if how in FAITHFUL:
            first = by_card.get(card["card"])
            assert first is not None, (how, card)
            # Without its "Card model" line a card is named by its series, which the original shows too.
            assert card["name"] in (first["name"], None) or re.search(
                r"(?im)card series\W+" + re.escape(card["name"]) + r"\s*[\",]?\s*$", text
            ), (how, card)
            assert card["vram_bytes"] in (first["vram_bytes"], None), (how, card)
            assert card["device_id"] in (first["device_id"], None), (how, card)
        elif how in SHUFFLING:
            assert card["name"] in [first["name"] for first in original["cards"]] + [None], (how, card)
            assert card["vram_bytes"] in [first["vram_bytes"] for first in original["cards"]] + [None], (how, card)


@pytest.mark.parametrize("name, text", MAC, ids=names(MAC))
@fuzz
@given(data=st.data())
def test_system_profiler_damaged_real_outputs(name, text, data):
    original = parse_system_profiler(text)
    assert original["format"] != "unrecognized"
    how, damaged = mutate(text, data)
    count("system_profiler (damaged real, both sections)")
    result = parse_system_profiler(damaged)
    hardware = result["hardware"]
    assert hardware["memory_bytes"] is None or 0 < hardware["memory_bytes"] <= MAX_BYTES
    for gpu in result["gpus"]:
        assert gpu["vram_bytes"] is None or 0 < gpu["vram_bytes"] <= MAX_BYTES
    if how in FAITHFUL or how in SHUFFLING:
        first = original["hardware"]
        assert hardware["memory_bytes"] in (first["memory_bytes"], None), (how, hardware)
        assert hardware["chip"] in (first["chip"], None), (how, hardware)
        assert hardware["processor"] in (first["processor"], None), (how, hardware)
        assert result["apple_silicon"] in (original["apple_silicon"], None), (how, result)
        for gpu in result["gpus"]:
            assert gpu["name"] in [one["name"] for one in original["gpus"]], (how, gpu)
            assert gpu["vram_bytes"] in [one["vram_bytes"] for one in original["gpus"]] + [None], (how, gpu)


@fuzz
@given(data=st.data())
def test_damaged_pastes_are_judged_or_refused_never_called_a_broken_nvidia_driver(data):
    # One property over all the outputs (a paste is evaluated whole: slower than a parse).
    name, text = data.draw(st.sampled_from(ROCM + MAC), label="output")
    how, damaged = mutate(text, data)
    count("rocm-smi / system_profiler pastes (damaged real)")
    result = run_paste(damaged, SITE)
    if result["report"] is None:
        assert result["error"] and "rocm-smi" in result["error"]
        return
    origin = result["report"]["facts"]["origin"]
    if origin in ("rocm-smi", "system-profiler"):
        findings = dict((item["id"], item) for item in result["report"]["findings"])
        assert findings["driver.nvidia"]["status"] != "fail"


@fuzz
@given(text=st.text(max_size=300))
def test_random_text(text):
    count("rocm-smi / system_profiler random text")
    rocm = parse_rocm_smi(text)
    mac = parse_system_profiler(text)
    assert isinstance(looks_like_rocm_smi(text), bool) and isinstance(looks_like_system_profiler(text), bool)
    for card in rocm["cards"]:
        assert card["vram_bytes"] is None or 0 < card["vram_bytes"] <= MAX_BYTES
    assert mac["hardware"]["memory_bytes"] is None or 0 < mac["hardware"]["memory_bytes"] <= MAX_BYTES


@pytest.mark.parametrize("unit", ["(MB)", "(KiB)", "(GB)"])
def test_vram_in_another_unit_is_not_read_as_bytes(unit):
    text = dict(ROCM)["rocm-meminfo-vram-plain-4gb"].replace("(B)", unit)
    assert all(card["vram_bytes"] is None for card in parse_rocm_smi(text)["cards"])


BIG = [
    "rocm-5-concise-7900xt-raphael",
    "rocm-6-combined-csv-rx6800-raphael",
    "rocm-productname-fiji-plain",
    "mac-displays-imacpro-vega64",
    "mac-hardware-imacpro-tabs",
]


@pytest.mark.parametrize("name", BIG)
def test_ten_megabytes(name):
    text = dict(ROCM + MAC)[name]
    count("rocm-smi / system_profiler 10 MB")
    big = ten_megabytes(text)
    rocm = parse_rocm_smi(big)
    mac = parse_system_profiler(big)
    assert isinstance(rocm["cards"], list) and isinstance(mac["gpus"], list)


def test_many_json_starts_are_not_tried_forever():
    count("rocm-smi 10 MB")
    result = parse_rocm_smi("{\n" * 500000)
    assert result["format"] == "unrecognized" and result["reason"].startswith("not valid JSON")


@pytest.mark.parametrize(
    "line",
    [
        "GPU[0]\t\t: Card series: a" + " " * 200000 + "b",
        "Driver version: a" + " " * 200000 + "b",
        "=" + " " * 200000 + "x=",
        "GPU " + "Temp " * 50000,
        "device," + "Card Series," * 20000,
        "Chipset Model: x\nVendor: a" + " " * 200000 + "b",
        "Memory: " + "1" * 200000 + " GB",
    ],
)
def test_long_hostile_lines_are_not_read(line):
    """Lines far longer than any real one: patterns stay linear, and nothing is read from them."""
    count("rocm-smi / system_profiler long lines")
    rocm = parse_rocm_smi(line + "\n")
    mac = parse_system_profiler(line + "\n")
    assert all(card["name"] is None and card["vram_bytes"] is None for card in rocm["cards"])
    assert rocm["driver_version"] is None
    assert mac["hardware"]["memory_bytes"] is None
