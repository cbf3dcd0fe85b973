"""Benchmark: click-to-verdict of the check page's browser check, in headless Chromium.

Builds the site (or takes --site DIR), serves it on 127.0.0.1 and measures, in
one run:

  bare   loadPyodide() alone from the site's copy, in a fresh context: the floor
  cold   a fresh context opens the check page and clicks at once: click to verdict
  warm   the same page clicked again after its worker is ready: click to verdict

Click-to-verdict runs from the click to the verdict on screen (the page's
own clock). Targets: warm under 300 ms; cold at most 1.2x bare loadPyodide.

The server and browser helpers here are shared with tests/browser.
"""
import argparse
import functools
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium reaches out to Google.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
CHECK_PAGE = "check/"
PYODIDE_DIR = "assets/vendor/pyodide/"
WARM_TARGET_MS = 300
COLD_TARGET_RATIO = 1.2


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves the built site; its sitemap names this server, as `mkdocs serve` does.

    Material's instant navigation only intercepts links listed in sitemap.xml,
    and it maps the sitemap's URLs to this host but not to this port.
    """
    site_url = ""
    local_url = ""

    def do_GET(self):
        if self.path.split("?")[0] != "/sitemap.xml" or not self.site_url:
            return SimpleHTTPRequestHandler.do_GET(self)
        with open(os.path.join(self.directory, "sitemap.xml"), encoding="utf-8") as handle:
            body = handle.read().replace(self.site_url, self.local_url).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

    def handle(self):
        try:
            SimpleHTTPRequestHandler.handle(self)
        except ConnectionError:
            pass          # the browser closed a context mid-download


class SiteServer(object):
    """The built site on http://127.0.0.1:<free port>/, in a thread; use as a context manager."""

    def __init__(self, site_dir, handler_class=None):
        handler = type("Handler", (handler_class or SiteHandler,), {"site_url": canonical_root(site_dir)})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site_dir)))
        self.url = "http://127.0.0.1:%d/" % self.httpd.server_address[1]
        handler.local_url = self.url
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def canonical_root(site_dir):
    """The site_url the site was built for: the home page's canonical link."""
    index = Path(site_dir) / "index.html"
    found = re.search(r'<link rel="canonical" href="([^"]+)"', index.read_text(encoding="utf-8")) \
        if index.is_file() else None
    return found.group(1) if found else ""


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def wait_ready(page, timeout_ms=60000):
    page.wait_for_selector('#browser-check[data-state="ready"], #browser-check[data-state="failed"]',
                           timeout=timeout_ms)
    state = page.get_attribute("#browser-check", "data-state")
    if state != "ready":
        raise RuntimeError("the browser check did not start: %s" % page.inner_text("#browser-check"))


ARM_TIMER = """() => { const root = document.getElementById("browser-check");
    window.__timing = new Promise((resolve) => {
        let clicked = null;
        root.querySelector(".bc-run").addEventListener("click", () => { clicked = performance.now(); },
                                                       {once: true, capture: true});
        root.addEventListener("browser-check:answer",
                              () => resolve({click: clicked, answer: performance.now()}), {once: true});
    }); }"""


def click_to_verdict(page, timeout_ms=60000):
    """Click the button; (ms from click to the answer on screen, ms from navigation start to it)."""
    page.evaluate(ARM_TIMER)
    page.click("#browser-check .bc-run")
    timing = page.evaluate("() => window.__timing")
    page.wait_for_selector("#browser-check .bc-verdict", timeout=timeout_ms)
    return timing["answer"] - timing["click"], timing["answer"]


BARE_LOAD = """async (indexURL) => {
    const start = performance.now();
    const {loadPyodide} = await import(indexURL + "pyodide.mjs");
    const pyodide = await loadPyodide({indexURL, packages: []});
    pyodide.runPython("1 + 1");
    return performance.now() - start;
}"""


def bare_load_ms(browser, url):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url + "404.html")
        return float(page.evaluate(BARE_LOAD, url + PYODIDE_DIR))
    finally:
        context.close()


def cold_and_warm_ms(browser, url):
    """Cold (click as soon as the button shows) and warm (median of 5 once ready) runs in a fresh context.

    ((click to verdict, navigation start to verdict), warm click to verdict) in ms.
    """
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url + CHECK_PAGE, wait_until="commit")
        page.wait_for_selector("#browser-check .bc-run")
        cold = click_to_verdict(page)
        wait_ready(page)
        warm = [click_to_verdict(page)[0] for _ in range(5)]
        return cold, statistics.median(warm)
    finally:
        context.close()


def build_site(site_dir):
    from tools.site_build import build_site as build

    result = build(ROOT, site_dir)
    if result.returncode != 0:
        sys.exit("mkdocs build failed:\n%s%s" % (result.stdout, result.stderr))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", help="an already built site (default: build one)")
    parser.add_argument("--runs", type=int, default=3, help="cold/bare pairs to run (default 3)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(args.site) if args.site else Path(tmp) / "site"
        if not args.site:
            build_site(site)
        with SiteServer(site) as server, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            bare, cold, from_start, warm = [], [], [], []
            try:
                for _ in range(args.runs):   # alternate, so both see the same machine state
                    bare.append(bare_load_ms(browser, server.url))
                    (cold_ms, start_ms), warm_ms = cold_and_warm_ms(browser, server.url)
                    cold.append(cold_ms)
                    from_start.append(start_ms)
                    warm.append(warm_ms)
            finally:
                browser.close()
    bare_ms, cold_ms, warm_ms = statistics.median(bare), statistics.median(cold), statistics.median(warm)
    ratio = cold_ms / bare_ms
    print("bare loadPyodide   %7.0f ms  (runs: %s)" % (bare_ms, ", ".join("%.0f" % v for v in bare)))
    print("cold click-verdict %7.0f ms  (runs: %s)  = %.2fx bare, target <= %.1fx %s" % (
        cold_ms, ", ".join("%.0f" % v for v in cold), ratio, COLD_TARGET_RATIO,
        "ok" if ratio <= COLD_TARGET_RATIO else "MISSED"))
    print("cold page-verdict  %7.0f ms  (from navigation start, the page included)" % statistics.median(from_start))
    print("warm click-verdict %7.0f ms  (runs: %s)  target < %d ms %s" % (
        warm_ms, ", ".join("%.0f" % v for v in warm), WARM_TARGET_MS, "ok" if warm_ms < WARM_TARGET_MS else "MISSED"))
    return 0 if ratio <= COLD_TARGET_RATIO and warm_ms < WARM_TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
