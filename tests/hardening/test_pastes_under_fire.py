"""Saved facts and pastes of any shape: refused with one line, or evaluated without a broken check."""

import copy
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checks.browser import run_paste
from checks.evaluate import evaluate
from checks.facts import new_facts, new_gpu
from checks.findings import REPORT_SCHEMA
from checks.render.html import render_report
from checks.render.json_out import render_json
from checks.render.markdown import render_markdown
from checks.render.terminal import render_terminal
from checks.saved import facts_from_saved

from .conftest import count, fuzz
from .inputs import corpus_files

SITE = "https://example.invalid/"

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)


def a_machine():
    facts = new_facts("probe")
    facts["os"].update(
        system="Linux",
        machine="x86_64",
        distro={"id": "debian", "id_like": [], "version_id": "12", "pretty_name": "Debian 12"},
    )
    facts["python"]["version"] = "3.11.9"
    facts["ram"]["total_bytes"] = 32 * 10**9
    gpu = new_gpu("nvidia", "NVIDIA GeForce RTX 4090", "nvidia-smi")
    gpu.update(vram_bytes=24564 * 2**20, driver_version="550.54", cuda_version="12.4", compute_capability="8.9")
    facts["gpus"] = [gpu]
    facts["gpu_hardware"] = {"nvidia": True, "amd": False}
    facts["nvidia_smi"]["status"] = "ok"
    facts["disk"].update(
        install_dir="/home/u/invokeai",
        measured_path="/home/u",
        free_bytes=500 * 10**9,
        total_bytes=10**12,
        rotational=False,
    )
    facts["temp"].update(path="/tmp", fs_type="ext4", is_tmpfs=False, free_bytes=10**11, total_bytes=10**12)
    facts["libs"] = {"libGL.so.1": True, "libglib-2.0.so.0": True}
    return facts


def leaf_paths(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield path + (key,)
            for sub in leaf_paths(item, path + (key,)):
                yield sub
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield path + (index,)
            for sub in leaf_paths(item, path + (index,)):
                yield sub


PATHS = [path for path in leaf_paths(a_machine()) if path[0] not in ("schema",)]


def set_at(obj, path, value):
    for key in path[:-1]:
        obj = obj[key]
    obj[path[-1]] = value


def render_all(report):
    render_terminal(report, io.StringIO(), verbose=True, environ={})
    render_markdown(report)
    json.loads(render_json(report))
    render_report(report, "python3 check.py")


@fuzz
@given(
    changes=st.lists(st.tuples(st.sampled_from(PATHS), JSON_VALUES), min_size=1, max_size=4), as_report=st.booleans()
)
def test_saved_facts_with_any_values(rules, changes, as_report):
    """Any value anywhere: refused with a one-line ValueError, or every check gives a verdict (no 'error')."""
    count("saved facts (random values)")
    facts = a_machine()
    for path, value in changes:
        try:
            set_at(facts, path, copy.deepcopy(value))
        except (KeyError, IndexError, TypeError):
            pass
    obj = {"schema": REPORT_SCHEMA, "facts": facts} if as_report else facts
    try:
        loaded = facts_from_saved(json.loads(json.dumps(obj)))
    except ValueError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(("facts.", "expected", "the report")), str(exc)
        return
    report = evaluate(loaded, rules, SITE)
    broken = [(item["id"], item["detail"]) for item in report["findings"] if item["status"] == "error"]
    assert broken == [], (changes, broken)
    assert not any("failed:" in model["reason"] for model in report["models"]), report["models"]
    render_all(report)


@fuzz
@given(text=st.text(max_size=500) | JSON_VALUES.map(json.dumps))
def test_paste_box_with_any_text(text):
    count("paste box (random text)")
    result = run_paste(text, SITE)
    assert (result["report"] is None) == (result["error"] is not None)
    assert result["html"]


@pytest.mark.parametrize("name, text", sorted(corpus_files("*/nvidia-smi*.txt").items()))
def test_paste_box_with_corpus_outputs(name, text):
    count("paste box (corpus outputs)")
    result = run_paste(text, SITE)
    assert result["error"] is None, name
    facts = result["report"]["facts"]
    if facts["nvidia_smi"]["status"] == "failed":  # a recorded failure: its message, no GPU
        assert facts["nvidia_smi"]["message"] and text.startswith(facts["nvidia_smi"]["message"]), name
        assert facts["gpus"] == [], name
    else:
        assert facts["gpus"], name


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "the box is empty."),
        ("   \n", "the box is empty."),
        ("{\"schema\": ", "this starts like JSON but is not valid JSON"),
        ("{\"a\": " + "[" * 100000 + "]" * 100000 + "}", "this JSON is nested more than 64 deep"),
        ("[1, 2]", "this is none of them."),
        ("{\"schema\": \"invoke-check-facts/9\"}", "this JSON is not one (expected a facts object"),
        (
            "{\"schema\": \"invoke-check-facts/1\", \"ram\": {\"total_bytes\": \"lots\"}}",
            "facts.ram.total_bytes: expected a whole number of bytes or null, got 'lots'",
        ),
        ("\x00\x01\x02\xff garbage", "this is none of them."),
    ],
)
def test_paste_box_refusals_say_why(text, message):
    count("paste box (bad pastes)")
    result = run_paste(text, SITE)
    assert result["report"] is None and message in result["error"], result["error"]
