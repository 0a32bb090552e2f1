// Helpers every other script shares, written once: which URLs may be followed or fetched, JSON
// loading that fails loudly on an HTTP error, loading a script on demand, and highlighting.
(function () {
  "use strict";

  var cache = {};

  // Only paths on this site ("/..."), never another origin ("//host/..."), a scheme or "#":
  // every URL the scripts follow or fetch comes from the build, so anything else is refused.
  function isLocal(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/";
  }

  // The parsed JSON at ``url``, fetched once; an HTTP error rejects instead of parsing an error page.
  function json(url) {
    if (!cache[url]) {
      cache[url] = isLocal(url) ? fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("Could not load " + url + " (" + response.status + ")");
        return response.json();
      }) : Promise.reject(new Error("Refusing to load " + url));
      cache[url].catch(function () { delete cache[url]; });  // a failed fetch may be retried later
    }
    return cache[url];
  }

  // Runs the script at ``url`` once (lunr.js on first use); the CSP allows only our own origin.
  function script(url) {
    if (!cache[url]) {
      cache[url] = new Promise(function (resolve, reject) {
        if (!isLocal(url)) { reject(new Error("Refusing to load " + url)); return; }
        var tag = document.createElement("script");
        tag.src = url;
        tag.onload = resolve;
        tag.onerror = function () { reject(new Error("Could not load " + url)); };
        document.head.appendChild(tag);
      });
      cache[url].catch(function () { delete cache[url]; });
    }
    return cache[url];
  }

  // Puts ``text`` into ``element`` as text nodes, the [start, end) ``ranges`` wrapped in <mark> (the
  // words a search matched): the text is never parsed as HTML, so markup in a title stays characters.
  function marked(element, text, ranges) {
    var at = 0;
    ranges.slice().sort(function (a, b) { return a[0] - b[0]; }).forEach(function (range) {
      if (range[0] < at || range[1] <= range[0]) return;  // overlapping or empty: skip
      element.appendChild(document.createTextNode(text.slice(at, range[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(range[0], range[1]);
      element.appendChild(mark);
      at = range[1];
    });
    element.appendChild(document.createTextNode(text.slice(at)));
  }

  window.pspUtil = { isLocal: isLocal, json: json, script: script, marked: marked };
})();
