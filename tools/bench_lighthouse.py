"""Benchmark: Lighthouse scores of every page, as a phone sees them: `make bench BENCH=lighthouse`.

Builds the site (or takes --site DIR), serves it on 127.0.0.1 and runs the
npm `lighthouse` of the lock (node_modules/.bin/lighthouse) on every page of
the sitemap, mobile form factor with its simulated throttling, in Debian's
Chromium (CHROME_PATH, /usr/bin/chromium unless set). Prints the four category
scores per page and the lowest of each; target: 95 or more in every category
on every page. A benchmark, not a test: the performance score moves with the
machine's load.

The pages are served gzip-compressed, as every static host serves them
(Python's own file server does not compress, and Lighthouse would measure that).
"""

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.bench_browser import CHROMIUM, CHROMIUM_ARGS, SiteHandler, SiteServer, build_site  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGET = 95
COMPRESSED = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".py", ".wasm")


class CompressingHandler(SiteHandler):
    """The site handler, gzip-compressing text files for a client that accepts it."""

    def do_GET(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if (
            "gzip" not in self.headers.get("Accept-Encoding", "")
            or not path.endswith(COMPRESSED)
            or not os.path.isfile(path)
            or self.path.split("?")[0] == "/sitemap.xml"
        ):
            return SiteHandler.do_GET(self)
        with open(path, "rb") as handle:
            body = gzip.compress(handle.read(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def site_pages(site_dir):
    """Every page of the sitemap, as paths relative to the site's root."""
    sitemap = (Path(site_dir) / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    root = locs[0] if locs else ""
    return [loc[len(root) :] for loc in locs]


def lighthouse(url, out_path, chrome_path):
    """Lighthouse's JSON report of one page: {category: score 0-100}, and the audits that cost points."""
    flags = " ".join(["--headless=new"] + [flag for flag in CHROMIUM_ARGS if flag != "--disable-gpu"])
    env = dict(os.environ, CHROME_PATH=chrome_path)
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            "--output-path=%s" % out_path,
            "--only-categories=%s" % ",".join(CATEGORIES),
            "--chrome-flags=%s" % flags,
        ],
        env=env,
        check=True,
        timeout=300,
    )
    report = json.loads(Path(out_path).read_text(encoding="utf-8"))
    scores = {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}
    losses = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit.get("score") is not None and audit["score"] < 0.9:
                losses.append("%s: %s (%s)" % (name, audit["title"], audit.get("displayValue", "")))
    return scores, losses


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", help="an already built site (default: build one)")
    parser.add_argument("--keep", help="a folder to keep Lighthouse's JSON reports in")
    parser.add_argument("pages", nargs="*", help="paths under the site's root (default: every page)")
    args = parser.parse_args(argv)
    chrome_path = os.environ.get("CHROME_PATH", CHROMIUM)
    if not LIGHTHOUSE.exists():
        sys.exit("%s is missing: run `make setup` (npm ci) first" % LIGHTHOUSE)
    if not os.path.exists(chrome_path):
        sys.exit("no Chromium at %s (make browser-deps, or set CHROME_PATH)" % chrome_path)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(args.site) if args.site else Path(tmp) / "site"
        if not args.site:
            build_site(site)
        pages = args.pages or site_pages(site)
        lowest = dict.fromkeys(CATEGORIES, 100)
        print("%-36s %s" % ("page", "  ".join("%13s" % name for name in CATEGORIES)))
        with SiteServer(site, CompressingHandler) as server:
            reports = Path(args.keep) if args.keep else Path(tmp)
            reports.mkdir(parents=True, exist_ok=True)
            for page in pages:
                out_path = str(reports / ("%s.json" % (page.strip("/").replace("/", "-") or "home")))
                try:
                    scores, losses = lighthouse(server.url + page, out_path, chrome_path)
                except (subprocess.CalledProcessError, subprocess.TimeoutExpired, KeyError, ValueError) as err:
                    print("%-36s Lighthouse failed: %s" % (page or "(home)", err), flush=True)
                    lowest = dict.fromkeys(CATEGORIES, 0)
                    continue
                for name in CATEGORIES:
                    lowest[name] = min(lowest[name], scores[name])
                print(
                    "%-36s %s" % (page or "(home)", "  ".join("%13d" % scores[name] for name in CATEGORIES)), flush=True
                )
                for loss in losses:
                    print("    - %s" % loss)
    missed = [name for name in CATEGORIES if lowest[name] < TARGET]
    print(
        "lowest: %s; target >= %d %s"
        % (
            ", ".join("%s %d" % (name, lowest[name]) for name in CATEGORIES),
            TARGET,
            "MISSED: " + ", ".join(missed) if missed else "ok",
        )
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
