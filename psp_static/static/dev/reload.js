// Live preview (psp-static serve only; never published): reload after each successful build,
// and show build errors on the page while the last good version stays on screen.
(function () {
  "use strict";
  var seen = null;
  var box = null;

  function show(errors) {
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("role", "alert");
      box.id = "psp-build-errors";
      var s = box.style;  // set through the DOM: allowed by the page's Content-Security-Policy
      s.position = "fixed"; s.left = "0"; s.right = "0"; s.bottom = "0"; s.zIndex = "10000";
      s.maxHeight = "40vh"; s.overflow = "auto"; s.padding = "1rem"; s.background = "#b50909";
      s.color = "#fff"; s.font = "14px/1.4 monospace";
      document.body.appendChild(box);
    }
    var title = document.createElement("strong");
    title.textContent = "The site did not rebuild. Fix these and save again (showing the last good build):";
    var list = document.createElement("ul");
    errors.forEach(function (line) {
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
        if (status.errors.length) show(status.errors);
        else if (status.build !== seen) window.location.reload();
        else if (box) { box.remove(); box = null; }
      })
      .catch(function () { /* the server is restarting or stopped: try again */ })
      .then(function () { window.setTimeout(poll, 1000); });
  }
  poll();
})();
