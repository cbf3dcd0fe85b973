"""One headless Chromium per session, the built site served on 127.0.0.1, and a check page kept warm.

The check page loads Pyodide once (3-5 s here); the tests share that page and
move between cases with the site's instant navigation, as a reader would.
"""

import os
from urllib.parse import urlsplit

import pytest

from tools.bench_browser import CHECK_PAGE, CHROMIUM, SiteServer, launch_chromium, wait_ready

# Init script: stands in for what the browser reports when window.__fake is set,
# and leaves the real APIs alone while it is null.
FAKE_BROWSER = """
(() => {
  window.__fake = null;
  const nav = Navigator.prototype;
  const real = (name) => Object.getOwnPropertyDescriptor(nav, name);
  const realAgent = real("userAgent"), realData = real("userAgentData"), realGpu = real("gpu");
  Object.defineProperty(nav, "userAgent", {configurable: true, get() {
    return window.__fake ? window.__fake.userAgent : realAgent.get.call(this); }});
  Object.defineProperty(nav, "userAgentData", {configurable: true, get() {
    const fake = window.__fake;
    if (!fake) return realData ? realData.get.call(this) : undefined;
    return {platform: fake.platform, mobile: false, getHighEntropyValues: async () =>
      ({architecture: fake.architecture, bitness: "64", platformVersion: ""})};
  }});
  Object.defineProperty(nav, "gpu", {configurable: true, get() {
    const fake = window.__fake;
    if (!fake) return realGpu ? realGpu.get.call(this) : undefined;
    return {requestAdapter: async () => (fake.webgpu ? {info: fake.webgpu} : null)};
  }});
  const getContext = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
    const fake = window.__fake;
    if (!fake || !String(type).includes("webgl")) return getContext.call(this, type, ...rest);
    if (!fake.renderer) return null;
    return {
      RENDERER: 7937, VENDOR: 7936,
      getExtension: (name) => name === "WEBGL_debug_renderer_info"
        ? {UNMASKED_RENDERER_WEBGL: 37446, UNMASKED_VENDOR_WEBGL: 37445} : null,
      getParameter: (what) => (what === 37446 ? fake.renderer : what === 37445 ? fake.vendor || "" : null),
    };
  };
})();
"""


class CheckPage(object):
    """The check page in one browser context, with every request and console message it caused."""

    def __init__(self, context, url):
        self.context = context
        self.url = url
        self.requests = []
        self.console = []
        context.on("request", lambda request: self.requests.append((request.method, request.url)))
        self.page = context.new_page()
        self.page.on("console", lambda message: self.console.append((message.type, message.text)))
        self.page.goto(url + CHECK_PAGE)
        self.page.hover("#browser-check .bc-run")  # intent: the runtime starts
        wait_ready(self.page)

    def findings(self):
        """[{id, status, detail}] as the page shows them."""
        return self.page.evaluate("""() => [...document.querySelectorAll("#browser-check .bc-finding")].map((li) => ({
            id: li.dataset.rule,
            status: [...li.classList].find((name) => name.startsWith("bc-status--")).slice("bc-status--".length),
            detail: (li.querySelector(".bc-detail") || {textContent: ""}).textContent}))""")

    def models(self):
        return self.page.evaluate("""() => [...document.querySelectorAll("#browser-check .bc-models tbody tr")].map(
            (tr) => [tr.querySelector("th").textContent,
                     [...tr.classList].find((name) => name.startsWith("bc-status--")).slice("bc-status--".length)])""")

    def answer(self, button):
        """Click a button of the widget and wait for its answer."""
        self.page.evaluate("""() => { window.__answered = new Promise((resolve) =>
            document.getElementById("browser-check").addEventListener("browser-check:answer", resolve, {once: true})); }""")
        self.page.click("#browser-check " + button)
        self.page.evaluate("() => window.__answered.then(() => true)")

    def check_machine(self):
        self.answer(".bc-run")
        return self.findings()

    def paste(self, text):
        self.page.fill("#bc-paste-text", text)
        self.answer(".bc-paste-run")
        return self.findings()

    def message(self):
        return self.page.inner_text("#browser-check .bc-result")

    def foreign_requests(self):
        origin = urlsplit(self.url).netloc
        return [
            (method, url)
            for method, url in self.requests
            if method != "GET"
            or (urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != origin)
            or urlsplit(url).scheme not in ("http", "https", "data", "blob")
        ]


@pytest.fixture(scope="session")
def site_url(built_site):
    with SiteServer(built_site) as server:
        yield server.url


@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's Chromium is not installed (make browser-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def check_page(chromium, site_url):
    context = chromium.new_context()
    context.add_init_script(FAKE_BROWSER)
    page = CheckPage(context, site_url)
    yield page
    context.close()
