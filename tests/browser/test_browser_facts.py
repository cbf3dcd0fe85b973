"""The browser check's Python side, under CPython: facts from what a page gathers, paste mode, HTML."""

import json

import pytest

from checks.browser import CANT_TELL, facts_from_browser, run_browser_check, run_paste
from checks.render.html import render_error, render_report
from checks.site_links import script_command

SITE = "http://127.0.0.1:8000/"
WINDOWS = {
    "userAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36",
    "uaData": {"platform": "Windows", "architecture": "x86", "bitness": "64"},
}
LINUX = {
    "userAgent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36",
    "uaData": {"platform": "Linux", "architecture": "x86", "bitness": "64"},
}
MAC = {"userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15"}


def info(base, renderer=None, webgpu=None, **extra):
    result = dict(base, webgl={"renderer": renderer, "vendor": "WebKit"} if renderer else None, webgpu=webgpu)
    result.update(extra)
    return result


def statuses(result):
    return dict((item["id"], item["status"]) for item in result["report"]["findings"])


def test_browser_facts_know_os_architecture_and_gpu_but_not_vram():
    facts = facts_from_browser(info(WINDOWS, "ANGLE (NVIDIA, NVIDIA GeForce RTX 4090 Direct3D11 vs_5_0 ps_5_0, D3D11)"))
    assert facts["origin"] == "browser"
    assert facts["os"]["system"] == "Windows" and facts["os"]["machine"] == "AMD64"
    assert [(gpu["vendor"], gpu["name"], gpu["vram_bytes"]) for gpu in facts["gpus"]] == [
        ("nvidia", "NVIDIA GeForce RTX 4090", None)
    ]
    for path in ("gpus.vram_bytes", "ram.total_bytes", "python.version", "disk.free_bytes", "nvidia_smi.status"):
        assert facts["unknown"][path].startswith(CANT_TELL)
    assert facts["ram"]["total_bytes"] is None


def test_device_memory_is_shown_but_never_used_as_ram():
    facts = facts_from_browser(info(LINUX, deviceMemory=8))
    assert facts["ram"]["total_bytes"] is None
    assert "8 GB" in facts["unknown"]["ram.total_bytes"]
    assert facts["browser"]["device_memory_gb"] == 8


def test_apple_chip_in_chrome_means_apple_silicon():
    facts = facts_from_browser(info(MAC, "ANGLE (Apple, ANGLE Metal Renderer: Apple M2, Unspecified Version)"))
    assert facts["os"]["system"] == "Darwin"
    assert facts["os"]["apple_silicon"] is True and facts["os"]["machine"] == "arm64"


def test_safari_apple_gpu_is_not_taken_for_apple_silicon():
    facts = facts_from_browser(info(MAC, "Apple GPU"))
    assert facts["gpus"] == [] and facts["os"]["apple_silicon"] is None
    assert "Apple GPU" in facts["unknown"]["gpus"]


@pytest.mark.parametrize(
    "renderer, expected",
    [
        (
            "ANGLE (NVIDIA, NVIDIA GeForce GTX 1660 Ti Direct3D11 vs_5_0 ps_5_0, D3D11)",
            {"gpu.dedicated": "pass", "gpu.problematic": "warn", "gpu.vram": "unknown", "driver.nvidia": "unknown"},
        ),
        (
            "ANGLE (NVIDIA Corporation, NVIDIA GeForce RTX 4090/PCIe/SSE2, OpenGL 4.5.0)",
            {"gpu.dedicated": "pass", "gpu.problematic": "pass", "ram.total": "unknown"},
        ),
        (
            "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)",
            {"gpu.dedicated": "unknown", "gpu.problematic": "unknown", "driver.amd": "unknown"},
        ),
    ],
)
def test_browser_verdicts(renderer, expected):
    found = statuses(run_browser_check(json.dumps(info(WINDOWS, renderer)), SITE))
    assert dict((key, found[key]) for key in expected) == expected


def test_amd_on_windows_fails_the_rocm_rule_and_on_linux_cannot_tell():
    amd = "ANGLE (AMD, AMD Radeon RX 7900 XTX Direct3D11 vs_5_0 ps_5_0, D3D11)"
    assert statuses(run_browser_check(info(WINDOWS, amd), SITE))["driver.amd"] == "fail"
    assert statuses(run_browser_check(info(LINUX, amd), SITE))["driver.amd"] == "unknown"


def test_a_hidden_model_cannot_clear_the_problematic_rule():
    result = run_browser_check(info(WINDOWS, "NVIDIA GeForce GTX 980, or similar"), SITE)
    problematic = [item for item in result["report"]["findings"] if item["id"] == "gpu.problematic"][0]
    # No command on the finding: the report ends with the full check's command, once.
    assert problematic["status"] == "unknown" and problematic["fix"] is None
    assert result["html"].count(script_command(SITE, "Windows")) == 1
    assert result["report"]["summary"]["unknown"] == sum(
        1 for item in result["report"]["findings"] if item["status"] == "unknown"
    )


def test_what_a_browser_cannot_know_is_unknown_and_the_report_ends_with_the_script_command():
    result = run_browser_check(
        info(LINUX, "ANGLE (NVIDIA Corporation, NVIDIA GeForce RTX 4090/PCIe/SSE2, OpenGL 4.5.0)"), SITE
    )
    unknown = [item for item in result["report"]["findings"] if item["status"] == "unknown"]
    assert {"python.version", "disk.free", "ram.total", "gpu.vram"} <= set(item["id"] for item in unknown)
    assert all(item["fix"] is None for item in unknown)
    assert result["html"].count(script_command(SITE)) == 1
    assert result["report"]["summary"]["verdict"] == "incomplete"


@pytest.mark.parametrize("bad", [None, "", "not json", "[]", json.dumps({"webgl": 5, "uaData": "x"})])
def test_browser_check_survives_odd_input(bad):
    result = run_browser_check(bad, SITE)
    assert result["report"]["facts"]["origin"] == "browser"


@pytest.mark.parametrize("text", ["", "   ", "hello there", "{not json", json.dumps({"schema": "other"}), "[1, 2]"])
def test_garbage_paste_gives_one_sentence_naming_what_was_expected(text):
    result = run_paste(text, SITE)
    assert result["report"] is None
    assert "nvidia-smi" in result["error"] and "--json" in result["error"]
    assert result["error"].count(". ") == 0 and result["error"].endswith(".")
    assert 'role="alert"' in result["html"]


def test_paste_of_a_json_report_keeps_its_facts():
    machine = run_browser_check(
        info(WINDOWS, "ANGLE (NVIDIA, NVIDIA GeForce GTX 1660 Ti Direct3D11 vs_5_0 ps_5_0, D3D11)"), SITE
    )
    again = run_paste(json.dumps(machine["report"]), SITE)
    assert again["report"]["findings"] == machine["report"]["findings"]


def test_html_escapes_everything_and_spells_out_status():
    report = {
        "summary": {"pass": 0, "warn": 0, "fail": 1, "unknown": 0, "error": 0, "verdict": "not-ready"},
        "findings": [
            {
                "id": "x",
                "status": "fail",
                "title": "<b>t</b>",
                "detail": "<script>alert(1)</script>",
                "fix": "run <this>",
                "docs": "https://site/\"onmouseover=\"x",
            }
        ],
        "models": [{"id": "m", "name": "<i>M</i>", "status": "warn", "reason": "a & b"}],
    }
    html = render_report(report)
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;" in html and "a &amp; b" in html and "&quot;onmouseover" in html
    assert "Fail" in html and "Warning" in html and "Not ready" in html
    assert "&lt;x&gt;" in render_error("<x>")


@pytest.mark.parametrize("depth", [65, 3000, 100000])
def test_deeply_nested_json_is_refused_before_it_is_parsed(depth):
    text = '{"schema": "invoke-check-facts/1", "gpus": ' + "[" * depth + "]" * depth + "}"
    result = run_paste(text, SITE)
    assert result["report"] is None and "nested more than 64 deep" in result["error"]
    assert (
        run_browser_check('{"webgl": ' + "[" * depth + "]" * depth + "}", SITE)["report"]["facts"]["origin"]
        == "browser"
    )


def test_brackets_inside_strings_are_not_nesting():
    machine = run_browser_check(
        info(
            WINDOWS,
            "ANGLE (NVIDIA, NVIDIA GeForce GTX 1660 Ti Direct3D11 vs_5_0 ps_5_0, D3D11)",
            userAgent=WINDOWS["userAgent"] + " [[[[{{{{" * 40 + '\\" ]]]',
        ),
        SITE,
    )
    again = run_paste(json.dumps(machine["report"]), SITE)
    assert again["error"] is None and again["report"]["findings"] == machine["report"]["findings"]


@pytest.mark.parametrize("section, value", [("browser", ["x"]), ("browser", "x"), ("gpus", [["x"]]), ("os", [1])])
def test_saved_facts_of_the_wrong_type_are_refused_in_a_sentence(section, value):
    from checks.facts import new_facts

    facts = new_facts("browser")
    facts[section] = value
    result = run_paste(json.dumps(facts), SITE)
    assert "Traceback" not in result["html"] and 'File "' not in result["html"]
    assert result["report"] is None or result["report"]["facts"]["origin"] == "browser"
