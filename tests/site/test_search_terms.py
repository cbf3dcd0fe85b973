"""The site's search finds what people type: the short names the rules carry, and the web UI's port."""

import json
from urllib.parse import urlsplit


def search_docs(built_site):
    return json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def found(docs, term):
    """The locations whose text or title holds `term` (as the search's own index holds them)."""
    return [doc["location"] for doc in docs if term.lower() in (doc["title"] + " " + doc["text"]).lower()]


def test_every_alias_in_the_rules_is_in_the_search_index(built_site, rules):
    docs = search_docs(built_site)
    for family in rules["model_families"]:
        for alias in family.get("aliases") or []:
            assert found(docs, alias), "search cannot find %r (model family %s)" % (alias, family["id"])
    for rule in rules["rules"]:
        for alias in rule.get("aliases") or []:
            places = found(docs, alias)
            assert any(place.endswith("#" + rule["id"]) for place in places), (
                "search does not lead %r to the rule %s: %s" % (alias, rule["id"], places)
            )


def test_the_terms_readers_type_are_found(built_site, rules):
    docs = search_docs(built_site)
    port = str(
        urlsplit(next(rule for rule in rules["rules"] if rule["id"] == "installer.latest")["values"]["web_ui"]).port
    )
    for term in ("SDXL", "SD 1.5", "M1", "cuDNN", port):
        assert found(docs, term), term


def test_the_index_serves_readers_not_maintainers(built_site):
    """The development pages are out of the index every first visit downloads; the reader's pages are in it."""
    pages = set(urlsplit(doc["location"]).path.split("#")[0] for doc in search_docs(built_site))
    assert not [page for page in pages if page.startswith("development/")]
    for page in ("requirements/", "installer/", "check/", "reference/cli/", "releases/changes/"):
        assert page in pages, "%s is missing from the search index" % page
