"""The site's mkdocs-macros module: the pages are rendered from the rules file.

`define_env` loads the rules once (a bad rules file stops the build with one
readable message), builds the downloadable check.py so pages can show its
sha256, and registers the macros the pages use. `on_post_build` writes the
script and the self-hosted Pyodide runtime into the built site.
"""

import hashlib

import yaml
from mkdocs.exceptions import PluginError

from rules import RulesError, build_stopped_message, load_releases
from rules.loader import RULES_PATH

from . import browser_assets, pages, release_pages
from .script_bundle import build_script, write_script


def define_env(env):
    try:
        resolved = load_releases()
    except RulesError as err:
        # One block that names the file, line, key path and what was expected;
        # `from None` keeps Python's traceback out of the build output.
        raise PluginError(build_stopped_message(err)) from None
    rules = resolved["default"]

    site_url = env.conf["site_url"] or "/"
    script_text = build_script(rules, site_url, releases=resolved)
    env.check_script_text = script_text
    # The browser check's release chooser: what check.py --list-releases lists, the default first.
    env.release_choices = [
        {"version": header["version"], "name": header["name"], "default": index == 0}
        for index, header in enumerate(rules["releases"])
    ]
    env.variables["script_sha256"] = hashlib.sha256(script_text.encode("utf-8")).hexdigest()
    pages.register(env, rules)
    env.variables["release_choices"] = env.release_choices
    register_releases(env, resolved)


def register_releases(env, resolved):
    """The release pages' macros: release_page(version), release_changes(), release_links(), release_table()."""
    # The change entries, for their sources: the loader has validated the file they come from.
    listed = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))["releases"]
    entries = dict((str(release["version"]), release.get("changes") or []) for release in listed)
    releases = release_pages.Releases(
        resolved, entries, current_page=lambda: env.page.file.src_path if env.page else "index.md"
    )
    for name in ("release_page", "release_changes", "release_links", "release_table"):
        env.macro(getattr(releases, name), name)


def on_post_build(env):
    site_dir = env.conf["site_dir"]
    write_script(site_dir, env.check_script_text)
    browser_assets.add_browser_check(env.conf, site_dir, releases=env.release_choices)
