"""Each release after the default has its own requirements page, and What changed follows the rules.

The pages are generated from the rules file (macros/release_nav.py,
macros/release_pages.py): a release's page shows its header, its model
families and every one of its rules, with values from that release's rules;
the main pages stay the default release's. A change to one release in a copy
of the project moves its page and What changed, and leaves the main pages as
they were.
"""

import html
import re
from collections import Counter

import pytest

from rules import load_releases
from tools.site_build import build_site
from tools.verify.html_scan import Page, built_pages

INLINE_TAG = re.compile(r"</?(?:strong|em|a|code|span)\b[^>]*>")
TAG = re.compile(r"<[^>]+>")


@pytest.fixture(scope="module")
def releases():
    resolved = load_releases()
    return [
        (version, rules)
        for version, rules in resolved.items()
        if version not in ("default", resolved["default"]["release"]["version"])
    ]


def _text(fragment):
    return " ".join(html.unescape(TAG.sub(" ", INLINE_TAG.sub("", fragment))).split())


def _article(page_html):
    return page_html[page_html.index("<article") : page_html.index("</article>")]


def test_every_later_release_has_a_page_with_its_header(built_site, releases):
    assert [version for version, _ in releases] == ["5.6.0", "6.13.8"]
    for version, rules in releases:
        page = (built_site / "releases" / version / "index.html").read_text(encoding="utf-8")
        header = rules["release"]
        text = _text(_article(page))
        assert "%s requirements" % header["name"] in text
        assert 'href="https://github.com/invoke-ai/InvokeAI/tree/%s"' % header["tag"] in page
        assert 'href="%s"' % html.escape(header["install"]["url"]) in page and header["install"]["name"] in text
        for path in header["sources"]:
            assert 'href="https://github.com/invoke-ai/InvokeAI/blob/%s/%s"' % (header["tag"], path) in page
        # The banner names the release the main pages describe.
        assert "The site's main requirements page describes Invoke 4.2.4" in text


def test_a_release_page_holds_every_rule_with_a_unique_anchor(built_site, releases):
    for version, rules in releases:
        path = built_site / "releases" / version / "index.html"
        page = Page(path)
        for rule in rules["rules"]:
            assert rule["id"] in page.ids, "%s: no anchor #%s" % (version, rule["id"])
            assert 'href="#%s"' % rule["id"] in page.text
        ids = Counter(re.findall(r'\sid="([^"]+)"', page.text))
        assert [anchor for anchor, count in ids.items() if count > 1] == []
        # Every value on it is that release's.
        spans = page.rule_values()
        assert len(spans) > 40 and {span.release for span in spans} == {version}


def test_the_family_table_shows_the_new_columns(built_site):
    page = (built_site / "releases" / "5.6.0" / "index.html").read_text(encoding="utf-8")
    table = page[page.index('<div class="release-cards release-families">') :]
    table = table[: table.index("</table>")]
    headers = re.findall(r"<th>([^<]*)</th>", table)
    assert headers == [
        "Model family",
        "NVIDIA VRAM",
        "AMD VRAM (Linux only)",
        "Mac memory (Apple Silicon)",
        "RAM",
        "Disk for models",
    ]
    flux = [row for row in table.split("<tr>") if 'data-family="flux"' in row][0]
    assert 'data-family="flux" data-key="min_ram" data-release="5.6.0">32 GB<' in flux
    assert 'data-family="flux" data-key="disk_models" data-release="5.6.0">200 GB<' in flux
    assert 'data-key="min_nvidia.series" data-release="5.6.0">RTX 20xx</span> or newer' in flux
    assert 'data-label="AMD VRAM (Linux only)">same as NVIDIA</td>' in flux
    assert (
        'any (<span class="rule-value" data-rule="gpu.vram" data-key="backends.mps.recommended_memory" '
        'data-release="5.6.0">16 GB</span> recommended)'
    ) in flux
    newest = (built_site / "releases" / "6.13.8" / "index.html").read_text(encoding="utf-8")
    assert (
        'data-family="flux2-klein-9b" data-key="notes" data-release="6.13.8">FP8 works with 12GB+; Diffusers + encoder<'
        in newest
    )


def test_the_releases_are_in_the_navigation_and_on_the_requirements_page(built_site):
    pages = built_pages(built_site)
    for name in ("index.html", "requirements/index.html", "check/index.html"):
        links = [link.url for link in pages[name].links]
        assert any(url.endswith("releases/changes/") for url in links), name
        assert any(url.endswith("releases/5.6.0/") for url in links) and any(
            url.endswith("releases/6.13.8/") for url in links
        )
    main = _text(_article(pages["requirements/index.html"].text))
    assert "This page states the requirements of Invoke 4.2.4, the release this site describes." in main
    # The main page's values are the default release's: none carries a release.
    assert {span.release for span in pages["requirements/index.html"].rule_values()} == {None}


def test_what_changed_lists_the_changes_release_to_release_with_sources(built_site):
    page = (built_site / "releases" / "changes" / "index.html").read_text(encoding="utf-8")
    text = _text(_article(page))
    assert "Invoke 4.2.4 → Invoke 5.6.0" in text and "Invoke 5.6.0 → Invoke 6.13.8" in text
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [anchor for anchor, count in ids.items() if count > 1] == []
    assert {"changes-5.6.0", "changes-5.6.0-family", "changes-6.13.8-rule"} <= set(ids)
    for expected in (
        "Problematic NVIDIA GPUs: no longer listed",
        "System memory (RAM): no longer listed",
        "supported 3.10 or 3.11 → 3.11 or 3.12",
        "how to install the zip installer (install.sh or install.bat) → the Invoke Launcher",
        "FLUX: added (1024×1024",
    ):
        assert expected in text, expected
    sdxl = _change_block(page, "changes-5.6.0-family", "Stable Diffusion XL")
    assert "RAM requirement added, 16 GB" in sdxl and "Source: docs/installation/requirements.md" in sdxl
    assert ('href="https://github.com/invoke-ai/InvokeAI/blob/v5.6.0/docs/installation/requirements.md"') in page
    assert (
        'href="https://github.com/invoke-ai/InvokeAI/blob/v6.13.8/docs/src/content/docs/start-here/'
        'system-requirements.mdx"'
    ) in page


def _change_block(page_html, section, subject):
    """The text of one subject's entry under the What changed heading `section`."""
    start = page_html.index('id="%s"' % section)
    end = page_html.find("<h3", start + 1)
    part = page_html[start : end if end != -1 else None]
    blocks = [block for block in part.split('<li class="release-change">') if "<strong>%s</strong>" % subject in block]
    return _text(blocks[0]) if blocks else ""


@pytest.mark.slow
def test_a_change_to_one_release_moves_its_page_and_what_changed_not_the_main_pages(project_copy, built_site, tmp_path):
    # SDXL's RAM in 5.6.0 (which 6.13.8 keeps): 16 GB -> 20 GB.
    project_copy.replace(
        "rules/requirements.yaml",
        "          min_ram: 16 GB\n          disk_models: 100 GB\n",
        "          min_ram: 20 GB\n          disk_models: 100 GB\n",
    )
    site = tmp_path / "site"
    built = build_site(project_copy.root, site)
    assert built.returncode == 0, built.stdout + built.stderr

    sdxl_ram = 'data-family="sdxl" data-key="min_ram" data-release="%s">%s</span>'
    for version in ("5.6.0", "6.13.8"):
        page = (site / "releases" / version / "index.html").read_text(encoding="utf-8")
        assert sdxl_ram % (version, "20 GB") in page and sdxl_ram % (version, "16 GB") not in page
    changes = (site / "releases" / "changes" / "index.html").read_text(encoding="utf-8")
    assert "RAM requirement added, 20 GB" in _change_block(changes, "changes-5.6.0-family", "Stable Diffusion XL")
    before = (built_site / "releases" / "changes" / "index.html").read_text(encoding="utf-8")
    assert "RAM requirement added, 16 GB" in _change_block(before, "changes-5.6.0-family", "Stable Diffusion XL")
    # The main pages describe the default release: not a byte of their content moved. (check.py carries every
    # release, so the check page's runtime manifest and the checksum it prints, both of check.py, follow it.)
    for name in ("requirements", "installer", "check"):
        old = (built_site / name / "index.html").read_text(encoding="utf-8")
        new = (site / name / "index.html").read_text(encoding="utf-8")
        assert _without_check_py_identity(_article(new)) == _without_check_py_identity(_article(old)), _first_difference(
            _without_check_py_identity(_article(old)), _without_check_py_identity(_article(new)), name
        )


def _first_difference(old, new, name):
    at = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    return "%s: %r became %r" % (name, old[at - 80 : at + 120], new[at - 80 : at + 120])


def _without_check_py_identity(article_html):
    return re.sub(r"\b[0-9a-f]{64}\b", "<sha256>", re.sub(r' data-runtime="[^"]*"', "", article_html))
