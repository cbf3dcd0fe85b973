"""Real published rocm-smi and system_profiler outputs (tests/fixtures/real-outputs/): read right, judged alike.

Each folder holds output.txt as published, SOURCE.md citing where, and
expected.json with the values a correct parser reads. Before these parsers the
checker read 4 of the 21 right, check.py had no option for them, and the paste
box took 9 of them for a failed nvidia-smi ("not ready", "No dedicated GPU").
"""

import io
import json
import sys
from pathlib import Path

import pytest

from checks import cli
from checks.browser import run_paste
from checks.parsers.macos import gpu_vendor, looks_like_system_profiler, parse_system_profiler
from checks.parsers.nvidia_smi import parse_nvidia_smi
from checks.parsers.rocm_smi import looks_like_rocm_smi, parse_rocm_smi

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real-outputs"
SITE = "https://example.test/"


def cases(kind):
    found = []
    for folder in sorted(path for path in REAL.iterdir() if (path / "output.txt").is_file()):
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        if expected.get("kind") == kind:
            found.append((folder.name, (folder / "output.txt").read_text(encoding="utf-8"), expected))
    return found


ROCM = cases("rocm-smi")
MAC = cases("system-profiler")
ALL = ROCM + MAC


def ids(items):
    return [item[0] for item in items]


def test_the_corpus_has_what_it_claims():
    assert len(ROCM) >= 12 and len(MAC) >= 9
    for name, _, _ in ALL:
        source = (REAL / name / "SOURCE.md").read_text(encoding="utf-8")
        assert "https://github.com/" in source, name
    formats = set(expected["format"] for _, _, expected in ROCM)
    assert {"concise", "productname", "meminfo", "csv", "json"} <= formats
    assert any(expected["apple_silicon"] for _, _, expected in MAC)
    assert any(expected["apple_silicon"] is False for _, _, expected in MAC)
    assert any("\t" in text for _, text, _ in MAC), "a System Information copy (tabs)"


@pytest.mark.parametrize("name, text, expected", ROCM, ids=ids(ROCM))
def test_rocm_smi_values(name, text, expected):
    result = parse_rocm_smi(text)
    assert result["format"] == expected["format"]
    got = [dict((key, card[key]) for key in ("card", "name", "vram_bytes")) for card in result["cards"]]
    assert got == [dict((key, card[key]) for key in ("card", "name", "vram_bytes")) for card in expected["cards"]]
    assert result["driver_version"] == expected["driver_version"]
    for card, wanted in zip(result["cards"], expected["cards"]):
        if "device_id" in wanted:
            assert card["device_id"] == wanted["device_id"]


@pytest.mark.parametrize("name, text, expected", MAC, ids=ids(MAC))
def test_system_profiler_values(name, text, expected):
    result = parse_system_profiler(text)
    assert (
        result["format"]
        == {"SPDisplaysDataType": "displays", "SPHardwareDataType": "hardware"}[expected["sections"][0]]
    )
    assert result["apple_silicon"] is expected["apple_silicon"]
    assert result["hardware"]["chip"] == expected["chip"]
    assert result["hardware"]["memory_bytes"] == expected["memory_bytes"]
    gpus = [{"name": gpu["name"], "vendor": gpu_vendor(gpu), "vram_bytes": gpu["vram_bytes"]} for gpu in result["gpus"]]
    if expected["sections"] == ["SPDisplaysDataType"]:
        assert gpus == expected["gpus"]


@pytest.mark.parametrize("name, text, expected", ALL, ids=ids(ALL))
def test_each_is_recognised_as_its_own_kind_only(name, text, expected):
    assert looks_like_rocm_smi(text) is (expected["kind"] == "rocm-smi")
    assert looks_like_system_profiler(text) is (expected["kind"] == "system-profiler")
    assert not parse_nvidia_smi(text)["gpus"]


def script_report(option, text, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    code = cli.main(["--json", option, "-"])
    assert code in (0, 1)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("name, text, expected", ALL, ids=ids(ALL))
def test_check_py_and_the_paste_box_give_the_same_facts_and_findings(name, text, expected, monkeypatch):
    option = "--rocm-smi" if expected["kind"] == "rocm-smi" else "--system-profiler"
    script = script_report(option, text, monkeypatch)
    page = run_paste(text, SITE)["report"]
    assert page is not None, name
    assert script["facts"] == page["facts"]
    assert [(item["id"], item["status"], item["detail"]) for item in script["findings"]] == [
        (item["id"], item["status"], item["detail"]) for item in page["findings"]
    ]
    assert script["facts"]["origin"] == expected["kind"]


@pytest.mark.parametrize("name, text, expected", ALL, ids=ids(ALL))
def test_no_output_is_taken_for_a_broken_nvidia_driver(name, text, expected):
    findings = dict((item["id"], item) for item in run_paste(text, SITE)["report"]["findings"])
    assert findings["driver.nvidia"]["status"] != "fail"
    assert "nvidia-smi failed" not in findings["driver.nvidia"]["detail"]


@pytest.mark.parametrize("name, text, expected", ROCM, ids=ids(ROCM))
def test_rocm_smi_facts(name, text, expected):
    report = run_paste(text, SITE)["report"]
    facts, findings = report["facts"], dict((item["id"], item) for item in report["findings"])
    assert facts["os"]["system"] == "Linux" and facts["rocm_smi"]["status"] == "ok"
    assert [gpu["vram_bytes"] for gpu in facts["gpus"]] == [card["vram_bytes"] for card in expected["cards"]]
    assert all(gpu["vendor"] == "amd" for gpu in facts["gpus"])
    # A card the output does not name gets a stand-in name, marked as not the exact model.
    assert [gpu["name_exact"] for gpu in facts["gpus"]] == [card["name"] is not None for card in expected["cards"]]
    # No rocm-smi output shows the ROCm version: never "runs but shows no ... versions".
    assert findings["driver.amd"]["status"] == "unknown"
    assert "cat /opt/rocm/.info/version" in findings["driver.amd"]["detail"] or not facts["gpus"]
    vram = findings["gpu.vram"]
    if not any(card["vram_bytes"] for card in expected["cards"]):
        assert vram["status"] == "unknown"
        assert "rocm-smi --showmeminfo vram" in vram["detail"] or "rocm-smi --showproductname" in vram["detail"]


@pytest.mark.parametrize("name, text, expected", MAC, ids=ids(MAC))
def test_system_profiler_facts(name, text, expected):
    report = run_paste(text, SITE)["report"]
    facts, findings = report["facts"], dict((item["id"], item) for item in report["findings"])
    assert facts["os"]["system"] == "Darwin"
    assert facts["os"]["apple_silicon"] is expected["apple_silicon"]
    assert facts["ram"]["total_bytes"] == expected["memory_bytes"]
    if expected["memory_bytes"] is None:
        assert "system_profiler SPHardwareDataType" in findings["ram.total"]["detail"]
    if expected["apple_silicon"]:
        (gpu,) = facts["gpus"]
        assert gpu["vendor"] == "apple" and gpu["name"] == expected["chip"] and gpu["vram_bytes"] is None
    if not expected["gpus"]:
        assert findings["gpu.dedicated"]["status"] == "unknown"
        assert "system_profiler SPDisplaysDataType" in findings["gpu.dedicated"]["detail"]
    else:
        assert [(gpu["vendor"], gpu["name"]) for gpu in facts["gpus"]] == [
            (gpu["vendor"], gpu["name"]) for gpu in expected["gpus"]
        ]


PROSE = [
    "hello world\nthis is not\nany tool's output\n",
    "Memory: 16 GB\n",
    "GPU[0] : hello: world\nGPU[1] : nothing: here\n",
    "device,colour,size\ncard0,red,12\n",
    '{"card0": {"colour": "red"}}',
    "Chip: potato\nMemory: lots\n",
]


@pytest.mark.parametrize("text", PROSE)
def test_other_text_is_neither(text):
    assert not looks_like_rocm_smi(text)
    assert not looks_like_system_profiler(text)


@pytest.mark.parametrize("option", ["--rocm-smi", "--system-profiler"])
def test_check_py_refuses_other_text_with_what_it_expected(option, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PROSE[0].encode("utf-8")), encoding="utf-8"))
    assert cli.main([option, "-"]) == 2
    error = capsys.readouterr().err
    assert "not a" in error and ("rocm-smi" in error or "system_profiler" in error)


def test_check_py_takes_one_machine_description(capsys):
    assert cli.main(["--rocm-smi", "a", "--system-profiler", "b"]) == 2
    assert cli.main(["--rocm-smi", "a", "--nvidia-smi", "b"]) == 2
    assert "one of them" in capsys.readouterr().err


def test_outputs_pasted_together_are_read_together():
    product = dict((name, text) for name, text, _ in ROCM)["rocm-productname-fiji-plain"]
    memory = dict((name, text) for name, text, _ in ROCM)["rocm-meminfo-vram-plain-4gb"]
    driver = dict((name, text) for name, text, _ in ROCM)["rocm-driver-csv-rhel8"]
    result = parse_rocm_smi(product + memory + driver)
    assert result["format"] == "mixed"
    assert [(card["name"], card["vram_bytes"]) for card in result["cards"]] == [("Radeon R9 FURY X", 4278190080)]
    assert result["driver_version"] == "4.18.0-348.12.2.el8_5.x86_64"
    hardware = dict((name, text) for name, text, _ in MAC)["mac-hardware-imac15-tabs"]
    displays = dict((name, text) for name, text, _ in MAC)["mac-displays-imacpro-vega64"]
    both = parse_system_profiler(hardware + displays)
    assert both["format"] == "mixed" and both["hardware"]["memory_bytes"] == 32 * 2**30
    assert [gpu["name"] for gpu in both["gpus"]] == ["Radeon Pro Vega 64"]


def test_two_outputs_that_disagree_give_no_value():
    one = "GPU[0]\t\t: VRAM Total Memory (B): 4278190080\n"
    other = "GPU[0]\t\t: VRAM Total Memory (B): 8573157376\n"
    assert parse_rocm_smi(one + other)["cards"][0]["vram_bytes"] is None


def test_a_value_on_a_cut_last_line_is_not_read():
    assert parse_rocm_smi("GPU[0]\t\t: VRAM Total Memory (B): 42781")["format"] == "unrecognized"
    assert parse_system_profiler("Chipset Model: Apple M2\nType: GPU\n")["gpus"][0]["name"] == "Apple M2"
    assert parse_system_profiler("Type: GPU\nChipset Model: Apple M2 Ma")["gpus"] == []


def test_rocm_6_concise_table_with_names_under_rows():
    """ROCm 6.0's layout prints each name, cut to 20 characters, under its row."""
    text = (
        "=========================================== ROCm System Management Interface ===========\n"
        "===================================================== Concise Info ======================\n"
        "Device  [Model : Revision]    Temp        Power     Partitions      SCLK    MCLK    VRAM%  GPU%\n"
        "        Name (20 chars)       (Junction)  (Socket)  (Mem, Compute)\n"
        "=========================================================================================\n"
        "0       [0x74a1 : 0x00]       43.0\u00b0C      145.0W    NPS1, SPX       131Mhz  900Mhz  0%   0%\n"
        "        AMD Instinct MI300X\n"
        "=========================================================================================\n"
    )
    (card,) = parse_rocm_smi(text)["cards"]
    assert card["name"] == "AMD Instinct MI300X" and card["name_truncated"] is False and card["vram_bytes"] is None


def test_reports_from_tool_outputs_validate_against_the_published_schema(project_root):
    import jsonschema

    schema = json.loads((project_root / "docs" / "reference" / "report.schema.json").read_text(encoding="utf-8"))
    for name, text, _ in (ROCM[0], MAC[0], MAC[-1]):
        jsonschema.Draft202012Validator(schema).validate(run_paste(text, SITE)["report"])


def test_names_from_a_paste_lose_control_and_bidi_characters():
    rocm = run_paste("device,Card Series,VRAM Total Memory (B)\ncard0,Radeon\u202e RX\x1b[2J 7900,21458059264\n", SITE)
    mac = run_paste("Chipset Model: Radeon\u202e Pro\nVendor: AMD (0x1002)\nVRAM (Total): 8 GB\n", SITE)
    for report in (rocm["report"], mac["report"]):
        name = report["facts"]["gpus"][0]["name"]
        assert "\u202e" not in name and "\x1b" not in name
        assert report["facts"]["sanitized"]
