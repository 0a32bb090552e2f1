// The search page: every site, cohort, core area, news item and page from the site's prebuilt index,
// and every resource from the clearinghouse's, both queried by the engine (search-engine.js), loaded
// on the first query, and merged by score. The words are kept in the URL (?q=, which the header's
// search form sends), so a search can be linked, reloaded and gone back to.
(function () {
  "use strict";

  var root = document.getElementById("site-search");
  if (!root || !window.fetch || !window.pspSearch || !window.pspUtil) return;

  var PAGE = 20;
  var util = window.pspUtil;
  var lunrUrl = root.getAttribute("data-lunr");
  // The site's pages, then the resources: a merged result's refs are "<engine>:<ref>".
  var engines = [
    window.pspSearch.open(root.getAttribute("data-index"), lunrUrl),
    window.pspSearch.open(root.getAttribute("data-resources"), lunrUrl)
  ];
  var RESOURCES = 1;
  var form = root.querySelector("form");
  var input = root.querySelector("#search-q");
  var count = root.querySelector("#search-count");
  var status = root.querySelector("#search-status");
  var heading = root.querySelector("#search-results-heading");
  var list = root.querySelector("#search-results");
  var empty = root.querySelector("#search-empty");
  var suggest = root.querySelector("#search-suggest");
  var suggestion = root.querySelector("#search-suggestion");
  var more = root.querySelector("#search-more");
  var shown = PAGE;
  var latest = 0;
  var announceTimer = null;

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  // The file holding the card of ``ref``: pages' cards by position, resources' by id.
  function cardFile(listing, ref) {
    var source = Number(ref.split(":")[0]);
    var key = Number(ref.split(":")[1]);
    if (source !== RESOURCES) return listing.chunks[Math.floor(key / listing.chunkSize)];
    var first = listing.resources.first;
    var low = 0;
    var high = first.length - 1;
    while (low < high) {  // the last file whose first id is at most ``key``
      var middle = Math.ceil((low + high) / 2);
      if (first[middle] <= key) low = middle; else high = middle - 1;
    }
    return listing.resources.chunks[low];
  }

  // The cards of ``refs`` ([kind, title, link, summary] each, by ref), from the files they are in.
  function cards(refs) {
    return util.json(root.getAttribute("data-cards")).then(function (listing) {
      var files = {};
      refs.forEach(function (ref) { files[cardFile(listing, ref)] = true; });
      var urls = Object.keys(files);
      return Promise.all(urls.map(util.json)).then(function (loaded) {
        var found = {};
        urls.forEach(function (url, i) {
          var resources = listing.resources.chunks.indexOf(url) >= 0;
          loaded[i].forEach(function (row, j) {
            if (resources) found[RESOURCES + ":" + row[0]] = ["resource", row[1], row[2], row[3]];
            else found["0:" + (listing.chunks.indexOf(url) * listing.chunkSize + j)] = row;
          });
        });
        return { kinds: listing.kinds, rows: found };
      });
    });
  }

  // Both engines' results as one: every result found without typos first, then those that needed
  // one, each group by score (the engines score alike: lunr's BM25 over their own documents).
  function merged(results) {
    var hits = [];
    var terms = {};
    results.forEach(function (result, source) {
      result.order.forEach(function (ref) {
        hits.push([source + ":" + ref, result.scores[ref], Boolean(result.loose[ref])]);
      });
      Object.keys(result.terms).forEach(function (t) { terms[t] = result.terms[t]; });
    });
    hits.sort(function (a, b) {
      return (a[2] - b[2]) || (b[1] - a[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    });
    var exact = hits.some(function (hit) { return !hit[2]; });
    var suggestion = exact ? null : results[0].suggestion || results[RESOURCES].suggestion;
    return { order: hits.map(function (hit) { return hit[0]; }), terms: terms, suggestion: suggestion };
  }

  // One result, built with DOM calls only, labelled by its kind, the matched words marked.
  function item(row, kinds, marks) {
    var li = document.createElement("li");
    li.className = "usa-collection__item site-search-result";
    li.setAttribute("data-kind", row[0]);
    var body = document.createElement("div");
    body.className = "usa-collection__body";
    var kind = document.createElement("p");
    kind.className = "site-search-result__kind";
    kind.textContent = kinds[row[0]] || row[0];
    var title = document.createElement("h3");
    title.className = "usa-collection__heading";
    var link = document.createElement("a");
    link.className = "usa-link";
    link.href = util.isLocal(row[2]) ? row[2] : "#";
    util.marked(link, row[1], marks(row[1]));
    title.appendChild(link);
    var summary = document.createElement("p");
    summary.className = "usa-collection__description";
    util.marked(summary, row[3], marks(row[3]));
    body.appendChild(kind);
    body.appendChild(title);
    body.appendChild(summary);
    li.appendChild(body);
    return li;
  }

  function say(text, spoken) {
    count.textContent = text;
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(function () { status.textContent = spoken || text; }, 600);
  }

  function clear() {
    list.replaceChildren();
    heading.hidden = empty.hidden = more.hidden = true;
    count.textContent = status.textContent = "";
    list.removeAttribute("aria-busy");
  }

  // Searches for ``text`` and shows the first ``shown`` results; then focuses ``focus``: the
  // result at that position (the first of a new batch), or "heading" (after a submit).
  function run(text, focus) {
    var mine = ++latest;
    if (!/\w/.test(text)) { clear(); return; }
    list.setAttribute("aria-busy", "true");
    Promise.all(engines.map(function (engine) { return engine.query(text); })).then(function (results) {
      if (results.indexOf(null) >= 0 || mine !== latest) return null;
      var result = merged(results);
      var refs = result.order.slice(0, shown);
      return cards(refs).then(function (found) {
        if (mine !== latest) return;
        show(text, result, refs, found, focus);
      });
    }).catch(failed);
  }

  function show(text, result, refs, found, focus) {
    // Marks come from the merged result's terms alone, so either engine can find them.
    var marks = function (value) { return engines[0].marks(value, result); };
    var fragment = document.createDocumentFragment();
    refs.forEach(function (ref) { if (found.rows[ref]) fragment.appendChild(item(found.rows[ref], found.kinds, marks)); });
    list.replaceChildren(fragment);
    var total = result.order.length;
    heading.hidden = total === 0;
    empty.hidden = total > 0;
    suggest.hidden = total > 0 || !result.suggestion;
    suggestion.textContent = result.suggestion || "";
    var remaining = total - refs.length;
    more.hidden = remaining <= 0;
    more.textContent = "Show " + plural(Math.min(PAGE, remaining), "more result", "more results") +
      (remaining > PAGE ? " (" + remaining + " not shown yet)" : "");
    var line = (total ? plural(total, "result", "results") + " for" : "Nothing matches") + " “" + text.trim() + "”.";
    say(line, total || !result.suggestion ? line : line + " Did you mean “" + result.suggestion + "”?");
    var revealed = typeof focus === "number" && list.children[focus];
    if (revealed) revealed.querySelector("a").focus();
    if (focus === "heading" && total) heading.focus();
    list.removeAttribute("aria-busy");
    root.setAttribute("data-ready", "true");
  }

  function failed() {
    list.removeAttribute("aria-busy");
    count.textContent = "";
    status.textContent = "Search could not load. Try again, or browse the clearinghouse, sites, core areas and news.";
  }

  function fromURL() {
    return (new URLSearchParams(window.location.search).get("q") || "").slice(0, 200);
  }

  function search(push, focus) {
    var text = input.value.slice(0, 200);
    var url = window.location.pathname + (text ? "?" + new URLSearchParams({ q: text }).toString() : "");
    if (url !== window.location.pathname + window.location.search) {
      if (push) window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    }
    shown = PAGE;
    run(text, focus);
  }

  input.addEventListener("focus", function () {
    engines.forEach(function (engine) { engine.ready().catch(function () {}); });
  });
  input.addEventListener("input", function () { search(false); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    search(true, "heading");
  });
  suggestion.addEventListener("click", function () {
    input.value = suggestion.textContent;
    search(true);
    input.focus();
  });
  more.addEventListener("click", function () {
    var first = list.children.length;
    shown += PAGE;
    run(input.value, first);
  });
  window.addEventListener("popstate", function () {
    input.value = fromURL();
    shown = PAGE;
    run(input.value);
  });

  input.value = fromURL();
  root.setAttribute("data-ready", input.value ? "false" : "true");
  run(input.value);
})();
