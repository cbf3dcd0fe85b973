"""What the reader sees at 1280 px: the CLI help fits its column, field names break only after a dot,
content tabs open on the reader's OS, and Ctrl+Enter checks a paste."""

import pytest

from tests.browser.conftest import FAKE_BROWSER

DESKTOP = {"width": 1280, "height": 900}

SEGMENTS_BROKEN = """() => {
    const broken = [];
    for (const code of document.querySelectorAll(".report-fields code.field-path")) {
        for (const node of code.childNodes) {
            if (node.nodeType !== Node.TEXT_NODE || !node.textContent) continue;
            const range = document.createRange();
            range.selectNodeContents(node);
            const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
            if (lines.size > 1) broken.push(code.textContent);
        }
    }
    return broken;
}"""


@pytest.fixture
def desktop(chromium):
    context = chromium.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


def test_the_cli_help_fits_the_content_column(desktop, site_url):
    desktop.goto(site_url + "reference/cli/")
    width = desktop.evaluate("""() => { const pre = document.querySelector("article pre code");
        return [pre.scrollWidth, pre.clientWidth]; }""")
    assert width[0] <= width[1], "the --help block scrolls sideways at 1280 px: %r" % width


def test_report_field_names_break_only_after_a_dot(desktop, site_url):
    desktop.goto(site_url + "reference/report/")
    assert desktop.evaluate("() => document.querySelectorAll('.report-fields code.field-path').length") > 20
    assert desktop.evaluate(SEGMENTS_BROKEN) == []


@pytest.mark.parametrize(
    "platform, user_agent, expected",
    [
        ("Windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "Windows"),
        ("macOS", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)", "macOS"),
        ("Linux", "Mozilla/5.0 (X11; Linux x86_64)", "Linux"),
    ],
)
def test_content_tabs_open_on_the_readers_os(chromium, site_url, platform, user_agent, expected):
    context = chromium.new_context(viewport=DESKTOP)
    context.add_init_script(FAKE_BROWSER)
    context.add_init_script("window.__fake = {platform: %r, userAgent: %r};" % (platform, user_agent))
    try:
        page = context.new_page()
        for path in ("installer/", "requirements/"):
            page.goto(site_url + path)
            page.wait_for_timeout(100)
            opened = page.evaluate("""() => [...document.querySelectorAll(".tabbed-set")].map((set) => {
                const input = set.querySelector(":scope > input:checked");
                const label = input && set.querySelector(`label[for="${input.id}"]`);
                return label ? label.textContent.trim() : null; })
                .filter((label) => ["Linux", "macOS", "Windows"].includes(label))""")
            assert opened and all(label == expected for label in opened), (path, opened)
        # The reader's own choice wins over the guess, on every page (Material's linked tabs).
        page.goto(site_url + "installer/")
        other = "Linux" if expected != "Linux" else "Windows"
        os_sets = page.locator(".tabbed-set", has=page.locator(".tabbed-labels > label", has_text="Linux"))
        os_sets.first.locator(".tabbed-labels > label", has_text=other).first.click()
        page.goto(site_url + "requirements/")
        page.wait_for_timeout(100)
        chosen = page.evaluate("""() => { const set = [...document.querySelectorAll(".tabbed-set")].find((one) =>
                [...one.querySelectorAll(".tabbed-labels > label")].some((label) => label.textContent.trim() === "Linux"));
            const input = set.querySelector(":scope > input:checked");
            return set.querySelector(`label[for="${input.id}"]`).textContent.trim(); }""")
        assert chosen == other
    finally:
        context.close()


def test_ctrl_enter_checks_a_paste(check_page):
    page = check_page.page
    page.fill("#bc-paste-text", "hello, this is no tool output")
    page.focus("#bc-paste-text")
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        """() => document.querySelector("#browser-check .bc-result")
        .textContent.includes("Expected the JSON that check.py --json prints")""",
        timeout=30000,
    )
