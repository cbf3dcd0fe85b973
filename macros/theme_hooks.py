"""MkDocs hooks: small fixes to the theme's HTML that CSS cannot make.

The search overlay is a `role="dialog"` without a name; screen readers
announce it as an unnamed dialog (axe-core: aria-dialog-name). The hook gives
it the same name as its input's label.
"""
import re

SEARCH_DIALOG = re.compile(r'(<div class="md-search" data-md-component="search" role="dialog")(>)')


def on_post_page(output, page, config):
    return SEARCH_DIALOG.sub(r'\1 aria-label="Search"\2', output, count=1)
