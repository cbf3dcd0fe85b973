"""Self-hosted vendor files: copied from node_modules into the built site.

Nothing a page loads comes from another host. Material renders ```mermaid
blocks with the global `mermaid` and fetches it from a CDN when it is missing;
docs/assets/diagrams.js stands in for it and loads the copy made here, only on
pages that have a diagram.
"""
import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = PROJECT_ROOT / "node_modules"

# (file under node_modules, where it goes in the site)
VENDOR_FILES = [
    ("mermaid/dist/mermaid.min.js", "assets/vendor/mermaid/mermaid.min.js"),
    ("mermaid/LICENSE", "assets/vendor/mermaid/LICENSE"),
]


def copy_vendor_files(site_dir, node_modules=NODE_MODULES):
    site_dir = Path(site_dir)
    for source, target in VENDOR_FILES:
        source_path = Path(node_modules) / source
        if not source_path.is_file():
            raise PluginError(
                "%s is missing: the site serves it itself instead of loading it from a CDN. "
                "Run `make setup` (npm ci) first." % source_path)
        target_path = site_dir / target
        target_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(str(source_path), str(target_path))
