"""The check page against hostile pastes, a broken interpreter, tampered files and requests to elsewhere.

Each test here failed on the page before these defences: a deep JSON paste
showed "Maximum call stack size exceeded" (or broke the instance), a fatal
error left the worker unusable, a changed check.py ran, the worker could fetch
another origin, inline scripts ran under 'unsafe-inline', and the runtime
downloaded on page load.
"""

import html
import json
import re
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from checks.facts import FACTS_SCHEMA, new_facts
from tools.bench_browser import CHECK_PAGE, SiteServer, wait_ready

pytestmark = pytest.mark.browser

TRACEBACK = re.compile(r"Traceback|File \"|line \d+, in|Maximum call stack|Error:")


def deep(depth):
    return '{"schema": "%s", "gpus": ' % FACTS_SCHEMA + "[" * depth + "]" * depth + "}"


def worker(page):
    wait_ready(page)
    workers = [item for item in page.workers if item.url.endswith("/browser-check-worker.js")]
    assert len(workers) == 1, page.workers
    return workers[0]


@pytest.mark.parametrize("depth", [3000, 100000])
def test_deep_json_is_refused_and_the_checker_keeps_working(check_page, depth):
    assert check_page.paste(deep(depth)) == []
    message = check_page.message()
    assert "nested more than" in message and not TRACEBACK.search(message), message
    assert check_page.page.get_attribute("#browser-check .bc-result", "data-verdict") == "refused"
    assert check_page.paste(json.dumps(new_facts("file"))), "the checker no longer answers after the deep paste"


@pytest.mark.parametrize("section, value", [("browser", ["x"]), ("gpus", [["x"]]), ("os", [1]), ("unknown", {"a": 5})])
def test_pasted_facts_of_the_wrong_type_show_a_sentence_not_a_traceback(check_page, section, value):
    facts = new_facts("browser")
    facts[section] = value
    check_page.paste(json.dumps(facts))
    message = check_page.message()
    assert not TRACEBACK.search(message), message


def test_a_fatal_error_starts_a_fresh_worker(check_page):
    """A broken interpreter (here: the worker's JSON.parse made to overflow the stack) is replaced, not reused."""
    page = check_page.page
    broken = worker(page)
    broken.evaluate("() => { JSON.parse = () => { throw new RangeError('Maximum call stack size exceeded'); }; }")
    check_page.paste("not a report")
    message = check_page.message()
    assert "starts again" in message and "Maximum call stack" not in message, message
    wait_ready(page)
    assert check_page.paste(json.dumps(new_facts("file"))), "the page kept the broken worker"
    assert broken not in page.workers


class _Witness(BaseHTTPRequestHandler):
    """Another origin (another port): records every request that reaches it."""

    hits = []

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(b"reached")

    do_POST = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture()
def elsewhere():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Witness)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    del _Witness.hits[:]
    yield "http://127.0.0.1:%d/" % server.server_address[1]
    server.shutdown()
    server.server_close()


ATTEMPTS = """async (target) => {
    const tried = {};
    const attempt = async (name, run) => {
        try { await run(); tried[name] = "sent"; } catch (error) { tried[name] = String(error.message || error); }
    };
    await attempt("fetch", () => fetch(target + "fetch"));
    await attempt("post", () => fetch(self.location.origin + "/", {method: "POST", body: "x"}));
    await attempt("xhr", () => new Promise((resolve, reject) => {
        const request = new XMLHttpRequest();
        request.open("GET", target + "xhr");
        request.onload = resolve; request.onerror = reject; request.send();
    }));
    await attempt("importScripts", () => importScripts(target + "script.js"));
    await attempt("websocket", () => new WebSocket(target.replace("http", "ws") + "socket"));
    await attempt("eventsource", () => new EventSource(target + "events"));
    try { self.fetch = null; } catch (error) { /* read-only */ }
    tried.replaced = self.fetch === null;
    return tried;
}"""


def test_the_worker_sends_nothing_to_another_origin(check_page, elsewhere):
    tried = worker(check_page.page).evaluate(ATTEMPTS, elsewhere)
    assert _Witness.hits == [], _Witness.hits
    assert tried.pop("replaced") is False, "the worker's fetch could be put back"
    assert all(why != "sent" for why in tried.values()), tried
    assert all("blocked" in tried[name] for name in ("fetch", "post", "xhr", "importScripts", "websocket")), tried


def test_the_policy_runs_only_the_sites_own_inline_scripts(chromium, site_url, built_site):
    html = (built_site / CHECK_PAGE / "index.html").read_text(encoding="utf-8")
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)
    script_src = [part for part in policy.split("; ") if part.startswith("script-src ")][0].split()
    assert "'unsafe-inline'" not in script_src and any(word.startswith("'sha256-") for word in script_src)
    context = chromium.new_context()
    try:
        page = context.new_page()
        violations = []
        page.on(
            "console",
            lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
        )
        page.goto(site_url + CHECK_PAGE)
        assert violations == [], violations  # Material's own inline scripts ran
        assert page.evaluate("() => typeof __md_scope !== 'undefined'")
        page.evaluate("""() => { const script = document.createElement("script");
            script.textContent = "window.__injected = true;"; document.head.appendChild(script); }""")
        assert page.evaluate("() => window.__injected === undefined")
        assert any("Content Security Policy" in text for text in violations)
    finally:
        context.close()


def test_the_runtime_waits_for_intent_and_shows_its_progress(chromium, site_url):
    context = chromium.new_context(viewport={"width": 1000, "height": 500})
    try:
        requested = []
        context.on("request", lambda request: requested.append(request.url))
        page = context.new_page()
        page.goto(site_url + CHECK_PAGE, wait_until="networkidle")
        page.wait_for_timeout(500)
        assert not [url for url in requested if "/pyodide/" in url or url.endswith("check.py")]
        assert "when you use it" in page.inner_text("#browser-check .bc-stage")
        page.evaluate("""() => { window.__stages = [];
            new MutationObserver(() => window.__stages.push(document.querySelector("#browser-check .bc-stage").textContent))
                .observe(document.querySelector("#browser-check .bc-stage"), {childList: true, characterData: true, subtree: true}); }""")
        page.hover("#browser-check .bc-run")
        wait_ready(page)
        stages = page.evaluate("() => window.__stages")
        downloading = [text for text in stages if text.startswith("Downloading")]
        assert downloading and all(re.search(r": \d+\.\d MB of \d+\.\d MB", text) for text in downloading), stages
        assert "Starting Python…" in stages or "Loading the checks…" in stages, stages
        assert any("/pyodide/" in url for url in requested)
    finally:
        context.close()


@pytest.mark.parametrize("victim", ["check.py", "stdlib", "wasm"])
def test_a_changed_runtime_file_is_not_used(chromium, built_site, tmp_path, victim):
    site = tmp_path / "site"
    shutil.copytree(str(built_site), str(site))
    runtime = json.loads(
        html.unescape(
            re.search(r'data-runtime="([^"]+)"', (site / CHECK_PAGE / "index.html").read_text(encoding="utf-8")).group(
                1
            )
        )
    )
    path = site / ("check.py" if victim == "check.py" else runtime["files"][victim]["url"])
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1  # one bit of one byte
    path.write_bytes(bytes(data))
    context = chromium.new_context()
    try:
        with SiteServer(site) as server:
            page = context.new_page()
            page.goto(server.url + CHECK_PAGE)
            page.hover("#browser-check .bc-run")
            page.wait_for_selector(
                '#browser-check[data-state="failed"], #browser-check[data-state="ready"]', timeout=60000
            )
            assert page.get_attribute("#browser-check", "data-state") == "failed"
            assert "is not the file this site was built with" in page.inner_text("#browser-check .bc-result")
    finally:
        context.close()


WORKER_POLICY = "default-src 'self'; script-src 'self' blob: 'wasm-unsafe-eval'"


def test_the_worker_runs_under_the_policy_the_docs_give_the_host(chromium, built_site, elsewhere):
    """With the header docs/development/browser.md gives for the worker's file, the check still runs."""
    docs = (built_site / "development" / "browser" / "index.html").read_text(encoding="utf-8")
    assert WORKER_POLICY in docs, "the documented header changed: update this test with it"
    context = chromium.new_context()
    try:
        with SiteServer(
            built_site, extra_headers={"/browser-check-worker.js": {"Content-Security-Policy": WORKER_POLICY}}
        ) as server:
            page = context.new_page()
            page.goto(server.url + CHECK_PAGE)
            page.hover("#browser-check .bc-run")
            page.wait_for_selector(
                '#browser-check[data-state="failed"], #browser-check[data-state="ready"]', timeout=120000
            )
            assert page.get_attribute("#browser-check", "data-state") == "ready", page.inner_text("#browser-check")
            page.fill("#bc-paste-text", json.dumps(new_facts("file")))
            page.click("#browser-check .bc-paste-run")
            page.wait_for_selector("#browser-check .bc-verdict", timeout=60000)
            worker(page).evaluate(ATTEMPTS, elsewhere)
            assert _Witness.hits == []
    finally:
        context.close()
