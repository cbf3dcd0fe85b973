"""6. Every internal link and anchor of the built site resolves, and no template text or macro error is left.

MkDocs validates the links written in Markdown; this also covers links in raw
HTML, in the theme and those produced by macros, and reads the pages as built.
"""

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .problems import problem

CHECK = 6
EXTERNAL_SCHEMES = ("http", "https", "mailto", "data", "javascript", "tel", "ftp")
# What mkdocs-macros leaves behind when a macro is not rendered or fails.
LEFTOVERS = re.compile(r"\{\{|\}\}|\{%|%\}|\{#-?\s|Macro (?:Rendering|Syntax) Error|jinja2\.exceptions|UndefinedError")


def verify(project, pages):
    problems, checked = [], 0
    for path, page in sorted(pages.items()):
        for link in page.links:
            target = _target(project, path, link.url)
            if target is None:
                continue
            checked += 1
            why = _missing(project, pages, target)
            if why:
                problems.append(_at(project, path, link.line, "link %r: %s" % (link.url, why), [re.escape(link.url)]))
        for line, text in page.article_text():
            for match in LEFTOVERS.finditer(text):
                following = re.sub(r"<[^>]+>", "", text[match.start() :])[:24].strip()
                problems.append(
                    _at(
                        project,
                        path,
                        line,
                        "leftover template text %r: %s"
                        % (match.group(0), " ".join(re.sub(r"<[^>]+>", " ", text).split())[:120]),
                        [re.escape(following)],
                    )
                )
    return problems, checked


def _target(project, page_path, url):
    """(file, anchor) of an internal link, None for an external one."""
    if project.url_to_site_path(url.split("?")[0]) is not None:
        return project.url_to_site_path(url.split("?")[0])
    parts = urlsplit(url)
    if parts.scheme in EXTERNAL_SCHEMES or parts.netloc or url.startswith("//"):
        return None
    if parts.scheme:
        return None
    path = unquote(parts.path)
    if not path:
        return page_path, unquote(parts.fragment)
    base = project.site_dir if path.startswith("/") else page_path.parent
    target = base / path.lstrip("/")
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return Path(_normalize(target)), unquote(parts.fragment)


def _normalize(path):
    import os

    return os.path.normpath(str(path))


def _missing(project, pages, target):
    path, anchor = target
    try:
        path.relative_to(project.site_dir)
    except ValueError:
        return "points outside the site"
    if not path.is_file():
        return "no such file in the built site (%s)" % path.relative_to(project.site_dir).as_posix()
    if anchor and path in pages and anchor not in pages[path].ids:
        return "%s has no anchor #%s" % (project.display_page(path), anchor)
    return None


def _at(project, html_path, html_line, message, patterns):
    source = project.source_page(html_path)
    line = project.source_line(source, patterns) if source else None
    if line is None:
        return problem(
            CHECK, message, page="site/" + html_path.relative_to(project.site_dir).as_posix(), line=html_line
        )
    return problem(
        CHECK, "%s (built page line %d)" % (message, html_line), page=project.docs_relative(source), line=line
    )
