// "My toolkit": the visitor's chosen clearinghouse resources, kept as resource numbers in
// localStorage (nothing else, and nothing sent anywhere). Loaded on every page: it keeps the
// header count current and makes every "Save to my toolkit" button work.
(function () {
  "use strict";

  var KEY = "psp-toolkit";
  var memory = [];  // used when localStorage is unavailable (private modes, disabled storage)
  var listeners = [];

  function read() {
    try {
      var parsed = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(parsed) ? clean(parsed) : [];
    } catch {
      return memory.slice();
    }
  }

  function clean(values) {
    var seen = {};
    return values.map(Number).filter(function (id) {
      var ok = Number.isInteger(id) && id > 0 && id < 1e9 && !seen[id];
      seen[id] = true;
      return ok;
    });
  }

  function write(ids) {
    memory = clean(ids);
    try { window.localStorage.setItem(KEY, JSON.stringify(memory)); } catch { /* memory only */ }
    changed();
  }

  function changed() {
    var ids = read();
    document.querySelectorAll("[data-toolkit-count]").forEach(function (el) {
      el.textContent = ids.length ? "(" + ids.length + ")" : "";
    });
    document.querySelectorAll("button[data-toolkit-id]").forEach(sync);
    listeners.forEach(function (fn) { fn(ids); });
  }

  function sync(button) {
    var pressed = read().indexOf(Number(button.getAttribute("data-toolkit-id"))) >= 0;
    button.setAttribute("aria-pressed", pressed ? "true" : "false");
    // The label says what pressing it does now; aria-pressed keeps the state for screen readers.
    button.textContent = pressed ? "Remove from my toolkit" : "Save to my toolkit";
  }

  function announce(message) {
    var status = document.getElementById("toolkit-status");
    if (status) status.textContent = message;
  }

  var api = {
    ids: read,
    has: function (id) { return read().indexOf(Number(id)) >= 0; },
    add: function (ids) { write(read().concat(ids)); },
    remove: function (id) { write(read().filter(function (x) { return x !== Number(id); })); },
    set: function (ids) { write(ids); },
    clear: function () { write([]); },
    onChange: function (fn) { listeners.push(fn); },
    announce: announce,
    // A "Save to my toolkit" toggle for one resource; ``title`` is used in announcements only.
    button: function (id, title) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "usa-button usa-button--outline toolkit-toggle";
      button.setAttribute("data-toolkit-id", String(id));
      button.setAttribute("data-toolkit-title", title);
      button.textContent = "Save to my toolkit";
      sync(button);
      return button;
    }
  };
  window.pspToolkit = api;

  // One listener for every toggle on the page, including ones added later.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-toolkit-id]") : null;
    if (!button) return;
    var id = Number(button.getAttribute("data-toolkit-id"));
    var title = button.getAttribute("data-toolkit-title") || "Resource";
    if (api.has(id)) {
      api.remove(id);
      announce("Removed " + title + " from your toolkit. " + read().length + " saved.");
    } else {
      api.add([id]);
      announce("Saved " + title + " to your toolkit. " + read().length + " saved.");
    }
  });

  // Keep several open tabs in step.
  window.addEventListener("storage", function (event) { if (event.key === KEY) changed(); });

  document.querySelectorAll("button[data-toolkit-id][hidden]").forEach(function (b) { b.hidden = false; });
  changed();
})();
