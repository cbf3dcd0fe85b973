// The browser check's Python, in a module Web Worker so the page stays responsive.
//
// The page sends {type: "init", indexURL, scriptURL, siteURL}; the worker loads
// Pyodide from indexURL (the site's own copy unless the site config names
// another), runs the site's check.py as a module (it defines the checks
// package and embedded rules, and runs nothing) and answers
// {type: "check" | "paste", id, ...} with {type: "result", id, result}.
// Nothing leaves the page: the only requests are for the runtime and check.py.

let ready = null;
let loaded = false;
let siteURL = "";
const started = performance.now();

function post(message) {
  self.postMessage(message);
}

function stage(name) {
  post({type: "stage", stage: name, ms: Math.round(performance.now() - started)});
}

// The runtime's two big files are fetched inside loadPyodide; their resource
// timing entries say when the download part is over and Python is starting.
function watchDownloads(indexURL) {
  const big = [indexURL + "pyodide.asm.wasm", indexURL + "python_stdlib.zip"];
  const done = new Set();
  try {
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (big.includes(entry.name)) done.add(entry.name);
      }
      if (done.size === big.length || loaded) {
        observer.disconnect();
        if (!loaded) stage("starting");
      }
    });
    observer.observe({type: "resource", buffered: true});
  } catch (error) {
    // No resource timing in this worker: the stages just skip "starting".
  }
}

const SETUP = `
import json
_namespace = {"__name__": "invoke_check", "__file__": "check.py"}
exec(compile(CHECK_SCRIPT, "check.py", "exec"), _namespace)
_namespace["_install_embedded_modules"]()
del CHECK_SCRIPT
from checks.browser import run_browser_check, run_paste


def _as_json(result):
    return json.dumps(result)
`;

async function start(message) {
  siteURL = message.siteURL;
  stage("downloading");
  watchDownloads(message.indexURL);
  const script = fetch(message.scriptURL).then((response) => {
    if (!response.ok) throw new Error("check.py: HTTP " + response.status);
    return response.text();
  });
  const {loadPyodide} = await import(message.indexURL + "pyodide.mjs");
  const pyodide = await loadPyodide({indexURL: message.indexURL, packages: []});
  const loadedAt = performance.now();
  loaded = true;
  stage("loading-checks");
  pyodide.globals.set("CHECK_SCRIPT", await script);
  pyodide.runPython(SETUP);
  const api = {
    check: pyodide.globals.get("run_browser_check"),
    paste: pyodide.globals.get("run_paste"),
    asJson: pyodide.globals.get("_as_json"),
  };
  post({type: "ready", ms: Math.round(performance.now() - started),
        loadPyodideMs: Math.round(loadedAt - started)});
  return api;
}

function run(api, message) {
  const argument = message.type === "check" ? JSON.stringify(message.info) : String(message.text || "");
  const result = api[message.type](argument, siteURL);
  try {
    return JSON.parse(api.asJson(result));
  } finally {
    result.destroy();
  }
}

self.onmessage = async (event) => {
  const message = event.data || {};
  if (message.type === "init") {
    if (!ready) {
      ready = start(message);
      ready.catch((error) => post({type: "failed", message: String(error && error.message || error)}));
    }
    return;
  }
  if (message.type !== "check" && message.type !== "paste") return;
  try {
    const api = await ready;
    post({type: "result", id: message.id, result: run(api, message)});
  } catch (error) {
    post({type: "result", id: message.id, failed: String(error && error.message || error)});
  }
};
