"""Where the rules come from, and the one way to look a rule up in them.

The rules state Invoke's requirements per release (rules/releases.py): the
first release is the site's default. `load(release)` returns (rules,
site_url) for one release; `releases()` lists them. The built script carries
every release's rules as data in its `checks._embedded` module, one JSON text
per release, and parses only the one it judges against; in a checkout they
are read by the rules package from rules/requirements.yaml (which needs the
site's tools: PyYAML, jsonschema) and mkdocs.yml.

A release is named by its version ("5.6.0"), its tag ("v5.6.0"), or a part of
its version of at least major.minor ("5.6") when exactly one release has it.
"""

from __future__ import annotations

import json
import os
import re

TYPE_CHECKING = False
if TYPE_CHECKING:  # the shapes, for type checkers only: nothing is imported at run time
    from typing import Any

    from .contracts import Rules


class UnknownRelease(ValueError):
    """A release the rules do not have; the message is one sentence naming those they have."""

    def __init__(self, asked: str, known: list[str], default: str, matches: list[str] | None = None) -> None:
        listed = [version + (" (the default)" if version == default else "") for version in known]
        if len(listed) > 1:
            listed[-2:] = [" and ".join(listed[-2:])]
        what = "it could be %s" % " or ".join(matches) if matches else "no such release"
        self.asked = asked
        ValueError.__init__(self, "%s; the checker knows the requirements of %s" % (what, ", ".join(listed)))


def load(release: str | None = None) -> tuple[Rules, str]:
    """(rules, site_url) of `release` (default: the first release, the site's); UnknownRelease if there is none."""
    embedded = _embedded_module()
    if embedded is None:
        return _load_from_checkout(release)
    version = match_release(release, list(embedded.RELEASES_JSON), embedded.DEFAULT_RELEASE)
    return json.loads(embedded.RELEASES_JSON[version]), embedded.SITE_URL


def load_all() -> list[Rules]:
    """Every release's rules, oldest first (the default first)."""
    embedded = _embedded_module()
    if embedded is None:
        every = _checkout_releases()
        return [every[header["version"]] for header in every["default"]["releases"]]
    return [json.loads(text) for text in embedded.RELEASES_JSON.values()]


def releases() -> list[dict[str, Any]]:
    """The releases' headers (version, tag, name, install, sources), oldest first, each with "default": bool."""
    embedded = _embedded_module()
    if embedded is None:
        headers = _load_from_checkout(None)[0]["releases"]
        default = headers[0]["version"]
    else:
        headers, default = json.loads(embedded.RELEASE_HEADERS_JSON), embedded.DEFAULT_RELEASE
    return [dict(header, default=header["version"] == default) for header in headers]


def match_release(asked: str | None, known: list[str], default: str) -> str:
    """The version `asked` names (None: the default): exact, "v" + version, or an unambiguous major.minor[...] prefix."""
    if asked is None:
        return default
    text = asked.strip()
    if text[:1] in ("v", "V") and text[1:2].isdigit():
        text = text[1:]
    if text in known:
        return text
    matches = []
    if re.match(r"^\d+\.\d+(\.\d+)*$", text):
        matches = [version for version in known if version.startswith(text + ".")]
    if len(matches) == 1:
        return matches[0]
    raise UnknownRelease(asked, known, default, matches if len(matches) > 1 else None)


def _embedded_module() -> Any:
    try:
        from . import _embedded  # type: ignore[attr-defined]  # made by the script build
    except ImportError:
        return None
    return _embedded


def _rules_package():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        import sys

        if root not in sys.path:
            sys.path.insert(0, root)
        import rules
    except ImportError as exc:
        raise RuntimeError(
            "no embedded rules and the rules loader is unavailable (%s): "
            "run the built check.py, or `make setup` in a checkout" % exc
        )
    return rules


def _load_from_checkout(release=None):
    package = _rules_package()
    site_url = site_url_of(str(package.MKDOCS_YML))
    if release is None:
        return package.load_rules(), site_url
    every = package.load_releases()
    known = [header["version"] for header in every["default"]["releases"]]
    return every[match_release(release, known, known[0])], site_url


def _checkout_releases():
    return _rules_package().load_releases()


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
