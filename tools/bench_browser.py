"""Benchmark: bytes and click-to-verdict of the check page's browser check, in headless Chromium.

Builds the site (or takes --site DIR), serves it on 127.0.0.1 with gzip, as a
static host serves it, and measures, in one run:

  bytes  what a first visit of the check page transfers up to the verdict, raw and gzip
  bare   loadPyodide() alone from the files the page uses, in a fresh context: the floor
  cold   a fresh context opens the check page and clicks at once: click to verdict
  warm   the same page clicked again after its worker is ready: click to verdict
  slow   cold again with the network throttled by Chromium DevTools
         (Network.emulateNetworkConditions: 10 Mbit/s down, 40 ms latency)

Click-to-verdict runs from the click to the verdict on screen (the page's
own clock). Targets: page <= 4.5 MB gzip; warm under 300 ms; cold at most
1.2x bare loadPyodide; cold at 10 Mbit/s / 40 ms at most 8 s.

The server and browser helpers here are shared with tests/browser.
"""

import argparse
import functools
import gzip
import json
import os
import re
import statistics
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium reaches out to Google.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CHECK_PAGE = "check/"
PYODIDE_DIR = "assets/vendor/pyodide/"
WARM_TARGET_MS = 300
COLD_TARGET_RATIO = 1.2
SLOW_TARGET_MS = 8000
PAGE_TARGET_BYTES = 4.5e6
# What the throttled run emulates (DevTools wants bytes per second and ms).
SLOW_NETWORK = {"offline": False, "latency": 40, "downloadThroughput": 10e6 / 8, "uploadThroughput": 5e6 / 8}
# What a static host compresses: text and wasm, not archives or images.
GZIP_SUFFIXES = (".html", ".js", ".mjs", ".css", ".json", ".wasm", ".py", ".svg", ".xml", ".txt", ".map")


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves the built site; its sitemap names this server, as `mkdocs serve` does.

    Material's instant navigation only intercepts links listed in sitemap.xml,
    and it maps the sitemap's URLs to this host but not to this port.
    """

    site_url = ""
    local_url = ""
    gzip = False  # compress what a static host compresses, when the browser asks
    served = None  # a list that gets (path, bytes sent, bytes of the file) per answered GET
    extra_headers = {}  # {path suffix: {header: value}}: what a host configured to send them adds
    _compressed = {}

    extensions_map = dict(
        SimpleHTTPRequestHandler.extensions_map,
        **{".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript"},
    )

    def do_GET(self):
        if self.path.split("?")[0] != "/sitemap.xml" or not self.site_url:
            if self.gzip and "gzip" in (self.headers.get("Accept-Encoding") or ""):
                path = self.translate_path(self.path)
                if path.endswith(GZIP_SUFFIXES) and os.path.isfile(path):
                    return self._send_gzip(path)
            return self._count(SimpleHTTPRequestHandler.do_GET)
        with open(os.path.join(self.directory, "sitemap.xml"), encoding="utf-8") as handle:
            body = handle.read().replace(self.site_url, self.local_url).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self):
        for suffix, headers in self.extra_headers.items():
            if self.path.split("?")[0].endswith(suffix):
                for name, value in headers.items():
                    self.send_header(name, value)
        SimpleHTTPRequestHandler.end_headers(self)

    def _send_gzip(self, path):
        stamp = os.stat(path).st_mtime_ns
        cached = self._compressed.get(path)
        if cached is None or cached[0] != stamp:
            with open(path, "rb") as handle:
                raw = handle.read()
            cached = self._compressed[path] = (stamp, gzip.compress(raw, 6, mtime=0), len(raw))
        body = cached[1]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self._record(len(body), cached[2])

    def _count(self, answer):
        path = self.translate_path(self.path)
        answer(self)
        if os.path.isfile(path):
            size = os.path.getsize(path)
            self._record(size, size)

    def _record(self, sent, raw):
        if self.served is not None:
            self.served.append((self.path.split("?")[0], sent, raw))

    def log_message(self, *args):
        pass

    def handle(self):
        try:
            SimpleHTTPRequestHandler.handle(self)
        except ConnectionError:
            pass  # the browser closed a context mid-download


class SiteServer(object):
    """The built site on http://127.0.0.1:<free port>/, in a thread; use as a context manager."""

    def __init__(self, site_dir, gzip=False, extra_headers=None, handler_class=None):
        self.served = []
        handler = type(
            "Handler",
            (handler_class or SiteHandler,),
            {
                "site_url": canonical_root(site_dir),
                "gzip": gzip,
                "served": self.served,
                "_compressed": {},
                "extra_headers": extra_headers or {},
            },
        )
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
    found = (
        re.search(r'<link rel="canonical" href="([^"]+)"', index.read_text(encoding="utf-8"))
        if index.is_file()
        else None
    )
    return found.group(1) if found else ""


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def wait_ready(page, timeout_ms=60000):
    page.wait_for_selector(
        '#browser-check[data-state="ready"], #browser-check[data-state="failed"]', timeout=timeout_ms
    )
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


BARE_LOAD = """async (runtime) => {
    const start = performance.now();
    const {loadPyodide} = await import(runtime.indexURL + "pyodide.mjs");
    const options = {indexURL: runtime.indexURL, packages: []};
    if (runtime.stdLibURL) options.stdLibURL = runtime.stdLibURL;
    if (runtime.lockFile) options.lockFileContents = runtime.lockFile;
    const pyodide = await loadPyodide(options);
    pyodide.runPython("1 + 1");
    return performance.now() - start;
}"""


def page_runtime(page, url):
    """Where the check page's runtime is: {indexURL, stdLibURL, lockFile}, from the widget's settings."""
    settings = page.get_attribute("#browser-check", "data-runtime")
    if not settings:  # a site from before the runtime had settings: Pyodide's defaults
        return {"indexURL": url + PYODIDE_DIR}
    runtime = json.loads(settings)
    root = url
    return {
        "indexURL": root + runtime["indexURL"],
        "stdLibURL": root + runtime["files"]["stdlib"]["url"],
        "lockFile": runtime["lockFile"],
    }


def bare_load_ms(browser, url):
    """loadPyodide from the check page's own runtime files, without the check."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url + CHECK_PAGE, wait_until="commit")
        page.wait_for_selector("#browser-check", state="attached")
        runtime = page_runtime(page, url)
        page.goto(url + "404.html")
        return float(page.evaluate(BARE_LOAD, runtime))
    finally:
        context.close()


def slow_cold_ms(browser, url, server, network=SLOW_NETWORK):
    """A cold visit with DevTools network throttling: (click to verdict, navigation start to verdict, bytes,
    ms from the worker's start to its last runtime byte checked, or None).

    bytes is [(path, bytes sent, file size)] for everything the visit downloaded.
    """
    context = browser.new_context()
    try:
        page = context.new_page()
        devtools = context.new_cdp_session(page)
        devtools.send("Network.enable")
        devtools.send("Network.emulateNetworkConditions", network)
        del server.served[:]
        page.goto(url + CHECK_PAGE, wait_until="commit")
        page.wait_for_selector("#browser-check .bc-run")
        cold = click_to_verdict(page, timeout_ms=120000)
        timings = page.evaluate("() => window.__browserCheckTimings || {}")
        return cold[0], cold[1], list(server.served), timings.get("downloadedMs")
    finally:
        context.close()


def visit_bytes(browser, url, server):
    """[(path, bytes sent, file size)] of a first visit of the check page, up to the runtime being ready."""
    context = browser.new_context()
    try:
        page = context.new_page()
        del server.served[:]
        page.goto(url + CHECK_PAGE)
        page.hover("#browser-check .bc-run")
        wait_ready(page)
        page.wait_for_load_state("networkidle")
        return list(server.served)
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
        cold = click_to_verdict(page)  # the click's pointer is the intent that starts the runtime
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
    parser.add_argument("--slow-runs", type=int, default=2, help="throttled cold runs (default 2; 0: none)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(args.site) if args.site else Path(tmp) / "site"
        if not args.site:
            build_site(site)
        with SiteServer(site, gzip=True) as server, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            bare, cold, from_start, warm, slow = [], [], [], [], []
            try:
                served = visit_bytes(browser, server.url, server)
                for _ in range(args.runs):  # alternate, so both see the same machine state
                    bare.append(bare_load_ms(browser, server.url))
                    (cold_ms, start_ms), warm_ms = cold_and_warm_ms(browser, server.url)
                    cold.append(cold_ms)
                    from_start.append(start_ms)
                    warm.append(warm_ms)
                for _ in range(args.slow_runs):
                    slow.append(slow_cold_ms(browser, server.url, server))
            finally:
                browser.close()
    sent, raw = sum(item[1] for item in served), sum(item[2] for item in served)
    print(
        "check page bytes   %7.2f MB raw, %.2f MB gzip in %d requests, target <= %.1f MB gzip %s"
        % (raw / 1e6, sent / 1e6, len(served), PAGE_TARGET_BYTES / 1e6, "ok" if sent <= PAGE_TARGET_BYTES else "MISSED")
    )
    for path, item_sent, item_raw in sorted(served, key=lambda item: -item[1])[:6]:
        print("  %-52s %9d raw %9d sent" % (path[-52:], item_raw, item_sent))
    bare_ms, cold_ms, warm_ms = statistics.median(bare), statistics.median(cold), statistics.median(warm)
    ratio = cold_ms / bare_ms
    print("bare loadPyodide   %7.0f ms  (runs: %s)" % (bare_ms, ", ".join("%.0f" % v for v in bare)))
    print(
        "cold click-verdict %7.0f ms  (runs: %s)  = %.2fx bare, target <= %.1fx %s"
        % (
            cold_ms,
            ", ".join("%.0f" % v for v in cold),
            ratio,
            COLD_TARGET_RATIO,
            "ok" if ratio <= COLD_TARGET_RATIO else "MISSED",
        )
    )
    print("cold page-verdict  %7.0f ms  (from navigation start, the page included)" % statistics.median(from_start))
    print(
        "warm click-verdict %7.0f ms  (runs: %s)  target < %d ms %s"
        % (warm_ms, ", ".join("%.0f" % v for v in warm), WARM_TARGET_MS, "ok" if warm_ms < WARM_TARGET_MS else "MISSED")
    )
    slow_ms = statistics.median(item[0] for item in slow) if slow else None
    if slow:
        print(
            "cold at 10 Mbit/s  %7.0f ms  (runs: %s; from navigation start %s ms; %.2f MB sent)  target <= %d ms %s"
            % (
                slow_ms,
                ", ".join("%.0f" % item[0] for item in slow),
                ", ".join("%.0f" % item[1] for item in slow),
                sum(entry[1] for entry in slow[0][2]) / 1e6,
                SLOW_TARGET_MS,
                "ok" if slow_ms <= SLOW_TARGET_MS else "MISSED",
            )
        )
        if all(item[3] for item in slow):
            print(
                "  of which download  %5.0f ms  (worker start to the last runtime byte checked; floor %.0f ms at "
                "10 Mbit/s)" % (statistics.median(item[3] for item in slow), sent * 8 / 10e6 * 1000)
            )
    met = ratio <= COLD_TARGET_RATIO and warm_ms < WARM_TARGET_MS and sent <= PAGE_TARGET_BYTES
    return 0 if met and (slow_ms is None or slow_ms <= SLOW_TARGET_MS) else 1


if __name__ == "__main__":
    sys.exit(main())
