"""The real published nvidia-smi outputs (tests/fixtures/real-outputs/): each read right, by the CLI and the paste box.

Before this reading (banner by meaning, failures by rules id, CSV without
CUDA as "can't tell", -q reports), 26 of these 45 outputs were read wrong.
"""

import json

import pytest

from checks.browser import facts_from_nvidia_smi, run_paste
from checks.cli import main
from checks.parsers.nvidia_smi import MIB, parse_nvidia_smi
from checks.parsers.recognize import recognize
from tests import real_outputs

CASES = real_outputs.cases()
NVIDIA_RULES = ("gpu.dedicated", "gpu.vram", "gpu.problematic", "driver.nvidia")
SITE = "https://example.test/"


def test_the_corpus_covers_every_kind_and_failure_class(rules):
    kinds = [expected["kind"] for _, _, expected in CASES]
    assert kinds.count("table") >= 20 and kinds.count("csv") >= 10 and len(CASES) >= 40
    failures = next(rule for rule in rules["rules"] if rule["id"] == "driver.nvidia")["values"]["failures"]
    assert set(item["id"] for item in failures) <= set(expected.get("failure") for _, _, expected in CASES)
    drivers = set(expected.get("driver_version") or "" for _, _, expected in CASES)
    for branch in ("33", "38", "44", "45", "47", "52", "53", "54", "55", "57", "58", "59", "61"):
        assert any(driver.startswith(branch) for driver in drivers), branch


@pytest.mark.parametrize("name, path, expected", CASES, ids=[case[0] for case in CASES])
def test_the_parser_reads_the_published_values(name, path, expected):
    result = parse_nvidia_smi(real_outputs.read(path))
    assert result["format"] == expected["kind"], result["reason"]
    if expected["kind"] == "failure":
        assert result["failure"] == expected["failure"]
        return
    assert [(gpu["name"], gpu["vram_bytes"], gpu["name_truncated"]) for gpu in result["gpus"]] == [
        (gpu["name"], gpu["vram_mib"] * MIB, gpu.get("truncated", False)) for gpu in expected["gpus"]
    ]
    assert (result["driver_version"], result["cuda_version"]) == (expected["driver_version"], expected["cuda_version"])


def cli_report(path, capsys):
    code = main(["--nvidia-smi", str(path), "--json", "--only", ",".join(NVIDIA_RULES)])
    out = capsys.readouterr().out
    assert code in (0, 1), out
    return json.loads(out)


@pytest.mark.parametrize("name, path, expected", CASES, ids=[case[0] for case in CASES])
def test_the_cli_and_the_paste_box_read_it_alike_and_right(name, path, expected, capsys):
    text = real_outputs.read(path)
    assert recognize(text) == "nvidia-smi"
    report = cli_report(path, capsys)
    assert real_outputs.nvidia_problems(report["facts"], expected) == []
    assert real_outputs.finding_problems(report["findings"], expected) == []
    pasted = run_paste(text, SITE)["report"]
    assert real_outputs.nvidia_problems(facts_from_nvidia_smi(text), expected) == []
    assert real_outputs.finding_problems(pasted["findings"], expected) == []
    for key in ("status", "failure", "message"):
        assert report["facts"]["nvidia_smi"][key] == pasted["facts"]["nvidia_smi"][key], key
    if expected.get("failure") == "not-installed":
        return  # no driver: the script reads this machine's PCI bus, the page cannot
    shown = [
        dict((key, item[key]) for key in ("id", "status", "detail"))
        for item in pasted["findings"]
        if item["id"] in NVIDIA_RULES
    ]
    assert shown == [
        dict((key, item[key]) for key in ("id", "status", "detail"))
        for item in report["findings"]
        if item["id"] in NVIDIA_RULES
    ]


def test_a_query_csv_says_the_driver_and_that_cuda_is_not_in_it(capsys):
    path = real_outputs.REAL_OUTPUTS / "exporter-linux-h200-590.48.01" / "nvidia-smi-query.csv"
    driver = next(item for item in cli_report(path, capsys)["findings"] if item["id"] == "driver.nvidia")
    assert driver["status"] == "unknown"
    assert driver["detail"].startswith("Driver 590.48.01; the CUDA version is not in this output")
    assert "nvidia-smi" in driver["fix"]


def test_a_cut_name_is_decided_when_no_problematic_series_can_start_that_way(capsys):
    path = real_outputs.REAL_OUTPUTS / "exporter-linux-geforce-rtx-2080-super-610.57.04" / "nvidia-smi.txt"
    problematic = next(item for item in cli_report(path, capsys)["findings"] if item["id"] == "gpu.problematic")
    assert problematic["status"] == "pass"  # "NVIDIA GeForce RTX 2080 ..." is no GTX 10xx/16xx, whatever follows
    path = real_outputs.REAL_OUTPUTS / "laptop-geforce-truncated-470" / "nvidia-smi.txt"
    problematic = next(item for item in cli_report(path, capsys)["findings"] if item["id"] == "gpu.problematic")
    assert problematic["status"] == "unknown"  # "NVIDIA GeForce ..." could be a GTX 1650


def test_vram_is_shown_as_the_card_is_sold_with_the_reported_figure(capsys):
    path = real_outputs.REAL_OUTPUTS / "two-a10-525-ollama" / "nvidia-smi.txt"
    vram = next(item for item in cli_report(path, capsys)["findings"] if item["id"] == "gpu.vram")
    assert vram["detail"].startswith("NVIDIA A10, a 24 GB card: 23028 MiB;")
