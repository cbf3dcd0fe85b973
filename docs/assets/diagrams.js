// Material for MkDocs draws ```mermaid blocks with the global `mermaid`, and
// loads it from a CDN when that global is missing. This stand-in defines it, so
// no page asks another host for anything: the first diagram to render loads the
// copy this site serves (assets/vendor/mermaid/), and pages without a diagram
// never load it. It works with instant navigation too: Material calls the same
// global on every page it swaps in.
(function () {
  "use strict";
  if (typeof window.mermaid !== "undefined" && !(window.mermaid instanceof Element)) {
    return;
  }
  var scriptUrl = new URL("vendor/mermaid/mermaid.min.js", document.currentScript.src).href;
  var settings = null;
  var loading = null;

  function loadMermaid() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = scriptUrl;
        script.onload = function () {
          // The real library has replaced this stand-in on window.
          if (settings) {
            window.mermaid.initialize(settings);
          }
          resolve(window.mermaid);
        };
        script.onerror = function () {
          reject(new Error("could not load " + scriptUrl));
        };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  window.mermaid = {
    initialize: function (options) {
      settings = options;
    },
    render: function (id, text) {
      return loadMermaid().then(function (mermaid) {
        return mermaid.render(id, text);
      });
    }
  };
})();
