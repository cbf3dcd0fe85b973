"""Where the rules come from: embedded in the built check.py, or the checkout's rules file.

`load()` returns (rules, site_url). The built script carries both as data in
its `checks._embedded` module; in a checkout they are read from
rules/requirements.yaml (which needs the site's tools: PyYAML, jsonschema) and
mkdocs.yml.
"""
import json
import os
import re


def load():
    try:
        from . import _embedded
    except ImportError:
        return _load_from_checkout()
    return json.loads(_embedded.RULES_JSON), _embedded.SITE_URL


def _load_from_checkout():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        import sys
        if root not in sys.path:
            sys.path.insert(0, root)
        from macros.rules_file import load_rules
    except ImportError as exc:
        raise RuntimeError(
            "no embedded rules and the rules loader is unavailable (%s): "
            "run the built check.py, or `make setup` in a checkout" % exc
        )
    return load_rules(), _site_url(os.path.join(root, "mkdocs.yml"))


def _site_url(mkdocs_yml):
    with open(mkdocs_yml, encoding="utf-8") as handle:
        match = re.search(r"^site_url:\s*(\S+)\s*$", handle.read(), re.M)
    url = match.group(1).strip("'\"") if match else "/"
    return url if url.endswith("/") else url + "/"
