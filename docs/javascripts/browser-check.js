// The check page's "Check this browser's machine" button and paste box.
//
// Loaded on every page but inert where there is no #browser-check element, so
// no other page downloads any of the Python runtime. On the check page the
// runtime starts in a Web Worker as soon as the page is shown (also after
// Material's instant navigation), so a click after that answers at once.
// Everything is evaluated in this tab: nothing typed or detected is sent anywhere.
(function () {
  "use strict";

  // The site root, from this script's own address (javascripts/browser-check.js).
  var SCRIPT_SRC = document.currentScript && document.currentScript.src;
  var SITE_ROOT = SCRIPT_SRC ? new URL("../", SCRIPT_SRC).href : new URL("/", location.href).href;

  var STAGES = {
    downloading: "Downloading the Python runtime (once; your browser keeps it)…",
    starting: "Starting Python…",
    "loading-checks": "Loading the checks…",
    ready: "Ready: the check runs in this tab, and nothing leaves it.",
    checking: "Checking…"
  };

  var worker = null;        // one per tab, kept across instant navigations
  var workerState = "idle"; // idle | loading | ready | failed
  var workerStage = "downloading";
  var failure = "";
  var pending = {};         // request id -> {started, onDone}
  var nextId = 1;
  var browserInfo = null;   // a promise of what this browser says about the machine
  var view = null;          // the elements of the widget on the current page

  function startWorker(root) {
    if (worker || workerState === "failed") return;
    var reason = unsupportedReason();
    if (reason) return fail(reason);
    try {
      worker = new Worker(SITE_ROOT + "javascripts/browser-check-worker.js", {type: "module"});
    } catch (error) {
      return fail("this browser cannot start the checker (" + error.message + ")");
    }
    workerState = "loading";
    worker.onmessage = onWorkerMessage;
    worker.onerror = function (event) {
      fail("the checker did not start" + (event && event.message ? " (" + event.message + ")" : ""));
    };
    worker.postMessage({
      type: "init",
      indexURL: new URL(root.getAttribute("data-pyodide-index") || "assets/vendor/pyodide/", SITE_ROOT).href,
      scriptURL: SITE_ROOT + "check.py",
      siteURL: SITE_ROOT
    });
  }

  function unsupportedReason() {
    if (typeof WebAssembly !== "object") return "this browser has no WebAssembly (or it is blocked)";
    if (typeof Worker !== "function") return "this browser has no Web Workers";
    return "";
  }

  function onWorkerMessage(event) {
    var message = event.data || {};
    if (message.type === "stage") {
      if (workerState === "loading") workerStage = message.stage;   // a late stage must not undo "ready"
    } else if (message.type === "ready") {
      workerState = "ready";
      workerStage = "ready";
      window.__browserCheckTimings = {readyMs: message.ms, loadPyodideMs: message.loadPyodideMs};
    } else if (message.type === "failed") {
      return fail("the Python runtime could not load (" + message.message + ")");
    } else if (message.type === "result") {
      var request = pending[message.id];
      delete pending[message.id];
      if (request) request.onDone(message);
    }
    render();
  }

  function fail(reason) {
    workerState = "failed";
    failure = reason;
    Object.keys(pending).forEach(function (id) {
      pending[id].onDone({failed: reason});
    });
    pending = {};
    render();
  }

  // --- what the browser says about the machine ------------------------------

  function gatherInfo() {
    var info = {
      userAgent: navigator.userAgent,
      platform: navigator.platform || null,
      uaData: null,
      webgl: webglInfo(),
      webgpu: null,
      deviceMemory: typeof navigator.deviceMemory === "number" ? navigator.deviceMemory : null,
      hardwareConcurrency: typeof navigator.hardwareConcurrency === "number" ? navigator.hardwareConcurrency : null
    };
    var tasks = [];
    var uaData = navigator.userAgentData;
    if (uaData) {
      info.uaData = {platform: uaData.platform, mobile: uaData.mobile};
      if (uaData.getHighEntropyValues) {
        tasks.push(uaData.getHighEntropyValues(["architecture", "bitness", "platformVersion"]).then(function (values) {
          info.uaData.architecture = values.architecture;
          info.uaData.bitness = values.bitness;
          info.uaData.platformVersion = values.platformVersion;
        }));
      }
    }
    if (navigator.gpu && navigator.gpu.requestAdapter) {
      tasks.push(navigator.gpu.requestAdapter().then(function (adapter) {
        var adapterInfo = adapter && adapter.info;
        if (adapterInfo) {
          info.webgpu = {vendor: adapterInfo.vendor || "", architecture: adapterInfo.architecture || "",
                         device: adapterInfo.device || "", description: adapterInfo.description || ""};
        }
      }));
    }
    var settled = tasks.map(function (task) {
      return withTimeout(task, 1500).catch(function () {});
    });
    return Promise.all(settled).then(function () { return info; });
  }

  function webglInfo() {
    try {
      var canvas = document.createElement("canvas");
      var gl = canvas.getContext("webgl") || canvas.getContext("experimental-webgl");
      if (!gl) return null;
      var debug = gl.getExtension("WEBGL_debug_renderer_info");
      var result = {
        renderer: String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) || ""),
        vendor: String(gl.getParameter(debug ? debug.UNMASKED_VENDOR_WEBGL : gl.VENDOR) || "")
      };
      var lose = gl.getExtension("WEBGL_lose_context");
      if (lose) lose.loseContext();
      return result;
    } catch (error) {
      return null;
    }
  }

  function withTimeout(promise, ms) {
    return Promise.race([promise, new Promise(function (resolve) { setTimeout(resolve, ms); })]);
  }

  // --- the widget ------------------------------------------------------------

  function build(root) {
    root.innerHTML = "";
    root.classList.add("bc");
    var controls = element("div", "bc-controls");
    var run = element("button", "md-button md-button--primary bc-run", "Check this browser's machine");
    run.type = "button";
    controls.appendChild(run);
    var status = element("p", "bc-stage");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    controls.appendChild(status);
    root.appendChild(controls);

    var paste = element("div", "bc-paste");
    var label = element("label", "bc-paste-label",
                        "Or paste the output of nvidia-smi, rocm-smi or system_profiler, or the JSON that check.py --json prints:");
    label.htmlFor = "bc-paste-text";
    var text = element("textarea", "bc-paste-text");
    text.id = "bc-paste-text";
    text.rows = 6;
    text.spellcheck = false;
    text.setAttribute("autocomplete", "off");
    var pasteRun = element("button", "md-button bc-paste-run", "Check the pasted text");
    pasteRun.type = "button";
    paste.appendChild(label);
    paste.appendChild(text);
    paste.appendChild(pasteRun);
    root.appendChild(paste);

    var result = element("div", "bc-result");
    result.setAttribute("tabindex", "-1");
    result.setAttribute("aria-live", "polite");
    root.appendChild(result);

    view = {root: root, run: run, status: status, text: text, pasteRun: pasteRun, result: result, busy: false};
    run.addEventListener("click", function () {
      browserInfo.then(function (info) { ask({type: "check", info: info}); });
    });
    pasteRun.addEventListener("click", function () {
      ask({type: "paste", text: text.value});
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function ask(message) {
    if (workerState === "failed") return render();
    var current = view;
    var started = performance.now();
    message.id = nextId++;
    current.busy = true;
    pending[message.id] = {
      onDone: function (answer) {
        current.busy = false;
        showAnswer(current, answer, performance.now() - started);
      }
    };
    worker.postMessage(message);
    render();
  }

  function showAnswer(target, answer, ms) {
    if (answer.failed) {
      target.result.innerHTML = "";
      target.result.appendChild(fallback("The check could not run: " + answer.failed + "."));
    } else {
      target.result.innerHTML = answer.result.html;
      var report = answer.result.report;
      target.result.setAttribute("data-verdict", report ? report.summary.verdict : "refused");
    }
    target.root.setAttribute("data-last-ms", String(Math.round(ms)));
    target.root.dispatchEvent(new CustomEvent("browser-check:answer", {detail: {ms: ms}}));
    if (target === view && document.body.contains(target.result)) target.result.focus();
    render();
  }

  function fallback(sentence) {
    var box = element("div", "bc-message bc-status--error");
    box.setAttribute("role", "alert");
    box.appendChild(element("p", "", sentence));
    var command = view && view.root.getAttribute("data-script-command");
    if (command) {
      var line = element("p", "", "Run the full check in a terminal instead: ");
      line.appendChild(element("code", "bc-command", command));
      box.appendChild(line);
    }
    return box;
  }

  function render() {
    if (!view) return;
    view.root.setAttribute("data-state", workerState);
    if (workerState === "failed") {
      view.run.disabled = true;
      view.pasteRun.disabled = true;
      view.status.textContent = "";
      if (!view.result.querySelector(".bc-message")) {
        view.result.innerHTML = "";
        view.result.appendChild(fallback("This browser can't run the check: " + failure + "."));
      }
      return;
    }
    view.run.setAttribute("aria-busy", view.busy ? "true" : "false");
    view.status.textContent = view.busy && workerState === "ready" ? STAGES.checking : STAGES[workerStage] || "";
  }

  function mount() {
    var root = document.getElementById("browser-check");
    if (!root) {
      view = null;          // another page: nothing to do, nothing loaded
      return;
    }
    if (view && view.root === root) return;
    build(root);
    browserInfo = gatherInfo();   // while the runtime loads, so a click answers at once
    startWorker(root);
    render();
  }

  // Material's instant navigation swaps pages without a load event: document$ says when.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mount);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
