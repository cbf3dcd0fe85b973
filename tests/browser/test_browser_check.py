"""The check page in headless Chromium: the button, injected GPUs, the paste box, and where requests go.

The tests share one warm check page (see conftest.py) and run in this order:
the request audit at the end covers everything the page did before it.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tools.bench_browser import CHECK_PAGE, wait_ready

pytestmark = pytest.mark.browser

# The rules nvidia-smi's output decides; the rest come from the machine the script runs on.
NVIDIA_SMI_RULES = ("gpu.dedicated", "gpu.vram", "gpu.problematic", "driver.nvidia")

WINDOWS = {
    "platform": "Windows",
    "architecture": "x86",
    "userAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36",
}
LINUX = {
    "platform": "Linux",
    "architecture": "x86",
    "userAgent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36",
}
MAC = {
    "platform": "macOS",
    "architecture": "arm",
    "userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/130.0 Safari/537.36",
}

INJECTED = [
    (
        "gtx-1660-ti-windows",
        dict(WINDOWS, renderer="ANGLE (NVIDIA, NVIDIA GeForce GTX 1660 Ti Direct3D11 vs_5_0 ps_5_0, D3D11)"),
        {
            "gpu.dedicated": "pass",
            "gpu.problematic": "warn",
            "gpu.vram": "unknown",
            "driver.nvidia": "unknown",
            "libs.opencv": "na",
            "ram.total": "unknown",
        },
    ),
    (
        "rtx-4090-linux",
        dict(LINUX, renderer="ANGLE (NVIDIA Corporation, NVIDIA GeForce RTX 4090/PCIe/SSE2, OpenGL 4.5.0)"),
        {"gpu.dedicated": "pass", "gpu.problematic": "pass", "driver.amd": "na", "python.version": "unknown"},
    ),
    (
        "amd-windows",
        dict(
            WINDOWS,
            renderer="ANGLE (AMD, AMD Radeon RX 7900 XTX Direct3D11 vs_5_0 ps_5_0, D3D11)",
            webgpu={"vendor": "amd", "architecture": "rdna-3", "device": "", "description": ""},
        ),
        {"gpu.dedicated": "pass", "driver.amd": "fail", "gpu.problematic": "na"},
    ),
    (
        "apple-m2-macos",
        dict(MAC, renderer="ANGLE (Apple, ANGLE Metal Renderer: Apple M2, Unspecified Version)"),
        {"gpu.dedicated": "pass", "gpu.vram": "unknown", "driver.amd": "na", "libs.opencv": "na"},
    ),
    (
        "swiftshader",
        dict(
            LINUX,
            renderer="ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)",
        ),
        {"gpu.dedicated": "unknown", "gpu.problematic": "unknown", "driver.amd": "unknown"},
    ),
    (
        "webgpu-only",
        dict(
            WINDOWS, renderer=None, webgpu={"vendor": "nvidia", "architecture": "ada", "device": "", "description": ""}
        ),
        {"gpu.dedicated": "pass", "gpu.problematic": "unknown"},
    ),
]


def statuses(findings):
    return dict((item["id"], item["status"]) for item in findings)


def run_script(built_site, *args):
    result = subprocess.run(
        [sys.executable, str(built_site / "check.py"), "--json"] + list(args),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_the_button_gives_findings_for_this_browser(check_page):
    findings = check_page.check_machine()
    assert [item["id"] for item in findings][:3] == ["gpu.dedicated", "gpu.vram", "gpu.problematic"]
    # Headless Chromium draws with SwiftShader: no hardware GPU, so no guess about one.
    found = statuses(findings)
    assert found["gpu.dedicated"] == "unknown" and found["python.version"] == "unknown"
    text = check_page.message()
    assert "Can't tell from a browser" in text
    assert "curl -fsSL %scheck.py | python3 -" % check_page.url in text


def go_home_and_back(check_page):
    """Leave the check page and come back through the site's instant navigation (no page load)."""
    page = check_page.page
    page.evaluate("() => { window.__samePage = true; }")
    page.click("a.md-header__button.md-logo")
    page.wait_for_function("() => !document.getElementById('browser-check')")
    page.evaluate("() => [...document.querySelectorAll('a')].find((a) => a.href.endsWith('/%s')).click()" % CHECK_PAGE)
    page.wait_for_selector("#browser-check .bc-run")
    assert page.evaluate("() => window.__samePage === true"), "the check page was loaded again, not navigated to"
    wait_ready(page)


@pytest.mark.parametrize("name, fake, expected", INJECTED, ids=[case[0] for case in INJECTED])
def test_injected_gpus_give_their_verdicts(check_page, name, fake, expected):
    check_page.page.evaluate("(fake) => { window.__fake = fake; }", dict({"webgpu": None}, **fake))
    go_home_and_back(check_page)
    found = statuses(check_page.check_machine())
    assert dict((key, found[key]) for key in expected) == expected


def assert_paste_matches_script(check_page, built_site, path, compare_findings=True):
    script = run_script(built_site, "--nvidia-smi", str(path))
    expected = [
        dict((key, item[key]) for key in ("id", "status", "detail"))
        for item in script["findings"]
        if item["id"] in NVIDIA_SMI_RULES
    ]
    shown = [item for item in check_page.paste(path.read_text(encoding="utf-8")) if item["id"] in NVIDIA_SMI_RULES]
    if compare_findings:
        assert shown == expected, path
        assert check_page.models() == [[model["name"], model["status"]] for model in script["models"]], path
    else:  # nvidia-smi is not installed: the script also reads this machine's PCI bus, the page cannot
        assert [item["id"] for item in shown] == [item["id"] for item in expected], path


def test_pasted_nvidia_smi_outputs_give_the_scripts_findings(check_page, real_outputs, built_site):
    manifest = json.loads((real_outputs / "MANIFEST.json").read_text(encoding="utf-8"))
    cases = [entry["file"] for entry in manifest if entry["kind"].startswith("nvsmi")]
    assert len(cases) >= 10
    for name in cases:
        assert_paste_matches_script(check_page, built_site, real_outputs / name)


def test_the_real_outputs_corpus_pasted_gives_the_scripts_findings(check_page, built_site):
    from tests.real_outputs import cases

    found = cases()
    assert len(found) >= 40
    for _, path, expected in found:
        assert_paste_matches_script(check_page, built_site, path, expected.get("failure") != "not-installed")


REPO_REAL_OUTPUTS = Path(__file__).resolve().parent.parent / "fixtures" / "real-outputs"


def test_pasted_rocm_smi_and_system_profiler_outputs_give_the_scripts_findings(check_page, built_site):
    cases = sorted(path for path in REPO_REAL_OUTPUTS.iterdir() if (path / "output.txt").is_file())
    assert len(cases) >= 21
    for folder in cases:
        kind = json.loads((folder / "expected.json").read_text(encoding="utf-8"))["kind"]
        path = folder / "output.txt"
        script = run_script(built_site, "--" + kind, str(path))
        expected = [dict((key, item[key]) for key in ("id", "status", "detail")) for item in script["findings"]]
        assert check_page.paste(path.read_text(encoding="utf-8")) == expected, folder.name
        assert check_page.models() == [[model["name"], model["status"]] for model in script["models"]], folder.name


def test_a_pasted_json_report_gives_the_same_findings(check_page, built_site):
    script = run_script(built_site)
    expected = [dict((key, item[key]) for key in ("id", "status", "detail")) for item in script["findings"]]
    assert check_page.paste(json.dumps(script, indent=2)) == expected


@pytest.mark.parametrize(
    "garbage", ["hello, world", "{\"schema\": \"something else\"}", "", "three lines\nof plain\nprose\n"]
)
def test_garbage_paste_says_what_was_expected(check_page, garbage):
    assert check_page.paste(garbage) == []
    message = check_page.message()
    assert "nvidia-smi" in message and "--json" in message
    assert check_page.page.get_attribute("#browser-check .bc-result", "data-verdict") == "refused"


def test_keyboard_alone_runs_the_check(check_page):
    page = check_page.page
    page.focus("#browser-check .bc-run")
    page.evaluate("""() => { window.__answered = new Promise((resolve) =>
        document.getElementById("browser-check").addEventListener("browser-check:answer", resolve, {once: true})); }""")
    page.keyboard.press("Enter")
    page.evaluate("() => window.__answered.then(() => true)")
    assert page.evaluate("() => document.activeElement.classList.contains('bc-result')")
    assert page.locator("#browser-check .bc-finding").count() > 0


def test_the_check_page_has_a_policy_that_keeps_it_on_its_origin(built_site, check_page):
    html = (built_site / CHECK_PAGE / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert match and html.index(match.group(0)) < html.index("<script")
    policy = dict((part.split()[0], part.split()[1:]) for part in match.group(1).split("; "))
    assert policy["connect-src"] == ["'self'"] and policy["default-src"] == ["'self'"]
    assert "'wasm-unsafe-eval'" in policy["script-src"]
    assert not any("Content Security Policy" in text for _, text in check_page.console), check_page.console


def test_no_request_leaves_the_site(check_page):
    """Runs last: every request the shared page made, the runtime's included, went to the site as a GET."""
    assert any(re.search(r"/assets/vendor/pyodide/[^/]+/pyodide.asm.wasm$", url) for _, url in check_page.requests)
    assert check_page.foreign_requests() == []


def test_other_pages_load_no_runtime(chromium, site_url):
    context = chromium.new_context()
    try:
        requested = []
        context.on("request", lambda request: requested.append(request.url))
        page = context.new_page()
        for path in ("", "requirements/"):
            page.goto(site_url + path, wait_until="networkidle")
        assert any(url.endswith("browser-check.js") for url in requested)
        assert not [url for url in requested if "/pyodide/" in url or url.endswith("/check.py")]
    finally:
        context.close()


GTX_1080_TI = (
    "name, memory.total [MiB], driver_version, compute_cap\nNVIDIA GeForce GTX 1080 Ti, 11264 MiB, 550.90.07, 6.1\n"
)


def choose_release(check_page, version):
    check_page.page.select_option("#bc-release", version)


def test_the_release_chooser_lists_the_releases_the_default_first(check_page, rules):
    options = check_page.page.evaluate(
        """() => [...document.querySelectorAll("#bc-release option")].map((o) => [o.value, o.textContent])"""
    )
    assert [value for value, _ in options] == [header["version"] for header in rules["releases"]]
    assert options[0][1] == rules["releases"][0]["name"] + " (this site's default)"
    assert check_page.page.input_value("#bc-release") == rules["releases"][0]["version"]
    label = check_page.page.evaluate("() => document.querySelector('label[for=bc-release]').textContent")
    assert label.startswith("Check against the requirements of")


def test_the_chosen_release_judges_the_paste_and_the_button(check_page, built_site, tmp_path):
    # A GTX 1080 Ti (compute capability 6.1) runs 4.2.4's torch build, not 6.13.8's (7.5 and newer).
    path = tmp_path / "gtx-1080-ti.csv"
    path.write_text(GTX_1080_TI, encoding="utf-8")
    try:
        shown = {}
        for version in ("4.2.4", "6.13.8"):
            choose_release(check_page, version)
            shown[version] = statuses(check_page.paste(GTX_1080_TI))["gpu.torch"]
            assert "Judged against the requirements of Invoke %s." % version in check_page.message()
            script = run_script(built_site, "--nvidia-smi", str(path), "--release", version)
            assert shown[version] == statuses(script["findings"])["gpu.torch"]
        assert shown["6.13.8"] == "fail" and shown["4.2.4"] != "fail"
        check_page.check_machine()
        assert "Judged against the requirements of Invoke 6.13.8." in check_page.message()
        go_home_and_back(check_page)  # the choice is kept across the site's pages
        assert check_page.page.input_value("#bc-release") == "6.13.8"
    finally:
        choose_release(check_page, "4.2.4")


def test_the_release_chooser_works_from_the_keyboard(check_page):
    page = check_page.page
    try:
        page.focus("#bc-release")
        page.keyboard.press("End")
        last = page.evaluate("() => [...document.querySelectorAll('#bc-release option')].pop().value")
        assert page.input_value("#bc-release") == last
        page.keyboard.press("Home")
        assert page.evaluate("() => document.getElementById('bc-release').selectedIndex") == 0
    finally:
        page.select_option("#bc-release", index=0)
