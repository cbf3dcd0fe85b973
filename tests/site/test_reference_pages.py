"""The reference pages are whole: every report field has a meaning, and the CLI help fits its column."""

import re

from macros.reference import HELP_WIDTH, cli_help
from tools.verify.html_scan import built_pages


def html_pages(site_dir):
    return dict((name, page.text) for name, page in built_pages(site_dir).items())


def test_every_field_of_the_report_has_a_meaning(built_site):
    page = html_pages(built_site)["reference/report/index.html"]
    table = re.search(r'<div class="report-fields">(.*?)</div>', page, re.S).group(1)
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*</tr>", table, re.S)
    assert len(rows) > 20
    empty = [re.sub(r"<[^>]+>", "", field) for field, _, meaning in rows if not meaning.strip()]
    assert not empty, "fields without a meaning: %s" % ", ".join(empty)
    # Paths break after a dot only.
    assert all("<wbr>" in field for field, _, _ in rows if "." in re.sub(r"<[^>]+>", "", field))


def test_the_cli_help_is_no_wider_than_the_column():
    assert max(len(line) for line in cli_help().splitlines()) <= HELP_WIDTH
