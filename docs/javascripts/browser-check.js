// The check page's "Check this browser's machine" button and paste box.
//
// Loaded on every page but inert where there is no #browser-check element, so
// no other page downloads any of the Python runtime. On the check page the
// runtime starts in a Web Worker when the reader shows intent: the widget gets
// the pointer, a touch or the focus (also after Material's instant navigation).
// Being in view is no intent: the widget sits at the top of its page, and a
// reader who only reads it downloads nothing. While it downloads, the status line shows the bytes so far and
// the total, then the stage; once it is ready a click answers at once.
// Everything is evaluated in this tab: nothing typed or detected is sent anywhere.
// A chooser names the release whose requirements both the button and the paste
// box judge against (the site build lists them in the runtime's settings).
(function () {
  "use strict";

  // The site root, from this script's own address (javascripts/browser-check.js).
  var SCRIPT_SRC = document.currentScript && document.currentScript.src;
  var SITE_ROOT = SCRIPT_SRC ? new URL("../", SCRIPT_SRC).href : new URL("/", location.href).href;

  var STAGES = {
    idle: "The check downloads its Python runtime (%total) when you use it.",
    downloading: "Downloading the Python runtime: %loaded of %total (once; your browser keeps it)…",
    starting: "Starting Python…",
    "loading-checks": "Loading the checks…",
    ready: "Ready: the check runs in this tab, and nothing leaves it.",
    checking: "Checking…"
  };

  var worker = null;        // one per tab, kept across instant navigations
  var workerState = "idle"; // idle | loading | ready | failed
  var workerStage = "idle";
  var bytes = {loaded: 0, total: 0};
  var failure = "";
  var pending = {};         // request id -> {started, onDone}
  var nextId = 1;
  var browserInfo = null;   // a promise of what this browser says about the machine
  var view = null;          // the elements of the widget on the current page
  var chosenRelease = "";   // the release chosen last ("": the default), kept across pages

  // The reader shows intent: gather what the browser says and start the runtime, once.
  function prepare() {
    if (!view) return;
    if (!browserInfo) browserInfo = gatherInfo();
    startWorker(view.root);
    render();
  }

  function runtimeSettings(root) {
    try {
      return JSON.parse(root.getAttribute("data-runtime") || "null");
    } catch (error) {
      return null;
    }
  }

  function startWorker(root) {
    if (worker || workerState === "failed") return;
    var reason = unsupportedReason();
    if (reason) return fail(reason);
    var runtime = runtimeSettings(root);
    if (!runtime) return fail("this page was built without the runtime's settings");
    try {
      worker = new Worker(SITE_ROOT + "javascripts/browser-check-worker.js", {type: "module"});
    } catch (error) {
      return fail("this browser cannot start the checker (" + error.message + ")");
    }
    workerState = "loading";
    workerStage = "downloading";
    bytes = {loaded: 0, total: totalBytes(runtime)};
    worker.onmessage = onWorkerMessage;
    worker.onerror = function (event) {
      fail("the checker did not start" + (event && event.message ? " (" + event.message + ")" : ""));
    };
    worker.postMessage({type: "init", runtime: runtime, siteURL: SITE_ROOT});
  }

  function totalBytes(runtime) {
    var total = 0;
    Object.keys(runtime && runtime.files || {}).forEach(function (kind) { total += runtime.files[kind].bytes || 0; });
    return total;
  }

  // After a fatal error the interpreter may be broken: a fresh worker replaces it.
  function restartWorker() {
    if (worker) worker.terminate();
    worker = null;
    workerState = "idle";
    Object.keys(pending).forEach(function (id) {
      pending[id].onDone({failed: "the checker stopped and starts again: try once more"});
    });
    pending = {};
    if (view) startWorker(view.root);
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
    } else if (message.type === "progress") {
      bytes = {loaded: message.loaded, total: message.total};
    } else if (message.type === "ready") {
      workerState = "ready";
      workerStage = "ready";
      window.__browserCheckTimings = {readyMs: message.ms, downloadedMs: message.downloadedMs,
                                      loadPyodideMs: message.loadPyodideMs};
    } else if (message.type === "failed") {
      return fail("the Python runtime could not load (" + message.message + ")");
    } else if (message.type === "result") {
      var request = pending[message.id];
      delete pending[message.id];
      if (request) request.onDone(message);
      if (message.fatal) restartWorker();
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
    var release = releaseChooser((runtimeSettings(root) || {}).releases || []);
    if (release) root.appendChild(release.parentNode);
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

    view = {root: root, run: run, status: status, text: text, pasteRun: pasteRun, result: result, busy: false,
            release: release};
    run.addEventListener("click", function () {
      prepare();
      browserInfo.then(function (info) { ask({type: "check", info: info}); });
    });
    pasteRun.addEventListener("click", function () {
      ask({type: "paste", text: text.value});
    });
  }

  // A labelled <select> of the releases, the default first; none when there is only one.
  function releaseChooser(releases) {
    if (releases.length < 2) return null;
    var box = element("p", "bc-release");
    var label = element("label", "", "Check against the requirements of ");
    label.htmlFor = "bc-release";
    var select = element("select", "bc-release-select");
    select.id = "bc-release";
    releases.forEach(function (release) {
      var option = element("option", "", release.name + (release.default ? " (this site's default)" : ""));
      option.value = release.version;
      select.appendChild(option);
    });
    select.value = chosenRelease;
    if (select.selectedIndex < 0) select.selectedIndex = 0;
    select.addEventListener("change", function () { chosenRelease = select.value; });
    box.appendChild(label);
    box.appendChild(select);
    return select;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function ask(message) {
    prepare();
    if (workerState === "failed" || !worker) return render();
    var current = view;
    var started = performance.now();
    message.id = nextId++;
    message.release = current.release ? current.release.value : "";
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
    var text = view.busy && workerState === "ready" ? STAGES.checking : STAGES[workerStage] || "";
    view.status.textContent = text.replace("%loaded", megabytes(bytes.loaded)).replace("%total", megabytes(bytes.total));
  }

  function megabytes(count) {
    return (count / 1e6).toFixed(1) + " MB";
  }

  function watchIntent(root) {
    ["pointerenter", "focusin", "touchstart"].forEach(function (name) {
      root.addEventListener(name, prepare, {once: true, passive: true});
    });
  }

  function mount() {
    var root = document.getElementById("browser-check");
    if (!root) {
      view = null;          // another page: nothing to do, nothing loaded
      return;
    }
    if (view && view.root === root) return;
    build(root);
    if (!worker && workerState !== "failed") bytes = {loaded: 0, total: totalBytes(runtimeSettings(root))};
    browserInfo = null;
    if (worker) {
      prepare();            // back on the page with the runtime loaded: ready for a click at once
    } else {
      watchIntent(root);    // the runtime starts when the reader shows intent, not on page load
    }
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
