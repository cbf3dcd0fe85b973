"""Where the rules come from, and the one way to look a rule up in them.

`load(release)` returns (rules, site_url) of one release of the rules (None:
the default, the first); `releases()` lists them. The built script carries each
release as data in its `checks._embedded` module and parses only the one asked
for; a checkout reads rules/requirements.yaml with the rules package (which
needs the site's tools: PyYAML, jsonschema) and mkdocs.yml.
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
    """No such release: one sentence that names those there are."""


def load(release: str | None = None) -> tuple[Rules, str]:
    embedded = _embedded()
    if embedded is None:
        return _from_checkout(release)
    headers = json.loads(embedded.RELEASE_HEADERS_JSON)
    version = match_release(release, [header["version"] for header in headers])
    rules = json.loads(embedded.RELEASES_JSON[version])
    rules["release"] = next(header for header in headers if header["version"] == version)
    rules["releases"] = headers
    return rules, embedded.SITE_URL


def releases() -> list[dict[str, Any]]:
    """The releases' headers (version, name, install...), oldest first; "default" marks the first."""
    embedded = _embedded()
    headers = json.loads(embedded.RELEASE_HEADERS_JSON) if embedded else _from_checkout(None)[0]["releases"]
    return [dict(header, default=not index) for index, header in enumerate(headers)]


def match_release(asked: str | None, known: list[str]) -> str:
    """The release `asked` names: its version, its tag (v + version), or a MAJOR.MINOR only one release has."""
    if asked is None:
        return known[0]
    text = re.sub(r"^[vV](?=\d)", "", asked.strip())
    matches = [v for v in known if v == text or re.match(r"\d+\.\d+", text) and v.startswith(text + ".")]
    if len(matches) == 1:
        return matches[0]
    listed = [v + (" (the default)" if not i else "") for i, v in enumerate(known)]
    raise UnknownRelease(
        "%s; the checker knows the requirements of %s"
        % ("it could be " + " or ".join(matches) if matches else "no such release", ", ".join(listed))
    )


def _embedded() -> Any:
    try:
        from . import _embedded  # type: ignore[attr-defined]  # made by the script build
    except ImportError:
        return None
    return _embedded


def _from_checkout(release):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        import sys

        if root not in sys.path:
            sys.path.insert(0, root)
        from rules import MKDOCS_YML, load_releases, load_rules
    except ImportError as exc:
        raise RuntimeError(
            "no embedded rules and the rules loader is unavailable (%s): "
            "run the built check.py, or `make setup` in a checkout" % exc
        )
    site_url = site_url_of(str(MKDOCS_YML))
    if release is None:
        return load_rules(), site_url
    every = load_releases()
    return every[match_release(release, [header["version"] for header in every["default"]["releases"]])], site_url


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
