"""Build the downloadable check.py: every module of checks/ and the rules, in one file.

The modules are embedded as source text and imported through a small
meta-path finder, so they keep their real package structure (relative
imports, tracebacks with real line numbers) and are only compiled once the
running Python is known to be new enough. The wrapper around them is plain
old Python: on Python 3.0 to 3.7 (even 2.7) it still runs far enough to say
which version it found and what is needed.

The output is deterministic: the same sources and rules give the same bytes,
so the sha256 printed on the site can be checked against a fresh build.
"""

import copy
import hashlib
import json
from pathlib import Path

import checks
from checks.site_links import docs_url
from rules import RULES_PATH, SCHEMA_PATH, RulesError, join_words, load_releases

CHECKS_DIR = Path(checks.__file__).resolve().parent
SCRIPT_NAME = "check.py"
MIN_PYTHON = (3, 8)
# What load_rules() adds to each release's rules: the script holds them once.
HEADERS = ("release", "releases")
# What only the pages show, left out of the script: a rule's one-line summary, the names
# the site's search finds, why sizes are decimal, the files a release's values come from.
# A test holds the findings to those of the whole rules.
PAGE_ONLY = {"rules": ("summary", "aliases"), "model_families": ("aliases",), "size_semantics": None}
RELEASE_PAGE_ONLY = ("sources",)
# Modules only type checkers read (every import of them sits under `if TYPE_CHECKING:`, a
# test holds it so): they never run, so check.py leaves them out.
TYPE_ONLY = ("checks.contracts",)


def package_modules(checks_dir=CHECKS_DIR):
    """[(module name, is_package, source)] for every .py file of the checks package but TYPE_ONLY, sorted."""
    modules = []
    for path in sorted(checks_dir.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        parts = list(path.relative_to(checks_dir.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        source = path.read_text(encoding="utf-8")
        if "'''" in source:
            raise ValueError("%s: contains ''' which the script embeds sources in; use \"\"\" instead" % path)
        if source.endswith("\\"):
            raise ValueError("%s: ends with a backslash" % path)
        if ".".join(parts) not in TYPE_ONLY:
            modules.append((".".join(parts), is_package, source))
    return modules


def build_script(rules, site_url, checks_dir=CHECKS_DIR, releases=None):
    """The text of check.py for these rules and this site URL.

    `rules` are the default release's (the Python-too-old message states its
    Python versions). `releases` are every release's rules, oldest first, the
    default first, as a list or as load_releases() returns them; by default
    those of the rules file when `rules` are its default release, else `rules`
    alone (rules a test made).
    """
    every = _releases_to_embed(rules, releases)
    # Each line as the checker reads it (less what only the pages show), and without the
    # headers, which RELEASE_HEADERS_JSON holds once (rules_source puts them back).
    texts = [
        (
            each["release"]["version"],
            _compact_json(dict((k, v) for k, v in for_checker(each).items() if k not in HEADERS)),
        )
        for each in every
    ]
    headers_json = _compact_json([for_checker(each)["release"] for each in every])
    if not site_url.endswith("/"):
        site_url += "/"
    modules = package_modules(checks_dir)
    version = checks.__version__
    lines = [_HEADER.format(version=version, site_url=site_url)]
    lines.append("SITE_URL = %r\n" % site_url)
    lines.append("MIN_PYTHON = %r\n" % (MIN_PYTHON,))
    python_rule = next(rule for rule in rules["rules"] if rule["id"] == "python.version")
    lines.append("PYTHON_SUPPORTED = %r\n" % join_words(python_rule["values"]["supported"], "or"))
    lines.append("PYTHON_RECOMMENDED = %r\n" % python_rule["values"]["recommended"])
    lines.append("PYTHON_DOCS = %r\n" % docs_url(site_url, python_rule["page"], python_rule["id"]))
    lines.append("\n# The releases, the default first; then the rules of each (less PAGE_ONLY), one line each.\n")
    lines.append("RELEASE_HEADERS_JSON = r'''%s'''\n" % headers_json)
    lines.append("RELEASES_JSON = {\n")
    for index, ((release, text), each) in enumerate(zip(texts, every)):
        name = "%s (the default)" % each["release"]["name"] if index == 0 else each["release"]["name"]
        lines.append("# %s:\n%r: r'''%s''',\n" % (name, release, text))
    lines.append("}\n")
    lines.append("\n# name: (is_package, source) of every module of the checks package that runs.\nSOURCES = {\n")
    for name, is_package, source in modules:
        lines.append("%r: (%r, r'''%s'''),\n\n" % (name, is_package, source))
    lines.append("}\n")
    lines.append(_RUNTIME)
    return "".join(lines)


def for_checker(rules):
    """A copy of `rules` less the PAGE_ONLY fields: what check.py embeds."""
    rules = dict(rules)
    for section, keys in PAGE_ONLY.items():
        if keys is None:
            rules.pop(section, None)
        else:
            rules[section] = [dict((k, v) for k, v in entry.items() if k not in keys) for entry in rules[section]]
    if "release" in rules:
        rules["release"] = _header_for_checker(rules["release"])
        rules["releases"] = [_header_for_checker(release) for release in rules["releases"]]
    return rules


def _header_for_checker(release):
    return dict((k, v) for k, v in release.items() if k not in RELEASE_PAGE_ONLY)


def _compact_json(data):
    """One line of JSON, as the script embeds it in an r'''...''' string."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    if "'''" in text or "\n" in text or "\r" in text or text.endswith("\\"):
        raise ValueError("the rules contain text that check.py cannot embed on one line in r'''...'''")
    return text


def _releases_to_embed(rules, releases):
    """[rules of each release], oldest first, the default (`rules`) first."""
    if releases is None:
        every = _rules_file_releases()
        releases = every if every is not None and every["default"] == rules else [rules]
    if isinstance(releases, dict):
        releases = [releases[header["version"]] for header in releases["default"]["releases"]]
    releases = list(releases)
    if not releases or releases[0] != rules:
        raise ValueError("the first release embedded must be the default release's rules")
    versions = [each["release"]["version"] for each in releases]
    if len(set(versions)) != len(versions):
        raise ValueError("a release is embedded twice: %s" % ", ".join(versions))
    return releases


_RELEASES_CACHE = {}


def _rules_file_releases():
    """load_releases() of the rules file (each state of the file loaded once), or None if it cannot be loaded."""
    try:
        stamp = tuple((path.stat().st_mtime_ns, path.stat().st_size) for path in (RULES_PATH, SCHEMA_PATH))
    except OSError:
        return None
    if stamp not in _RELEASES_CACHE:
        try:
            _RELEASES_CACHE.clear()
            _RELEASES_CACHE[stamp] = load_releases()
        except RulesError:
            return None
    return copy.deepcopy(_RELEASES_CACHE[stamp])


def sha256_line(script_text):
    """The content of check.py.sha256, in the format `sha256sum -c` reads."""
    return "%s  %s\n" % (hashlib.sha256(script_text.encode("utf-8")).hexdigest(), SCRIPT_NAME)


def write_script(site_dir, script_text):
    """Write check.py and check.py.sha256 into the site root; return the script's path."""
    site_dir = Path(site_dir)
    site_dir.mkdir(parents=True, exist_ok=True)
    script_path = site_dir / SCRIPT_NAME
    # newline="" keeps \n on every OS, so the checksum is the same everywhere.
    with open(script_path, "w", encoding="utf-8", newline="") as handle:
        handle.write(script_text)
    with open(site_dir / (SCRIPT_NAME + ".sha256"), "w", encoding="utf-8", newline="") as handle:
        handle.write(sha256_line(script_text))
    return script_path


_HEADER = '''#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Check this machine against Invoke's system requirements (checker {version}).

    curl -fsSL {site_url}check.py | python3 -
    python3 check.py --help

Built from the checks package and rules/requirements.yaml of the requirements
site ({site_url}); do not edit by hand. It uses only the standard library,
opens no network connection, writes no file and asks nothing. The one call
that runs it is the last statement, in brackets, so a download cut short
anywhere in it is a syntax error and runs nothing.
"""
import sys

'''

_RUNTIME = '''

def _python_too_old():
    """On a Python too old for the checker, say what was found and what is needed."""
    found = ".".join(str(part) for part in sys.version_info[:3])
    sys.stderr.write(
        "[X] This is Python %s (%s).\\n"
        "    The checker needs Python %d.%d or newer, and Invoke needs Python %s.\\n"
        "    Install a supported Python and run the check with it, e.g. python%s check.py\\n"
        "    More: %s\\n"
        % (found, sys.executable, MIN_PYTHON[0], MIN_PYTHON[1], PYTHON_SUPPORTED,
           PYTHON_RECOMMENDED, PYTHON_DOCS)
    )
    return 1


def _install_embedded_modules():
    """Make `import checks...` load the modules embedded above."""
    # ModuleSpec from importlib's own bootstrap, which every Python has loaded
    # before it runs a line of this file: importing importlib.machinery costs
    # time, and importlib.abc would pull in importlib.resources, pathlib and
    # tempfile. Tracebacks still show source lines: linecache asks the loader's
    # get_source().
    ModuleSpec = getattr(sys.modules.get("_frozen_importlib"), "ModuleSpec", None)
    if ModuleSpec is None:
        from importlib.machinery import ModuleSpec

    class EmbeddedModules(object):
        """A meta-path finder and loader for the modules in SOURCES."""

        def find_spec(self, fullname, path=None, target=None):
            if fullname in SOURCES or fullname == "checks._embedded":
                is_package = SOURCES.get(fullname, (False, ""))[0]
                spec = ModuleSpec(fullname, self, is_package=is_package)
                if fullname in SOURCES:
                    spec.origin = "check.py/" + fullname.replace(".", "/") + ("/__init__.py" if is_package else ".py")
                    spec.has_location = True
                return spec
            return None

        def create_module(self, spec):
            return None

        def get_source(self, fullname):
            return SOURCES[fullname][1]

        def exec_module(self, module):
            name = module.__name__
            if name == "checks._embedded":
                module.RELEASES_JSON = RELEASES_JSON
                module.RELEASE_HEADERS_JSON = RELEASE_HEADERS_JSON
                module.SITE_URL = SITE_URL
                return
            # Compiled here, when first imported: a run compiles only the modules it uses.
            exec(compile(SOURCES[name][1], module.__spec__.origin, "exec"), module.__dict__)

    # A `checks` package imported earlier in this process (not ours) must not shadow the embedded one.
    for name in [key for key in sys.modules if key == "checks" or key.startswith("checks.")]:
        if not str(getattr(sys.modules[name], "__file__", "")).startswith("check.py/"):
            del sys.modules[name]
    sys.meta_path.insert(0, EmbeddedModules())


def _standard_library_first():
    """Before any other import: a json.py or argparse.py beside this file (in
    Downloads, say) or in the current folder must not stand in for the
    standard library's, and no bytecode is written there."""
    sys.dont_write_bytecode = True
    loaded_os = sys.modules.get("os")   # imported at start-up, before any folder of ours was searched
    here = globals().get("__file__")
    if not sys.path:
        return
    if sys.path[0] == "" or (loaded_os is not None and here is not None and (
            loaded_os.path.normcase(loaded_os.path.realpath(sys.path[0]))
            == loaded_os.path.normcase(loaded_os.path.dirname(loaded_os.path.realpath(here))))):
        del sys.path[0]


def main(argv=None):
    _standard_library_first()
    if sys.version_info < MIN_PYTHON:
        return _python_too_old()
    # A run lasts a second at most and leaves little garbage in cycles: the
    # cyclic collector, which runs again and again while the modules load, would
    # only add to the start-up time. Memory is freed as usual when it is let go.
    import gc
    gc.disable()
    _install_embedded_modules()
    from checks.cli import main as run_checks
    return run_checks(sys.argv[1:] if argv is None else argv)


# The one call that runs the checker, in brackets: a download cut anywhere inside
# them leaves a bracket open, a syntax error, so nothing runs.
(
    __name__ == "__main__" and sys.exit(main())
)
'''
