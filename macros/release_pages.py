"""The release pages: one per release other than the site's default, and the What changed page.

The site's main pages describe the default release (the first in the rules
file's `releases`). Each later release gets `releases/<version>.md`, a page
generated at build time (macros/release_nav.py) that only calls
`release_page(version)`: its header (name, tag, how to install, Python, torch,
sources), the model-family table, and every rule of the release, each under
its rule id as anchor, rendered by the same SiteValues as the main pages from
that release's resolved rules. Their value spans carry `data-release`, so
verify judges them by that release.

`release_changes()` renders macros/release_changes.py's comparison, release
to release, each change with its source linked to the file at the release's
tag.
"""

import html
import posixpath
import re

from checks.site_links import release_page_path
from rules import join_words

from . import release_changes
from .pages import _SYSTEM_NAMES as SYSTEM_NAMES
from .pages import VRAM_RULE, SiteValues, _relative

GITHUB = "https://github.com/invoke-ai/InvokeAI"
CHANGES_PAGE = "releases/changes.md"
# Where a rule's section goes on a release page, by the main page it belongs to.
PAGE_GROUPS = (("requirements.md", "Requirements", "requirements"), ("installer.md", "Installing", "installing"))
AREAS = (
    ("release", "The release"),
    ("family", "Model families"),
    ("backend", "GPUs"),
    ("rule", "Requirements"),
)
# Value keys not shown in a release page's value tables: matching patterns, not values a reader acts on.
HIDDEN_KEYS = ("pattern", "patterns")
LONG_TEXT = 100
FOLD_ROWS = 12
OR_KEYS = ("supported",)


def blob_url(tag, path):
    """A file of InvokeAI's repository at a release's tag."""
    return "%s/blob/%s/%s" % (GITHUB, tag, path)


def tree_url(tag):
    return "%s/tree/%s" % (GITHUB, tag)


class Releases:
    """Every release's rules and the pages made from them.

    `resolved`: rules.load_releases(); `entries`: {version: that release's change entries}.
    """

    def __init__(self, resolved, entries, current_page):
        self.current_page = current_page
        self.default = resolved["default"]["release"]["version"]
        self.headers = resolved["default"]["releases"]
        self.versions = [header["version"] for header in self.headers]
        self.resolved = resolved
        self.entries = entries
        self.sites = dict(
            (version, SiteValues(resolved[version], current_page, release=None if version == self.default else version))
            for version in self.versions
        )

    def later(self):
        """The releases with a page of their own: all but the default."""
        return [version for version in self.versions if version != self.default]

    def _link(self, page):
        return _relative(self.current_page(), page)

    def _name(self, version):
        return self.resolved[version]["release"]["name"]

    # --- the requirements page's release line --------------------------------

    def release_links(self):
        """The admonition at the top of the main requirements page: which release it states, and the others."""
        others = join_words(
            ["[%s](%s)" % (self._name(version), self._link(release_page_path(version))) for version in self.later()],
            "and",
        )
        return "\n".join(
            [
                '!!! info "%s"' % self._name(self.default),
                "",
                "    This page states the requirements of %s, the release this site describes. "
                "Other releases have pages of their own: %s; [what changed](%s) lists every "
                "requirement added, removed or changed from one release to the next."
                % (self._name(self.default), others, self._link(CHANGES_PAGE)),
            ]
        )

    # --- a release's page ------------------------------------------------------

    def release_page(self, version):
        if version not in self.versions:
            raise KeyError("no release %r in the rules (releases: %s)" % (version, ", ".join(self.versions)))
        site = self.sites[version]
        rules = self.resolved[version]
        parts = [
            "# %s requirements" % self._name(version),
            "",
            self._banner(version),
            "",
            "## The release { #release }",
            "",
            self._header_table(version, site, rules),
        ]
        for page, heading, anchor in PAGE_GROUPS:
            ids = [rule["id"] for rule in rules["rules"] if rule["page"] == page]
            if not ids:
                continue
            parts += ["", "## %s { #%s }" % (heading, anchor)]
            for rule_id in ids:
                parts += ["", self._rule_section(site, rules, rule_id)]
        return "\n".join(parts) + "\n"

    def _banner(self, version):
        index = self.versions.index(version)
        changed = "[what changed from %s](%s#changes-%s)" % (
            self._name(self.versions[index - 1]),
            self._link(CHANGES_PAGE),
            version,
        )
        return "\n".join(
            [
                '!!! warning "Not the release the main pages describe"',
                "",
                "    This page states the requirements of %s, read from its own files. The site's "
                "[main requirements page](%s) describes %s; see %s."
                % (self._name(version), self._link("requirements.md"), self._name(self.default), changed),
            ]
        )

    def _header_table(self, version, site, rules):
        header = rules["release"]
        install = header.get("install") or {}
        method = {"installer": "an installer", "launcher": "a launcher"}.get(
            install.get("method"), install.get("method")
        )
        rows = [
            (
                "Release",
                '%s, tag <a href="%s">%s</a>'
                % (html.escape(header["name"]), html.escape(tree_url(header["tag"])), html.escape(header["tag"])),
            ),
            (
                "Install with",
                '<a href="%s">%s</a> (%s)'
                % (
                    html.escape(install.get("url", "")),
                    html.escape(install.get("name", "")),
                    html.escape(method or "-"),
                ),
            ),
        ]
        by_id = site.rules
        if "python.version" in by_id:
            rows.append(
                (
                    "Python",
                    "%s (%s suggested)"
                    % (site.value("python.version", "supported"), site.value("python.version", "recommended")),
                )
            )
        if "gpu.torch" in by_id:
            torch = by_id["gpu.torch"]["values"]
            text = "torch %s for CUDA %s" % (
                site.value("gpu.torch", "torch_version"),
                site.value("gpu.torch", "cuda_version"),
            )
            if "rocm_version" in torch:
                text += " (ROCm %s for AMD on Linux)" % site.value("gpu.torch", "rocm_version")
            rows.append(("torch build", text))
        sources = ", ".join(
            '<a href="%s">%s</a>' % (html.escape(blob_url(header["tag"], path)), html.escape(path))
            for path in header.get("sources") or []
        )
        rows.append(("Sources", sources or "-"))
        body = "\n".join('<tr><th scope="row">%s</th><td>%s</td></tr>' % (name, cell) for name, cell in rows)
        return '<div class="release-header"><table>\n<tbody>\n%s\n</tbody>\n</table></div>' % body

    def _rule_section(self, site, rules, rule_id):
        rule = site.rules[rule_id]
        parts = [site.rule_heading(rule_id), "", "**%s.** %s" % (rule["summary"].rstrip("."), rule["why"])]
        if rule_id == VRAM_RULE:
            parts += ["", self.family_table(site, rules)]
        rows = list(_value_rows(site, rule_id, rule.get("values") or {}, []))
        if rows:
            table = ["| Setting | Value |", "| --- | --- |"]
            table += ["| %s | %s |" % (label, text.replace("|", "\\|").replace("\n", " ")) for label, text in rows]
            block = _wrapped("\n".join(table), "release-values")
            if len(rows) > FOLD_ROWS:
                # A long table (the OpenCV packages per distribution) folds; its values stay in the section.
                block = '<details class="note" markdown>\n<summary>All %d values</summary>\n\n%s\n\n</details>' % (
                    len(rows),
                    block,
                )
            parts += ["", block]
        parts += ["", "**If yours falls short:** %s" % rule["fix"]]
        return "\n".join(parts)

    def family_table(self, site, rules):
        """Each model family: resolution, NVIDIA series, memory per backend, RAM, disk for models, notes.

        An HTML table whose cells name their column (data-label), so a phone
        shows each family as a block of labelled lines. Columns no family of
        the release states are left out.
        """
        families = rules["model_families"]
        backends = rules.get("backends") or []
        by_id = site.rules

        def has(key):
            return any(_dig(family, key) is not None for family in families)

        columns = [("Model family", lambda family: _family_name(site, family))]
        for backend in backends:
            columns.append((_short_column(backend), _memory_cell(site, backend)))
        if has("min_ram") or "ram.total" in by_id:
            columns.append(("RAM", lambda family: _ram_cell(site, family)))
        if has("disk_models"):
            columns.append(("Disk for models", lambda family: _optional(site, family, "disk_models")))
        if has("notes"):
            columns.append(("Notes", lambda family: _optional(site, family, "notes")))
        head = "".join("<th>%s</th>" % html.escape(name) for name, _ in columns)
        body = []
        for family in families:
            cells = ""
            for name, render in columns:
                text = render(family)
                cells += '<td data-label="%s"%s>%s</td>' % (
                    html.escape(name, quote=True),
                    ' class="not-stated"' if text == "-" else "",
                    text,
                )
            body.append("<tr>%s</tr>" % cells)
        return (
            '<div class="release-cards release-families"><table>\n<thead><tr>%s</tr></thead>\n<tbody>\n%s\n</tbody>\n</table></div>'
            % (
                head,
                "\n".join(body),
            )
        )

    # --- What changed ------------------------------------------------------------

    def changes(self, old_version, new_version):
        """release_changes.changes() of two releases, with the new release's change entries as sources."""
        return release_changes.changes(
            self.resolved[old_version], self.resolved[new_version], self.entries.get(new_version) or []
        )

    def release_changes(self):
        """The What changed page's body: every release after the first, against the one before it."""
        parts = [self.release_table()]
        for index, version in enumerate(self.versions[1:], 1):
            before = self.versions[index - 1]
            items = self.changes(before, version)
            parts += [
                "",
                "## %s %s %s { #changes-%s }"
                % (self._name(before), release_changes.ARROW, self._name(version), version),
                "",
                "%d changes. The requirements of each: [%s](%s), [%s](%s)."
                % (
                    len(items),
                    self._name(before),
                    self._link(self._page_of(before)),
                    self._name(version),
                    self._link(self._page_of(version)),
                ),
            ]
            for area, title in AREAS:
                listed = [item for item in items if item["area"] == area]
                if not listed:
                    continue
                parts += ["", "### %s { #changes-%s-%s }" % (title, version, area), ""]
                subjects = []
                for item in listed:
                    if item["subject"] not in subjects:
                        subjects.append(item["subject"])
                blocks = [
                    self._subject_block([item for item in listed if item["subject"] == subject], version)
                    for subject in subjects
                ]
                parts.append('<ul class="release-changes">\n%s\n</ul>' % "\n".join(blocks))
        return "\n".join(parts) + "\n"

    def _page_of(self, version):
        return "requirements.md" if version == self.default else release_page_path(version)

    def release_table(self):
        """The releases, oldest first: how each installs, its Python and torch, and its page."""
        rows = []
        for version in self.versions:
            rules = self.resolved[version]
            install = rules["release"].get("install") or {}
            by_id = self.sites[version].rules
            python = (
                join_words(by_id["python.version"]["values"]["supported"], "or") if "python.version" in by_id else "-"
            )
            torch = by_id["gpu.torch"]["values"]["torch_version"] if "gpu.torch" in by_id else "-"
            cells = [
                ("Release", "<strong>%s</strong>" % html.escape(self._name(version))),
                (
                    "Install with",
                    '<a href="%s">%s</a>'
                    % (html.escape(install.get("url", "")), html.escape(install.get("name", "-"))),
                ),
                ("Python", html.escape(python)),
                ("torch", html.escape(torch)),
                (
                    "Requirements",
                    '<a href="%s">%s</a>'
                    % (
                        url_link(self.current_page(), self._page_of(version)),
                        "the main pages" if version == self.default else "its page",
                    ),
                ),
            ]
            rows.append("<tr>%s</tr>" % "".join('<td data-label="%s">%s</td>' % (name, text) for name, text in cells))
        head = "".join("<th>%s</th>" % name for name in ("Release", "Install with", "Python", "torch", "Requirements"))
        return (
            '<div class="release-cards"><table>\n<thead><tr>%s</tr></thead>\n<tbody>\n%s\n</tbody>\n</table></div>'
            % (
                head,
                "\n".join(rows),
            )
        )

    def _subject_block(self, items, version):
        """One family, backend or rule: what changed in it, then the sources and notes of the entries that did it."""
        tag = self.resolved[version]["release"]["tag"]
        sources = self.resolved[version]["release"].get("sources") or []
        whole = [item for item in items if not item["field"]]
        if whole:
            text = html.escape(_item_words(whole[0], whole[0]["name"]))
            body = "<strong>%s</strong>%s" % (html.escape(whole[0]["name"]), text[len(html.escape(whole[0]["name"])) :])
        else:
            lines = "".join("<li>%s</li>" % _field_html(item) for item in items)
            body = "<strong>%s</strong><ul>%s</ul>" % (html.escape(items[0]["name"]), lines)
        extra = []
        for source in _distinct(item["source"] for item in items):
            extra.append("Source: %s" % linked_source(source, tag, sources))
        if not extra and items[0]["area"] == "release":
            extra.append(
                'Source: the release\'s own header in the rules (<a href="%s">its requirements</a>)'
                % url_link(self.current_page(), self._page_of(version))
            )
        for note in _distinct(item["note"] for item in items):
            extra.append("Note: %s" % html.escape(note))
        more = "".join('<p class="release-change-source">%s</p>' % line for line in extra)
        return '<li class="release-change">%s%s</li>' % (body, more)


def _distinct(values):
    seen = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return seen


def _item_words(item, what):
    """The sentence of one change, starting with `what`."""
    return release_changes.sentence(dict(item, what=what))


def _field_html(item):
    """One field's change, its label bold; long texts (a rule's why) as before and after, folded."""
    old, new = item["old"], item["new"]
    label = "<em>%s</em>" % html.escape(item["label"])
    if item["kind"] == "changed" and max(len(str(old)), len(str(new))) > LONG_TEXT:
        # A table: the two texts share most of their sentences.
        return (
            "%s: reworded<details><summary>Before and after</summary><table><tbody>"
            '<tr><th scope="row">Before</th><td>%s</td></tr><tr><th scope="row">After</th><td>%s</td></tr>'
            "</tbody></table></details>" % (label, html.escape(str(old)), html.escape(str(new)))
        )
    text = html.escape(_item_words(item, "\0"))
    return text.replace("\0", label, 1)


def linked_source(text, tag, sources):
    """A change's source, escaped, with each of the release's source files linked at its tag."""
    if not sources:
        return html.escape(text)
    pattern = re.compile(
        r"(?<![\w/.])(%s)(?![\w/])" % "|".join(re.escape(path) for path in sorted(sources, key=len, reverse=True))
    )
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        out.append('<a href="%s">%s</a>' % (html.escape(blob_url(tag, match.group(1))), html.escape(match.group(1))))
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def _page_url(page):
    """A docs page's directory URL: "releases/5.6.0.md" -> "releases/5.6.0/", "index.md" -> ""."""
    stem = page[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
        return stem
    return stem + "/"


def url_link(from_page, to_page):
    """The link from one page to another as raw HTML must write it: relative to the built page's URL."""
    here, there = _page_url(from_page), _page_url(to_page)
    relative = posixpath.relpath(there or ".", here or ".")
    return "./" if relative == "." else relative + "/"


def _value_rows(site, rule_id, values, path, label_from=0, record=False):
    """(label, value span) for every value of a rule a reader acts on, nested ones included.

    `record`: the values of one entry of a list, for one row (its `id` left
    out); their labels start at `label_from` of the key path.
    """
    for key, value in values.items():
        keys = path + [key]
        if key in HIDDEN_KEYS or (record and key == "id"):
            continue
        dotted = ".".join(str(part) for part in keys)
        label = _label(keys[label_from:])
        if isinstance(value, dict):
            for row in _value_rows(site, rule_id, value, keys, label_from, record):
                yield row
        elif isinstance(value, list):
            if all(not isinstance(item, (dict, list)) for item in value):
                yield label, site.value(rule_id, dotted, joiner="or" if key in OR_KEYS else "and")
            else:
                # A list of records (a driver's known failures): one row each, its values side by side.
                for index, item in enumerate(value):
                    if isinstance(item, dict):
                        inner = keys + [index]
                        parts = [
                            "<em>%s</em> %s" % (name, text)
                            for name, text in _value_rows(site, rule_id, item, inner, len(inner), True)
                        ]
                        if parts:
                            yield _label(inner[label_from:]), " · ".join(parts)
        elif isinstance(value, bool):
            yield label, "yes" if value else "no"
        elif isinstance(value, str) and len(value) > LONG_TEXT:
            continue  # prose (a failure's fix, a reason): the rule's texts say it
        else:
            yield label, site.value(rule_id, dotted)


def _label(keys):
    return html.escape(
        ", ".join("#%d" % (key + 1) if isinstance(key, int) else str(key).replace("_", " ") for key in keys)
    )


def _family_name(site, family):
    """The name, its aliases, and the resolution the minimums are for."""
    name = "<strong>%s</strong>" % site.family_value(family["id"], "name")
    if family.get("aliases"):
        name += " (%s)" % html.escape(", ".join(family["aliases"]))
    if family.get("resolution"):
        name += "<br>at %s" % site.family_value(family["id"], "resolution")
    return name


def _short_column(backend):
    """ "NVIDIA VRAM", "AMD VRAM (Linux only)", "Mac memory (Apple Silicon)"."""
    word = "VRAM" if backend["memory"] == "VRAM" else "memory"
    if backend.get("requires"):
        where = backend["requires"]
    elif len(backend["systems"]) == 1:
        where = "%s only" % SYSTEM_NAMES.get(backend["systems"][0], backend["systems"][0])
    else:
        where = ""
    return "%s %s%s" % (backend["name"], word, " (%s)" % where if where else "")


def _optional(site, family, key, suffix=""):
    if _dig(family, key) is None:
        return "-"
    return site.family_value(family["id"], key) + suffix


def _memory_cell(site, backend):
    def render(family):
        if backend["id"] in family["min_memory"]:
            text = site.family_value(family["id"], "min_memory." + backend["id"])
            if backend["vendor"] == "nvidia" and _dig(family, "min_nvidia.series"):
                text += "<br>%s or newer" % site.family_value(family["id"], "min_nvidia.series")
            return text
        if backend.get("min_memory_from"):
            shared = site._backend(backend["min_memory_from"])
            return "same as %s" % html.escape(shared["name"])
        if backend.get("recommended_memory"):
            return "any (%s recommended)" % site.backend_value(backend["id"], "recommended_memory")
        return "-"

    return render


def _ram_cell(site, family):
    if "min_ram" in family:
        return site.family_value(family["id"], "min_ram")
    if "ram.total" in site.rules:
        return site.value("ram.total", "min")
    return "-"


def _dig(data, dotted):
    for part in dotted.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _wrapped(markdown_table, css_class):
    return '<div class="%s" markdown>\n\n%s\n\n</div>' % (css_class, markdown_table)
