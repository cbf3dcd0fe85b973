"""axe-core finds no accessibility violation on the reader's pages, light and dark, desktop and phone.

axe-core comes from the npm lock (node_modules/axe-core) and runs in Debian's
Chromium. The check page is audited with a verdict on screen, so the findings,
their badges and the model table are audited too.
"""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

PAGES = [
    "",
    "requirements/",
    "installer/",
    "check/",
    "reference/cli/",
    "reference/report/",
    "releases/changes/",
    "releases/5.6.0/",
    "releases/6.13.8/",
]
SCHEMES = ["light", "dark"]
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
# WCAG 2.x A and AA plus axe's best practices (landmarks, headings, region).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def audit(browser, url, scheme, size):
    """The violations axe reports on one page: [(rule id, impact, [target, ...], summary)]."""
    # The page's policy allows no inline script: axe is injected past it, as a browser extension would be.
    context = browser.new_context(color_scheme=scheme, viewport={"width": size[0], "height": size[1]}, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(url)
        if page.query_selector("#browser-check"):
            page.hover("#browser-check .bc-run")  # intent: the runtime starts
            page.wait_for_selector('#browser-check[data-state="ready"]', timeout=60000)
            page.click("#browser-check .bc-run")
            page.wait_for_selector("#browser-check .bc-verdict", timeout=60000)
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        violations = page.evaluate(
            """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return result.violations.map((v) => [v.id, v.impact, v.nodes.map((n) => n.target.join(" ")),
                                                 v.nodes.length ? v.nodes[0].failureSummary : ""]);
        }""",
            TAGS,
        )
        return violations
    finally:
        context.close()


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.is_file():
        pytest.skip("node_modules/axe-core is not installed (make setup)")
    return AXE


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("page", PAGES)
def test_no_axe_violations(axe_source, chromium, site_url, page, scheme, width):
    violations = audit(chromium, site_url + page, scheme, WIDTHS[width])
    assert not violations, "\n".join(
        "%s (%s) on %d element(s), e.g. %s\n    %s" % (rule, impact, len(targets), ", ".join(targets[:3]), summary)
        for rule, impact, targets, summary in violations
    )
