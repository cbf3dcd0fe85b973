"""Every rule has its anchor; broken internal links and anchors fail the strict build."""

import pytest

from rules import load_releases
from tools.site_build import build_site
from tools.verify.html_scan import built_pages


def _page_html_path(page):
    return page[:-3] + "/index.html" if page != "index.md" else "index.html"


def test_every_rule_id_is_an_anchor_on_its_page(built_site, rules):
    pages = built_pages(built_site)
    for rule in rules["rules"]:
        page = _page_html_path(rule["page"])
        assert rule["id"] in pages[page].ids, "%s has no anchor #%s" % (page, rule["id"])
        assert 'href="#%s"' % rule["id"] in pages[page].text, "no permalink to #%s" % rule["id"]


def test_every_value_span_names_a_rule_and_a_key(built_site, rules):
    """A span on a release's page names a rule of that release (data-release); the others, one of the default's."""
    rule_ids = {None: {rule["id"] for rule in rules["rules"]}}
    for version, release_rules in load_releases().items():
        rule_ids[version] = {rule["id"] for rule in release_rules["rules"]}
    spans = [span for page in built_pages(built_site).values() for span in page.rule_values()]
    assert len(spans) > 30
    for span in spans:
        assert span.rule in rule_ids[span.release] and span.key and span.text.strip(), span


def test_the_home_page_links_every_requirement(built_site, rules):
    home = built_pages(built_site)["index.html"].text
    for rule in rules["rules"]:
        if rule.get("check") is False:
            continue  # documentation only: the home page's table lists requirements
        target = rule["page"][:-3] + "/" if rule["page"] != "index.md" else ""
        assert 'href="%s#%s"' % (target, rule["id"]) in home, rule["id"]


@pytest.mark.slow
def test_a_broken_link_or_anchor_fails_the_build(project_copy, tmp_path):
    with open(str(project_copy.root / "docs" / "check.md"), "a", encoding="utf-8") as page:
        page.write("\nSee [RAM](requirements.md#ram.totl) and [the guide](no-such-page.md).\n")

    result = build_site(project_copy.root, tmp_path / "site")

    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert (
        "contains a link 'requirements.md#ram.totl', but the doc 'requirements.md' does not contain an anchor '#ram.totl'"
        in output
    )
    assert "contains a link 'no-such-page.md', but the target is not found" in output
