"""MkDocs hooks: a page per release, and the releases in the navigation, made from the rules file.

Each release after the first (the site's default, which the main pages
describe) gets `releases/<version>.md`, generated here with one line that
calls the `release_page` macro, so adding a release to the rules file adds its
page and its entry under "Releases" in the navigation, with no page to write.
The macros render the page (macros/release_pages.py).

The hook reads only the release list (version and name). It never stops the
build itself: a rules file it cannot read is left to the macros, which stop
the build with one message naming the file, line and key.
"""

import sys
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from checks.site_links import release_page_path  # noqa: E402

RULES_PATH = PROJECT_ROOT / "rules" / "requirements.yaml"
NAV_SECTION = "Releases"


def later_releases(path=RULES_PATH):
    """[(version, name)] of every release but the first, or [] when the file cannot be read as releases."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        listed = data["releases"]
        found = [(str(release["version"]), str(release.get("name") or release["version"])) for release in listed[1:]]
    except Exception:  # a broken rules file: the macros report it
        return []
    return found


def on_config(config):
    entries = [{name: release_page_path(version)} for version, name in later_releases()]
    nav = config.get("nav")
    if nav is None or not entries:
        return config  # no nav in mkdocs.yml: MkDocs lists every page itself
    for item in nav:
        if isinstance(item, dict) and NAV_SECTION in item:
            item[NAV_SECTION] = list(item[NAV_SECTION] or []) + entries
            break
    else:
        nav.append({NAV_SECTION: entries})
    return config


def on_files(files, config):
    from mkdocs.structure.files import File

    for version, _name in later_releases():
        files.append(File.generated(config, release_page_path(version), content='{{ release_page("%s") }}\n' % version))
    return files
