"""The browser check speaks the reader's OS: its commands, its name, one call to action."""

import re

from checks.browser import run_browser_check

SITE = "https://example.test/"
WINDOWS = {
    "userAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
    "uaData": {"platform": "Windows"},
    "webgl": {
        "renderer": "ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)",
        "vendor": "Google Inc. (NVIDIA)",
    },
}
MAC = {
    "userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)",
    "uaData": {"platform": "macOS"},
    "webgl": {
        "renderer": "ANGLE (Apple, ANGLE Metal Renderer: Apple M2, Unspecified Version)",
        "vendor": "Google Inc. (Apple)",
    },
}


def test_windows_gets_the_powershell_command_once_and_no_finding_repeats_it():
    result = run_browser_check(WINDOWS, SITE)
    html = result["html"]
    assert html.count("irm %scheck.py | py -3 -" % SITE) == 1
    assert "curl" not in html and "python3 -" not in html
    assert "in PowerShell" in html
    assert not [item["id"] for item in result["report"]["findings"] if item["fix"] and "check.py" in item["fix"]]
    assert not re.search(r"run the script", html, re.I)


def test_a_mac_reads_macos_and_rules_that_do_not_apply_read_not_applicable():
    result = run_browser_check(MAC, SITE)
    findings = dict((item["id"], item) for item in result["report"]["findings"])
    assert findings["libs.opencv"]["status"] == "na"
    assert findings["libs.opencv"]["detail"] == "Not needed on macOS."
    assert "Darwin" not in result["html"]
    assert "Not applicable" in result["html"] and "curl -fsSL %scheck.py | python3 -" % SITE in result["html"]


def test_the_verdict_says_which_findings_it_could_judge():
    result = run_browser_check(WINDOWS, SITE)
    judged = [item["title"] for item in result["report"]["findings"] if item["status"] in ("pass", "warn", "fail")]
    assert judged
    line = re.search(r'<p class="bc-judged">Judged here: (.*?)\.</p>', result["html"]).group(1)
    assert all(title in line for title in judged)
