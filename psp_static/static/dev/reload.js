// Live preview (psp-static serve only; never published): reload after each successful build,
// and show build errors on the page while the last good version stays on screen, and warnings.
(function () {
  "use strict";
  var seen = null;
  var box = null;

  // Errors stop the build (red); warnings do not, but a pull request's strict build refuses them (amber).
  function show(lines, failed) {
    if (!box) {
      box = document.createElement("div");
      box.id = "psp-build-errors";
      var s = box.style;  // set through the DOM: allowed by the page's Content-Security-Policy
      s.position = "fixed"; s.left = "0"; s.right = "0"; s.bottom = "0"; s.zIndex = "10000";
      s.maxHeight = "40vh"; s.overflow = "auto"; s.padding = "1rem";
      s.font = "14px/1.4 monospace";
      document.body.appendChild(box);
    }
    box.setAttribute("role", failed ? "alert" : "status");
    box.className = failed ? "psp-build-errors" : "psp-build-warnings";
    box.style.background = failed ? "#b50909" : "#ffbe2e";
    box.style.color = failed ? "#fff" : "#1b1b1b";
    var title = document.createElement("strong");
    title.textContent = failed
      ? "The site did not rebuild. Fix these and save again (showing the last good build):"
      : "Built, with warnings. A pull request's check refuses these, so fix them before you publish:";
    var list = document.createElement("ul");
    lines.forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      list.appendChild(item);
    });
    box.replaceChildren(title, list);
  }

  function poll() {
    fetch("/__psp__/status", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (seen === null) {
          seen = status.build;
          document.documentElement.setAttribute("data-psp-build", String(seen));  // for the tests to wait on
        }
        if (status.errors.length) show(status.errors, true);
        else if (status.build !== seen) window.location.reload();
        else if (status.warnings.length) show(status.warnings, false);
        else if (box) { box.remove(); box = null; }
      })
      .catch(function () { /* the server is restarting or stopped: try again */ })
      .then(function () { window.setTimeout(poll, 1000); });
  }
  poll();
})();
