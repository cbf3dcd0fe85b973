"""The macros and filters pages use to show the rules.

Every requirement value shown in prose or a table goes through `value()` (or
`family_value()`), which wraps it as

    <span class="rule-value" data-rule="ram.total" data-key="min">12 GB</span>

so the built HTML says which rule and key each value came from. Inside code
blocks pages use `raw()`, which gives the plain value. Family values carry
`data-family` instead of a key into the rule's values:

    <span class="rule-value" data-rule="gpu.vram" data-family="sdxl" data-key="min_memory.cuda">8 GB</span>
"""

import html

from checks import findings
from checks.rules_source import families_by_id, rules_by_id
from checks.units import format_gb, parse_size
from rules import join_words

from . import reference

VRAM_RULE = "gpu.vram"
# Where each torch backend runs, for sentences: "58.5 GB with an NVIDIA GPU".
BACKEND_PLACES = {
    "cuda": "with an NVIDIA GPU",
    "rocm": "with an AMD GPU",
    "mps": "on Apple Silicon",
    "cpu": "on the CPU only",
}


def register(env, rules):
    site = SiteValues(rules, current_page=lambda: env.page.file.src_path if env.page else "index.md")
    env.variables["rules"] = site.rules
    env.variables["families"] = site.families
    env.variables["family_list"] = rules["model_families"]
    env.variables["backends"] = rules.get("backends") or []
    env.variables["app"] = rules["app"]
    env.variables["exit_codes"] = {"ok": findings.EXIT_OK, "failed": findings.EXIT_FAILED, "usage": findings.EXIT_USAGE}
    for name in (
        "value",
        "raw",
        "family_value",
        "rule_heading",
        "rule_section",
        "other_rules",
        "rule_link",
        "why",
        "fix",
        "summary",
        "summary_table",
        "vram_table",
        "family_examples",
        "backend_requirement",
        "backend_list",
        "problematic_series_list",
        "install_command",
        "package_list",
        "distro_list",
        "disk_totals",
    ):
        env.macro(getattr(site, name), name)
    env.macro(reference.cli_help, "cli_help")
    env.macro(reference.report_fields_table, "report_fields_table")
    env.macro(reference.report_schema_text, "report_schema_text")
    env.macro(reference.rules_error_example, "rules_error_example")
    env.filter(or_list, "or_list")
    env.filter(and_list, "and_list")
    env.filter(size, "size")
    env.filter(cell, "cell")


def cell(text):
    """Text for a Markdown table cell: a `|` in it would end the cell, a newline the row."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def or_list(items):
    """["3.10", "3.11"] -> "3.10 or 3.11"."""
    return join_words(items, "or")


def and_list(items):
    """["a", "b", "c"] -> "a, b and c"."""
    return join_words(items, "and")


def size(text):
    """A size from the rules in the site's unit: "12 GB" -> "12 GB", "8192 MiB" -> "8.6 GB"."""
    return format_gb(parse_size(text))


def _span(text, **data):
    attributes = "".join(' data-%s="%s"' % (name, html.escape(str(value), quote=True)) for name, value in data.items())
    return '<span class="rule-value"%s>%s</span>' % (attributes, html.escape(str(text), quote=False))


class SiteValues:
    """The rules, looked up by id, and the pieces of pages made from them."""

    def __init__(self, rules, current_page=lambda: "index.md", release=None):
        """`release`: the version whose page this renders, when it is not the site's default.

        Its values' spans then also carry `data-release`, so verify judges them
        by that release's rules.
        """
        self.current_page = current_page
        self.span_data = {"release": release} if release else {}
        self._headed = {}  # page -> the rule ids whose heading it has rendered so far
        self.rules = rules_by_id(rules)
        self.families = families_by_id(rules)
        self.family_list = rules["model_families"]
        self.backends = rules.get("backends") or []

    # --- single values ---------------------------------------------------

    def _rule(self, rule_id):
        try:
            return self.rules[rule_id]
        except KeyError:
            raise KeyError("no rule %r in the rules file (rules: %s)" % (rule_id, ", ".join(sorted(self.rules))))

    def _lookup(self, rule_id, key):
        value = self._rule(rule_id)["values"]
        for part in str(key).split("."):
            try:
                value = value[int(part)] if isinstance(value, list) else value[part]
            except (KeyError, IndexError, ValueError):
                raise KeyError("rule %r has no value %r" % (rule_id, key))
        return value

    def value(self, rule_id, key, joiner="or", percent=False):
        """A value of a rule, for prose and tables: a rule-value span.

        Lists read "a, b or c"; `percent` shows a share such as 0.7 as "70%".
        """
        found = self._lookup(rule_id, key)
        if isinstance(found, list):
            text = join_words(found, joiner)
        elif percent:
            text = "%g%%" % (found * 100)
        else:
            text = found
        return _span(text, rule=rule_id, key=key, **self.span_data)

    def raw(self, rule_id, key):
        """A value of a rule as plain text, for code blocks. Lists are joined with spaces."""
        found = self._lookup(rule_id, key)
        return " ".join(str(item) for item in found) if isinstance(found, list) else str(found)

    def family_value(self, family_id, key="name"):
        """A value of a model family: its name, or a minimum such as "min_memory.cuda"."""
        try:
            family = self.families[family_id]
        except KeyError:
            raise KeyError("no model family %r (families: %s)" % (family_id, ", ".join(self.families)))
        found = family
        for part in key.split("."):
            try:
                found = found[part]
            except (KeyError, TypeError):
                raise KeyError("model family %r has no value %r" % (family_id, key))
        return _span(found, rule=VRAM_RULE, family=family_id, key=key, **self.span_data)

    def backend_value(self, backend_id, key):
        """A value of a backend (a Mac's recommended memory), keyed "backends.<id>.<key>" under the VRAM rule."""
        backend = self._backend(backend_id)
        if key not in backend:
            raise KeyError("backend %r has no value %r" % (backend_id, key))
        return _span(backend[key], rule=VRAM_RULE, key="backends.%s.%s" % (backend_id, key), **self.span_data)

    # --- whole rules -----------------------------------------------------

    def rule_heading(self, rule_id, level=3):
        """The rule's heading; its anchor is exactly the rule id (with a permalink).

        A rule's aliases follow it as one line, so the site's search finds the
        rule by the names people type.
        """
        self._headed.setdefault(self.current_page(), set()).add(rule_id)
        rule = self._rule(rule_id)
        heading = "%s %s { #%s }" % ("#" * level, rule["title"], rule_id)
        if rule.get("aliases"):
            heading += '\n\n<p class="rule-aliases">Also called: %s</p>' % html.escape(
                join_words(rule["aliases"], "and"), quote=False
            )
        return heading

    def rule_section(self, rule_id, level=3):
        """A whole rule from its texts alone: heading, summary, why, its values, and the fix.

        For a rule no page has written prose around yet (see other_rules).
        """
        rule = self._rule(rule_id)
        parts = [self.rule_heading(rule_id, level), "", "%s. %s" % (rule["summary"].rstrip("."), rule["why"])]
        shown = [
            (key, self.value(rule_id, key, joiner="and"))
            for key, found in rule.get("values", {}).items()
            if isinstance(found, (str, list)) and all(isinstance(item, str) for item in _listed(found))
        ]
        if shown:
            parts += ["", "| Setting | Value |", "| --- | --- |"]
            parts += ["| `%s` | %s |" % (key, text.replace("|", "\\|")) for key, text in shown]
        parts += ["", "**If your machine falls short:** %s" % rule["fix"]]
        return "\n".join(parts)

    def other_rules(self, heading="Other requirements"):
        """Every rule of the page being rendered that no rule_heading() has shown yet, under one heading.

        A new rule appears on its page the day it is added to the rules file;
        a writer can later give it prose of its own with rule_heading().
        """
        page = self.current_page()
        headed = self._headed.get(page, set())
        missing = [rule_id for rule_id, rule in self.rules.items() if rule["page"] == page and rule_id not in headed]
        if not missing:
            return ""
        return "\n\n".join(["## %s" % heading] + [self.rule_section(rule_id) for rule_id in missing])

    def rule_link(self, rule_id, text=None):
        """A Markdown link to the rule's anchor, relative to the page being rendered."""
        rule = self._rule(rule_id)
        target = _relative(self.current_page(), rule["page"])
        return "[%s](%s#%s)" % (text or rule["title"], target, rule_id)

    def why(self, rule_id):
        return self._rule(rule_id)["why"]

    def fix(self, rule_id):
        return self._rule(rule_id)["fix"]

    def summary(self, rule_id):
        return self._rule(rule_id)["summary"]

    # --- tables and lists --------------------------------------------------

    def _family_minimums(self, family):
        """ "4 GB NVIDIA, 4 GB AMD or 8 GB Mac": one family's memory per backend, as rule-value spans."""
        return join_words(
            [
                "%s %s" % (self.family_value(family["id"], "min_memory." + backend["id"]), backend["name"])
                for backend in self.backends
                if backend["id"] in family["min_memory"]
            ],
            "or",
        )

    def summary_table(self):
        """Every requirement (rules with a check): its title linked to its anchor, and what it needs.

        The VRAM and disk rows give their numbers: the VRAM of each model
        family, and the disk space each backend needs with models.
        """
        lines = ["| Requirement | What you need |", "| --- | --- |"]
        for rule_id, rule in self.rules.items():
            if rule.get("check") is False:
                continue  # documentation only (the installer), not a requirement
            if rule_id == VRAM_RULE:
                need = "; ".join(
                    "%s: %s" % (self.family_value(family["id"], "name"), self._family_minimums(family))
                    for family in self.family_list
                )
            elif rule_id == "disk.free":
                places = {}
                for backend, total in self.disk_totals():
                    places.setdefault(total, []).append(BACKEND_PLACES.get(backend, backend))
                need = (
                    join_words(["%s %s" % (total, join_words(where, "or")) for total, where in places.items()], "and")
                    + ", models included"
                )
            else:
                need = cell(rule["summary"])
            lines.append("| %s | %s |" % (self.rule_link(rule_id), need))
        return _wrapped("\n".join(lines), "rules-summary")

    def _backend_column(self, backend):
        """ "NVIDIA (VRAM)", "AMD (VRAM, Linux only)", "Mac (memory, Apple Silicon)"."""
        notes = [_memory_word(backend)]
        if backend.get("requires"):
            notes.append(backend["requires"])
        elif len(backend["systems"]) == 1:
            notes.append("%s only" % _SYSTEM_NAMES.get(backend["systems"][0], backend["systems"][0]))
        return "%s (%s)" % (backend["name"], ", ".join(notes))

    def disk_totals(self):
        """[(backend, "58.5 GB")]: the application, images and models together, per torch backend.

        Sums of rule values, not values of their own: plain text, no rule-value span.
        """
        values = self._lookup("disk.free", "base_install")
        extra = parse_size(self._lookup("disk.free", "images")) + parse_size(self._lookup("disk.free", "models"))
        return [(backend, format_gb(parse_size(values[backend]) + extra)) for backend in values]

    def distro_list(self, manager):
        """The distributions of one package manager by the names people know: "Debian, Ubuntu, Linux Mint, ..."."""
        names = self._lookup("libs.opencv", "distro_names")
        ids = self._lookup("libs.opencv", "package_managers.%s.distros" % manager)
        return join_words([names.get(distro_id, distro_id) for distro_id in ids], "and")

    def vram_table(self):
        """The memory each model family needs, one column per backend (and RAM, where a family states it)."""
        with_ram = any("min_ram" in family for family in self.family_list)
        columns = [self._backend_column(backend) for backend in self.backends]
        header = "| Model family | %s |" % " | ".join(columns) + (" Minimum RAM |" if with_ram else "")
        lines = [header, "| --- |" + " --- |" * len(columns) + (" --- |" if with_ram else "")]
        for family in self.family_list:
            cells = [
                self.family_value(family["id"], "min_memory." + backend["id"])
                if backend["id"] in family["min_memory"]
                else "-"
                for backend in self.backends
            ]
            aliases = " (%s)" % cell(", ".join(family["aliases"])) if family.get("aliases") else ""
            row = "| %s%s | %s |" % (self.family_value(family["id"], "name"), aliases, " | ".join(cells))
            if with_ram:
                row += " %s |" % (
                    self.family_value(family["id"], "min_ram")
                    if "min_ram" in family
                    else self.value("ram.total", "min")
                )
            lines.append(row)
        return _wrapped("\n".join(lines), "vram-table")

    def backend_requirement(self, family_id, backend_id):
        """One tab's sentence: "Any GPU with at least 4 GB VRAM. Linux only." (the value a rule-value span)."""
        backend = self._backend(backend_id)
        size = self.family_value(family_id, "min_memory." + backend_id)
        if backend.get("requires"):
            return "Any %s %s with at least %s %s." % (
                backend["requires"],
                backend["name"],
                size,
                _memory_word(backend),
            )
        text = "Any GPU with at least %s %s." % (size, _memory_word(backend))
        if len(backend["systems"]) == 1:
            text += " %s only." % _SYSTEM_NAMES.get(backend["systems"][0], backend["systems"][0])
        return text

    def backend_list(self):
        """The GPUs Invoke uses, one line per backend, with the systems it runs on."""
        lines = []
        for backend in self.backends:
            systems = join_words([_SYSTEM_NAMES.get(name, name) for name in backend["systems"]], "and")
            who = backend["name"] + (" with %s" % backend["requires"] if backend.get("requires") else " GPUs")
            lines.append("- **%s**, on %s%s" % (who, systems, " only" if len(backend["systems"]) == 1 else ""))
        return "\n".join(lines)

    def family_examples(self):
        """Each model family as the original page showed it: an example block with one tab per backend."""
        blocks = []
        for family in self.family_list:
            lines = ['!!! example "%s"' % family["name"], ""]
            for backend in self.backends:
                if backend["id"] not in family["min_memory"]:
                    continue
                lines += [
                    '    === "%s"' % backend["name"],
                    "",
                    "        " + self.backend_requirement(family["id"], backend["id"]),
                    "",
                ]
            blocks.append("\n".join(lines))
        return "\n".join(blocks)

    def _backend(self, backend_id):
        for backend in self.backends:
            if backend["id"] == backend_id:
                return backend
        raise KeyError("no backend %r (backends: %s)" % (backend_id, ", ".join(b["id"] for b in self.backends)))

    def problematic_series_list(self):
        lines = []
        for index, _series in enumerate(self._lookup("gpu.problematic", "series")):
            lines.append(
                "- %s, such as the %s"
                % (
                    self.value("gpu.problematic", "series.%d.name" % index),
                    self.value("gpu.problematic", "series.%d.example" % index),
                )
            )
        return "\n".join(lines)

    def package_list(self, manager, joiner="and"):
        """The OpenCV library packages for one package manager, as rule-value spans."""
        libraries = self._lookup("libs.opencv", "libraries")
        spans = [
            self.value("libs.opencv", "libraries.%d.packages.%s" % (index, manager)) for index in range(len(libraries))
        ]
        return join_words(spans, joiner)

    def install_command(self, manager):
        """The shell command that installs the OpenCV libraries with `manager` (plain text)."""
        template = self._lookup("libs.opencv", "package_managers.%s.command" % manager)
        packages = [library["packages"][manager] for library in self._lookup("libs.opencv", "libraries")]
        return template.format(packages=" ".join(packages))


_SYSTEM_NAMES = {"linux": "Linux", "macos": "macOS", "windows": "Windows"}


def _memory_word(backend):
    """What a minimum measures, as the page words it: "VRAM", or "memory" for unified memory."""
    return "VRAM" if backend["memory"] == "VRAM" else "memory"


def _listed(value):
    return value if isinstance(value, list) else [value]


def _wrapped(markdown_table, css_class):
    """A Markdown table in a div the tests and the verifier can find (Material styles it as usual)."""
    return '<div class="%s" markdown>\n\n%s\n\n</div>' % (css_class, markdown_table)


def _relative(from_page, to_page):
    """The relative Markdown path from one docs page to another: ("reference/cli.md", "index.md") -> "../index.md"."""
    depth = from_page.replace("\\", "/").count("/")
    return "../" * depth + to_page
