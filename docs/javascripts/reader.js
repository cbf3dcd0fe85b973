// Reader-side touches that the theme's markup cannot carry:
//  - content tabs open on the reader's OS (Windows, macOS, Linux) until the reader
//    picks a tab; Material's linked tabs (content.tabs.link) then keep that choice;
//  - the copy-button bar of each code block is not a landmark of its own.
(function () {
  "use strict";

  function readerOs() {
    var data = navigator.userAgentData;
    var said = (data && data.platform) || navigator.platform || navigator.userAgent || "";
    if (/win/i.test(said)) return "Windows";
    if (/mac|iphone|ipad/i.test(said)) return "macOS";
    if (/linux|x11|cros/i.test(said) && !/android/i.test(said)) return "Linux";
    return null;
  }

  function readerPicked() {
    try {
      for (var i = 0; i < localStorage.length; i++) {
        if (/__tabs$/.test(localStorage.key(i))) return true;
      }
    } catch (err) { /* storage blocked: nothing was picked */ }
    return false;
  }

  function openOsTabs(root) {
    var os = readerOs();
    if (!os || readerPicked()) return;
    var words = new RegExp("(^|[^A-Za-z])" + os + "([^A-Za-z]|$)");
    root.querySelectorAll(".tabbed-set").forEach(function (set) {
      var labels = set.querySelectorAll(":scope > .tabbed-labels > label");
      for (var i = 0; i < labels.length; i++) {
        if (words.test(labels[i].textContent)) {
          var input = set.querySelector(":scope > input#" + CSS.escape(labels[i].htmlFor));
          if (input && !input.checked) {
            input.checked = true;
            input.dispatchEvent(new Event("change", {bubbles: true}));
          }
          return;
        }
      }
    });
  }

  function unmarkCodeNavs(root) {
    root.querySelectorAll("nav.md-code__nav:not([role])").forEach(function (nav) {
      nav.setAttribute("role", "none");
    });
  }

  function onPage() {
    openOsTabs(document);
    unmarkCodeNavs(document);
  }

  // The theme adds the code-block bars after the page loads, and swaps pages in
  // with instant navigation: watch for both.
  new MutationObserver(function () { unmarkCodeNavs(document); })
    .observe(document.documentElement, {childList: true, subtree: true});
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(onPage);
  } else {
    document.addEventListener("DOMContentLoaded", onPage);
  }
  onPage();
})();

// The check page's paste box: Ctrl+Enter (Cmd+Enter on a Mac) checks the paste.
document.addEventListener("keydown", function (event) {
  "use strict";
  if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || event.defaultPrevented) return;
  var box = event.target;
  if (!box || box.id !== "bc-paste-text") return;
  var widget = box.closest("#browser-check");
  var button = widget && widget.querySelector(".bc-paste-run");
  if (button && !button.disabled) {
    event.preventDefault();
    button.click();
  }
});

// A table wider than the column scrolls sideways: keyboard users must be able to
// reach it (axe-core: scrollable-region-focusable), so a scrolling one takes focus.
(function () {
  "use strict";
  function markScrollable() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        if (!wrap.hasAttribute("tabindex")) wrap.setAttribute("tabindex", "0");
      } else if (wrap.getAttribute("tabindex") === "0") {
        wrap.removeAttribute("tabindex");
      }
    });
  }
  window.addEventListener("resize", markScrollable);
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(markScrollable);
  } else {
    document.addEventListener("DOMContentLoaded", markScrollable);
  }
  markScrollable();
})();
