"""One source: a changed rules file changes every page that shows the value."""

import pytest

from tools.site_build import build_site
from tools.verify.html_scan import built_pages

RULES = "rules/requirements.yaml"
NEW_FAMILY = "  - id: sd-3\n    name: SD 3\n    min_memory:\n      cuda: 10 GB\n      rocm: 12 GB\n      mps: 32 GB\n"
# A family of the first release is in the later ones too: 5.6.0 states its AMD and Mac memory elsewhere.
IN_5_6 = (
    "      - family: sd-3\n        source: 'the same change as every family of the release'\n"
    "        set: {min_memory: {rocm: null, mps: null}}\n"
)


def _ram_minimums(pages):
    return {
        name: [span.text for span in page.rule_values() if span.rule == "ram.total" and span.key == "min"]
        for name, page in pages.items()
    }


@pytest.mark.slow
def test_changed_rules_change_every_page(project_copy, built_site, tmp_path):
    before = _ram_minimums(built_pages(built_site))
    pages_with_ram = sorted(page for page, values in before.items() if values)
    assert pages_with_ram and all(values == ["12 GB"] * len(values) for values in before.values())

    project_copy.replace(RULES, "      min: 12 GB\n", "      min: 16 GB\n")
    project_copy.replace(RULES, "\nrules:\n", "\n" + NEW_FAMILY + "\nrules:\n")
    project_copy.replace(
        RULES, "    changes:\n      - family: sd-1.5\n", "    changes:\n" + IN_5_6 + "      - family: sd-1.5\n"
    )
    result = build_site(project_copy.root, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr

    pages = built_pages(tmp_path / "site")
    after = _ram_minimums(pages)
    for page in pages_with_ram:
        assert after[page] == ["16 GB"] * len(before[page]), page
    assert sorted(page for page, values in after.items() if values) == pages_with_ram

    with_tables = [name for name, page in pages.items() if 'class="vram-table"' in page.text]
    assert len(with_tables) >= 2, "the home page and the requirements page each have a VRAM table"
    for name in with_tables:
        spans = [(span.family, span.key, span.text) for span in pages[name].rule_values()]
        assert ("sd-3", "name", "SD 3") in spans, name
        assert ("sd-3", "min_memory.cuda", "10 GB") in spans, name
        assert ("sd-3", "min_memory.mps", "32 GB") in spans, name
    # The later releases have it too, on their own pages.
    for version in ("5.6.0", "6.13.8"):
        spans = [(span.family, span.key, span.text) for span in pages["releases/%s/index.html" % version].rule_values()]
        assert ("sd-3", "min_memory.cuda", "10 GB") in spans and ("sd-3", "min_memory.mps", "32 GB") not in spans
