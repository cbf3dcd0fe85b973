"""MkDocs hooks: what the theme's HTML and the Markdown set-up need beyond mkdocs.yml.

- ```mermaid blocks are drawn at build time into inline SVG (macros/diagrams.py):
  no page loads a diagram library, and the theme never fetches one from a CDN
  (it does so only for elements with the `mermaid` class, which no page has).
- The search overlay is a `role="dialog"` without a name; screen readers
  announce an unnamed dialog (axe-core: aria-dialog-name). It gets the name
  its input carries.
"""

import re
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from macros import diagrams  # noqa: E402

SEARCH_DIALOG = re.compile(r'(<div class="md-search" data-md-component="search" role="dialog")(>)')


def on_config(config):
    fences = config["mdx_configs"].setdefault("pymdownx.superfences", {}).setdefault("custom_fences", [])
    fences[:] = [fence for fence in fences if fence.get("name") != "mermaid"]
    fences.append({"name": "mermaid", "class": "diagram", "format": diagrams.fence_format})
    return config


def on_post_page(output, page, config):
    return SEARCH_DIALOG.sub(r'\1 aria-label="Search"\2', output, count=1)
