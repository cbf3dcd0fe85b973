"""The site's mkdocs-macros module: the pages are rendered from the rules file.

`define_env` loads the rules once (a bad rules file stops the build with one
readable message), builds the downloadable check.py so pages can show its
sha256, and registers the macros the pages use. `on_post_build` writes the
script and the self-hosted Pyodide runtime into the built site.
"""

import hashlib

from mkdocs.exceptions import PluginError

from rules import RulesError, build_stopped_message, load_rules

from . import browser_assets, pages
from .script_bundle import build_script, write_script


def define_env(env):
    try:
        rules = load_rules()
    except RulesError as err:
        # One block that names the file, line, key path and what was expected;
        # `from None` keeps Python's traceback out of the build output.
        raise PluginError(build_stopped_message(err)) from None

    site_url = env.conf["site_url"] or "/"
    script_text = build_script(rules, site_url)
    env.check_script_text = script_text
    env.variables["script_sha256"] = hashlib.sha256(script_text.encode("utf-8")).hexdigest()
    pages.register(env, rules)


def on_post_build(env):
    site_dir = env.conf["site_dir"]
    write_script(site_dir, env.check_script_text)
    browser_assets.add_browser_check(env.conf, site_dir)
