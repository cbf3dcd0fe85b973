"""Where the rules come from, and the one way to look a rule up in them.

`load()` returns (rules, site_url). The built script carries both as data in
its `checks._embedded` module; in a checkout they are read by the rules
package from rules/requirements.yaml (which needs the site's tools: PyYAML,
jsonschema) and mkdocs.yml.
"""

from __future__ import annotations

import json
import os
import re

TYPE_CHECKING = False
if TYPE_CHECKING:  # the shapes, for type checkers only: nothing is imported at run time
    from typing import Any

    from .contracts import Rules


def load() -> tuple[Rules, str]:
    try:
        from . import _embedded  # type: ignore[attr-defined]  # made by the script build
    except ImportError:
        return _load_from_checkout()
    return json.loads(_embedded.RULES_JSON), _embedded.SITE_URL


def _load_from_checkout():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        import sys

        if root not in sys.path:
            sys.path.insert(0, root)
        from rules import MKDOCS_YML, load_rules
    except ImportError as exc:
        raise RuntimeError(
            "no embedded rules and the rules loader is unavailable (%s): "
            "run the built check.py, or `make setup` in a checkout" % exc
        )
    return load_rules(), site_url_of(str(MKDOCS_YML))


def site_url_of(mkdocs_yml: str) -> str:
    """The site_url of an mkdocs.yml, ending in a slash (\"/\" when it has none)."""
    with open(mkdocs_yml, encoding="utf-8") as handle:
        match = re.search(r"^site_url:\s*(\S+)\s*$", handle.read(), re.M)
    url = match.group(1).strip("'\"") if match else "/"
    return url if url.endswith("/") else url + "/"


def rules_by_id(rules: Rules) -> dict[str, dict[str, Any]]:
    return dict((rule["id"], rule) for rule in rules["rules"])


def families_by_id(rules: Rules) -> dict[str, dict[str, Any]]:
    return dict((family["id"], family) for family in rules["model_families"])


def rule_values(rules: Rules | None, rule_id: str) -> dict[str, Any]:
    """The values of the rule `rule_id`, or {} when the rules have no such rule."""
    for rule in (rules or {}).get("rules", []):
        if rule.get("id") == rule_id:
            return rule.get("values", {})
    return {}
