// The browser check's Python, in a module Web Worker so the page stays responsive.
//
// The page sends {type: "init", runtime, siteURL}: runtime is what the site
// build recorded (macros/browser_assets.py): the address, size and sha256 of
// each runtime file and of check.py, and Pyodide's lock file header. The
// worker downloads those files itself, counting bytes for the page
// ({type: "progress", loaded, total}), checks each against its sha256 before
// using a byte of it, starts Pyodide from them, runs check.py as a module (it
// defines the checks package and the embedded rules, and runs nothing) and
// answers {type: "check" | "paste", id, release, ...} with {type: "result", id, result}:
// release is the version whose requirements to judge against ("": the default).
//
// Nothing leaves the site: a worker is not covered by the page's
// Content-Security-Policy (only by headers on this file, which a static host
// may not send), so before anything else runs, fetch, XMLHttpRequest,
// importScripts, WebSocket, EventSource and nested workers are limited to GETs
// on the site's own origin (and the Pyodide address the site config names).
//
// An error of Python's own ends as one sentence; an error that may have broken
// the interpreter (a Pyodide fatal error, a stack overflow) is answered with
// {fatal: true}, and the page starts a fresh worker.

const started = performance.now();
const ORIGINS = new Set([self.location.origin]);
const EXPECTED = new Map();           // absolute URL -> {kind, sha256, bytes}

// --- nothing leaves the site -------------------------------------------------

const realFetch = self.fetch.bind(self);
const RealXHR = self.XMLHttpRequest;

function blocked(what) {
  return new TypeError("blocked: the browser check loads nothing from outside this site (" + what + ")");
}

function onSite(url) {
  let parsed;
  try {
    parsed = new URL(String(url), self.location.href);
  } catch (error) {
    return false;
  }
  return (parsed.protocol === "https:" || parsed.protocol === "http:") && ORIGINS.has(parsed.origin);
}

function lock(name, value) {
  Object.defineProperty(self, name, {value, writable: false, configurable: false});
}

lock("fetch", function fetch(input, init) {
  let request;
  try {
    request = new Request(input, init);
  } catch (error) {
    return Promise.reject(error);
  }
  if (request.method !== "GET" || !onSite(request.url)) return Promise.reject(blocked(request.url));
  const expected = EXPECTED.get(request.url);
  return expected ? verifiedResponse(request.url, expected) : realFetch(request);
});

// A runtime file is downloaded once, whoever asks for it first. Each asker gets
// a stream of its bytes as they arrive (so the wasm compiles while it downloads),
// and every stream ends only once the whole file has passed its sha256 check: a
// file that fails it never completes, so nothing is made of it.
const DOWNLOADS = new Map();          // absolute URL -> Download

function download(url) {
  if (!DOWNLOADS.has(url)) DOWNLOADS.set(url, new Download(url, EXPECTED.get(url)));
  return DOWNLOADS.get(url);
}

function verifiedResponse(url, expected) {
  return Promise.resolve(new Response(download(url).stream(), {
    status: 200, headers: {"Content-Type": TYPES[expected.kind] || "application/octet-stream"}}));
}

class Download {
  constructor(url, expected) {
    this.chunks = [];
    this.readers = new Set();
    this.state = "running";
    this.error = null;
    this.checked = checkedBytes(url, expected, (chunk) => {
      this.chunks.push(chunk);
      for (const reader of this.readers) reader.flush();
    });
    this.checked.then(() => this.settle("done", null), (error) => this.settle("failed", error));
  }

  settle(state, error) {
    this.state = state;
    this.error = error;
    for (const reader of [...this.readers]) reader.end();
  }

  stream() {
    const download = this;
    let reader = null;
    return new ReadableStream({
      start(controller) {
        let sent = 0;
        reader = {
          flush() {
            while (sent < download.chunks.length) controller.enqueue(download.chunks[sent++].slice());
          },
          end() {
            reader.flush();
            download.readers.delete(reader);
            if (download.state === "done") controller.close();
            else controller.error(download.error);
          },
        };
        download.readers.add(reader);
        if (download.state === "running") reader.flush();
        else reader.end();
      },
      cancel() {
        download.readers.delete(reader);
      },
    });
  }
}

if (RealXHR) {
  const open = RealXHR.prototype.open;
  Object.defineProperty(RealXHR.prototype, "open", {writable: false, configurable: false,
    value: function (method, url, ...rest) {
      if (String(method).toUpperCase() !== "GET" || !onSite(url)) throw blocked(url);
      return open.call(this, method, url, ...rest);
    }});
}

lock("importScripts", function importScripts(...urls) {
  throw blocked(urls.join(", "));
});

for (const name of ["WebSocket", "EventSource", "WebTransport", "Worker", "SharedWorker"]) {
  if (name in self) {
    lock(name, function () { throw blocked(name); });
  }
}

// --- the runtime's files, checked against the build's sha256 ----------------

const TYPES = {loader: "text/javascript", module: "text/javascript", wasm: "application/wasm",
               stdlib: "application/zip", script: "text/x-python"};
let totalBytes = 0;
let loadedBytes = 0;
let lastProgress = 0;

function post(message) {
  self.postMessage(message);
}

function stage(name) {
  post({type: "stage", stage: name, ms: Math.round(performance.now() - started)});
}

function progress(force) {
  const now = performance.now();
  if (force || now - lastProgress > 100) {
    lastProgress = now;
    post({type: "progress", loaded: loadedBytes, total: totalBytes});
  }
}

class IntegrityError extends Error {}

async function checkedBytes(url, expected, onChunk) {
  const response = await realFetch(url, {credentials: "same-origin"});
  if (!response.ok) throw new Error(url.split("/").pop() + ": HTTP " + response.status);
  const chunks = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const {done, value} = await reader.read();
    if (done) break;
    onChunk(value);
    chunks.push(value);
    size += value.length;
    loadedBytes += value.length;
    progress(false);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  if (!self.crypto || !self.crypto.subtle) {
    throw new IntegrityError("this page is not served over HTTPS, so the browser cannot check the files it loads");
  }
  const digest = new Uint8Array(await self.crypto.subtle.digest("SHA-256", bytes));
  if (base64(digest) !== expected.sha256) {
    throw new IntegrityError(url.split("/").pop().split("?")[0] + " is not the file this site was built with " +
                             "(its sha256 differs), so it was not used");
  }
  return bytes;
}

function base64(bytes) {
  let text = "";
  for (let index = 0; index < bytes.length; index++) text += String.fromCharCode(bytes[index]);
  return btoa(text);
}

async function verifiedModule(url) {
  const blob = new Blob([await download(url).checked], {type: "text/javascript"});
  const address = URL.createObjectURL(blob);
  try {
    return await import(address);
  } finally {
    URL.revokeObjectURL(address);
  }
}

// --- Python ------------------------------------------------------------------

// Each call returns JSON text; an exception of Python's own becomes a refusal
// that names only its type: a traceback never reaches the page.
const SETUP = `
import json
_namespace = {"__name__": "invoke_check", "__file__": "check.py"}
exec(compile(CHECK_SCRIPT, "check.py", "exec"), _namespace)
_namespace["_install_embedded_modules"]()
del CHECK_SCRIPT
from checks.browser import run_browser_check, run_paste
from checks.site_links import script_command
from checks.render.html import render_error


def _answer(function, argument, site_url, release):
    try:
        return json.dumps(function(argument, site_url, release))
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:
        sentence = ("The check stopped on an unexpected error (%s): please report it, with what you pasted"
                    % type(exc).__name__)
        return json.dumps({"report": None, "error": sentence,
                           "html": render_error(sentence + ".", script_command(site_url))})
`;

let ready = null;
let siteURL = "";

function absolute(url) {
  return new URL(url, siteURL).href;
}

async function start(message) {
  siteURL = message.siteURL;
  const runtime = message.runtime;
  const indexURL = absolute(runtime.indexURL);
  ORIGINS.add(new URL(indexURL).origin);
  for (const [kind, file] of Object.entries(runtime.files)) {
    EXPECTED.set(absolute(file.url), {kind, sha256: file.sha256, bytes: file.bytes});
    totalBytes += file.bytes;
  }
  const url = (kind) => absolute(runtime.files[kind].url);
  stage("downloading");
  progress(true);
  // All at once: the wasm and the standard library download while the loader starts.
  const script = download(url("script")).checked.then((bytes) => new TextDecoder().decode(bytes));
  let downloadedAt = 0;
  const files = Promise.all([script, download(url("wasm")).checked, download(url("stdlib")).checked]).then(() => {
    downloadedAt = performance.now();
    progress(true);
    stage("starting");
  });
  files.catch(() => {});
  const [{loadPyodide}, {default: createPyodideModule}] = await Promise.all([
    verifiedModule(url("loader")), verifiedModule(url("module"))]);
  // A file that fails its check stops the start (Pyodide may wait for ever on a wasm that never came).
  const refused = files.then(() => new Promise(() => {}));
  let pyodide;
  try {
    pyodide = await Promise.race([refused, loadPyodide({
      indexURL, createPyodideModule, stdLibURL: url("stdlib"), lockFileContents: runtime.lockFile, packages: [],
    })]);
  } catch (error) {
    await files;          // a file that failed its check says so, rather than what Pyodide made of it
    throw error;
  }
  await files;
  DOWNLOADS.clear();      // Pyodide has its copies
  const loadedAt = performance.now();
  stage("loading-checks");
  pyodide.globals.set("CHECK_SCRIPT", await script);
  pyodide.runPython(SETUP);
  const api = {
    check: pyodide.globals.get("run_browser_check"),
    paste: pyodide.globals.get("run_paste"),
    answer: pyodide.globals.get("_answer"),
  };
  post({type: "ready", ms: Math.round(performance.now() - started), downloadedMs: Math.round(downloadedAt - started),
        loadPyodideMs: Math.round(loadedAt - started)});
  return api;
}

function run(api, message) {
  const argument = message.type === "check" ? JSON.stringify(message.info) : String(message.text || "");
  return JSON.parse(api.answer(api[message.type], argument, siteURL, String(message.release || "")));
}

function describe(error) {
  return String(error && error.message || error).split("\n")[0];
}

self.onmessage = async (event) => {
  const message = event.data || {};
  if (message.type === "init") {
    if (!ready) {
      ready = start(message);
      ready.catch((error) => post({type: "failed", message: describe(error)}));
    }
    return;
  }
  if (message.type !== "check" && message.type !== "paste") return;
  let api;
  try {
    api = await ready;
  } catch (error) {
    return post({type: "result", id: message.id, failed: describe(error)});
  }
  try {
    post({type: "result", id: message.id, result: run(api, message)});
  } catch (error) {
    // _answer turns Python's own exceptions into a refusal, so what arrives here
    // (a Pyodide fatal error, a stack overflow, memory) may have broken the interpreter.
    post({type: "result", id: message.id, fatal: true,
          failed: "the checker stopped (" + (error && (error.type || error.name) || "error") +
                  ") and starts again: try once more"});
  }
};
