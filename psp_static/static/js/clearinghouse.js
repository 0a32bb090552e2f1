// The clearinghouse finder: facets with live counts (OR within a facet, AND across facets),
// free-text search with prefix matching (lunr.js, loaded on first use), sorting, and all of it
// kept in the URL so a link reproduces the view and Back/Forward work. Without this script the
// page lists every resource instead.
(function () {
  "use strict";

  var root = document.getElementById("finder");
  if (!root || !window.fetch || !window.pspData) return;

  var FACETS = ["area", "type", "size", "sponsor", "year", "evidence"];
  var SORTS = ["relevance", "newest", "title"];
  var PAGE = 50;
  var K1 = 1.2;
  var B = 0.75;
  var data = null;
  var docValues = [];   // per resource: its facet values
  var known = {};       // facet -> {value: true}, for checking values read from the URL
  var index = null;
  var indexLoading = null;
  var state = emptyState();
  var shown = PAGE;
  var renderToken = 0;
  var announceTimer = null;
  var inputTimer = null;

  var form = root.querySelector("form");
  var input = root.querySelector("#finder-q");
  var sort = root.querySelector("#finder-sort");
  var status = root.querySelector("#finder-status");
  var list = root.querySelector("#finder-results");
  var heading = root.querySelector("#finder-results-heading");
  var chips = root.querySelector("#finder-chips");
  var chipList = chips.querySelector("ul");
  var empty = root.querySelector("#finder-empty");
  var more = root.querySelector("#finder-more");
  var staticListing = document.getElementById("static-listing");
  var filtersToggle = root.querySelector("#finder-filters-toggle");
  var filtersCount = root.querySelector("#finder-filters-count");

  function emptyState() {
    return { q: "", sort: "relevance", area: [], type: [], size: [], sponsor: [], year: [], evidence: [] };
  }

  // --- URL state ---------------------------------------------------------------------------------

  function readURL() {
    var params = new URLSearchParams(window.location.search);
    var next = emptyState();
    next.q = (params.get("q") || "").slice(0, 200);
    next.sort = SORTS.indexOf(params.get("sort")) >= 0 ? params.get("sort") : "relevance";
    FACETS.forEach(function (facet) {
      // Only values the clearinghouse knows are kept; anything else in a link is ignored.
      (params.get(facet) || "").split(",").forEach(function (value) {
        if (known[facet][value] && next[facet].indexOf(value) < 0) next[facet].push(value);
      });
    });
    return next;
  }

  function writeURL(push) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    FACETS.forEach(function (facet) {
      if (state[facet].length) params.set(facet, state[facet].slice().sort().join(","));
    });
    if (state.sort !== "relevance") params.set("sort", state.sort);
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query.replace(/%2C/g, ",") : "");
    if (url === window.location.pathname + window.location.search) return;
    if (push) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  }

  function syncForm() {
    input.value = state.q;
    sort.value = state.sort;
    root.querySelectorAll("input[type=checkbox][data-facet]").forEach(function (box) {
      box.checked = state[box.getAttribute("data-facet")].indexOf(box.value) >= 0;
      if (box.checked) box.closest("details").open = true;  // a facet in use is never folded away
    });
  }

  // --- text search ---------------------------------------------------------------------------------

  function unpack(p) {
    var fields = p.fields.map(function (f) { return f[0]; });
    var boosts = {};
    p.fields.forEach(function (f) { boosts[f[0]] = f[1]; });
    var docs = p.docs.map(String);
    var count = docs.length;
    var freq = {};
    fields.forEach(function (f) { freq[f] = {}; });
    var inverted = [];
    var idf = [];
    p.terms.forEach(function (term, i) {
      var posting = { _index: i };
      var withTerm = 0;
      fields.forEach(function (f, fi) {
        var ref = 0;
        var bucket = {};
        p.postings[i][fi].forEach(function (entry) {
          var delta = typeof entry === "number" ? entry : entry[0];
          var tf = typeof entry === "number" ? 1 : entry[1];
          ref += delta;
          var key = String(ref);
          bucket[key] = {};
          (freq[f][key] || (freq[f][key] = [])).push([i, tf]);
        });
        posting[f] = bucket;
        withTerm += p.postings[i][fi].length;
      });
      inverted.push([term, posting]);
      var x = (count - withTerm + 0.5) / (withTerm + 0.5);
      idf.push(Math.log(1 + Math.abs(x)));
    });
    // lunr's builder scores each term of each field with BM25; recompute those scores here.
    var vectors = [];
    fields.forEach(function (f) {
      var lengths = {};
      var total = 0;
      docs.forEach(function (ref) {
        var length = 0;
        (freq[f][ref] || []).forEach(function (pair) { length += pair[1]; });
        lengths[ref] = length;
        total += length;
      });
      var average = count ? total / count : 0;
      docs.forEach(function (ref) {
        var elements = [];
        (freq[f][ref] || []).forEach(function (pair) {
          var tf = pair[1];
          var norm = K1 * (1 - B + B * (lengths[ref] / average)) + tf;
          elements.push(pair[0], Math.round(idf[pair[0]] * ((K1 + 1) * tf) / norm * boosts[f] * 1000) / 1000);
        });
        vectors.push([f + "/" + ref, elements]);
      });
    });
    return { version: p.version, fields: fields, fieldVectors: vectors, invertedIndex: inverted, pipeline: ["stemmer"] };
  }

  function loadIndex() {
    if (!indexLoading) {
      indexLoading = window.pspData.script(root.getAttribute("data-lunr"))
        .then(function () { return fetch(root.getAttribute("data-index"), { credentials: "same-origin" }); })
        .then(function (response) { return response.json(); })
        .then(function (packed) { index = window.lunr.Index.load(unpack(packed)); });
    }
    return indexLoading;
  }

  function queryTerms(text) {
    if (!window.lunr) return null;
    return window.lunr.tokenizer(text)
      .map(function (token) { return window.lunr.trimmer(token); })
      .filter(function (token) { return token && token.toString() && window.lunr.stopWordFilter(token); })
      .map(function (token) { return window.lunr.stemmer(token).toString(); });
  }

  // Resources with a word starting with each stem of ``text``, best first: [[ref, score], ...].
  function search(text) {
    var terms = queryTerms(text);
    if (!terms || !terms.length) return [];
    var started = performance.now();
    var results = index.query(function (q) {
      terms.forEach(function (term) {
        q.term(term, {
          wildcard: window.lunr.Query.wildcard.TRAILING,
          presence: window.lunr.Query.presence.REQUIRED,
          usePipeline: false
        });
      });
    });
    api.lastQueryMs = performance.now() - started;
    return results.map(function (r) { return [r.ref, r.score]; });
  }

  // --- filtering and counts ------------------------------------------------------------------------

  function hasText() {
    return /\w/.test(state.q);
  }

  function matches(position, scores, except) {
    if (scores && !(data.id[position] in scores)) return false;
    for (var f = 0; f < FACETS.length; f++) {
      var facet = FACETS[f];
      if (facet === except || !state[facet].length) continue;
      var values = docValues[position][facet];
      var any = false;
      for (var v = 0; v < values.length; v++) if (state[facet].indexOf(values[v]) >= 0) { any = true; break; }
      if (!any) return false;
    }
    return true;
  }

  function textScores() {
    if (!hasText()) return null;
    var scores = {};
    var terms = queryTerms(state.q);
    if (terms && !terms.length) return null;  // only stop words: no text constraint
    search(state.q).forEach(function (pair) { scores[pair[0]] = pair[1]; });
    return scores;
  }

  function updateCounts(scores) {
    FACETS.forEach(function (facet) {
      var counts = {};
      for (var i = 0; i < data.id.length; i++) {
        if (!matches(i, scores, facet)) continue;
        docValues[i][facet].forEach(function (value) { counts[value] = (counts[value] || 0) + 1; });
      }
      root.querySelectorAll("input[type=checkbox][data-facet=" + facet + "]").forEach(function (box) {
        var count = counts[box.value] || 0;
        var wrapper = box.closest(".usa-checkbox");
        wrapper.querySelector(".finder__count").textContent = "(" + count + ")";
        // Values with no results are hidden, except selected ones: they stay so they can be unticked.
        wrapper.hidden = count === 0 && !box.checked;
      });
    });
  }

  function sorted(positions, scores) {
    var order = data.order;
    var key = state.sort;
    if (key === "relevance" && !scores) key = "newest";
    return positions.sort(function (a, b) {
      if (key === "relevance") {
        var diff = scores[data.id[b]] - scores[data.id[a]];
        if (diff) return diff;
        return order.newest[a] - order.newest[b];
      }
      return order[key][a] - order[key][b];
    });
  }

  // --- rendering -----------------------------------------------------------------------------------

  // focusResults: move focus to the results heading once they are shown; focusFrom: instead, to the
  // result at that position (the first of a newly revealed batch).
  function render(focusResults, focusFrom) {
    var token = ++renderToken;
    // Busy until the cards are in: assistive technology (and the tests) wait for the new list.
    list.setAttribute("aria-busy", "true");
    if (hasText() && !index) {
      setStatus("Loading search…", true);
      loadIndex().then(function () { if (token === renderToken) render(focusResults, focusFrom); }, failed);
      return;
    }
    var scores = textScores();
    var positions = [];
    for (var i = 0; i < data.id.length; i++) if (matches(i, scores, null)) positions.push(i);
    sorted(positions, scores);
    updateCounts(scores);
    renderChips();
    var ids = positions.slice(0, shown).map(function (p) { return data.id[p]; });
    api.resultIds = positions.map(function (p) { return data.id[p]; });
    window.pspData.cards(data, ids).then(function (cards) {
      if (token !== renderToken) return;
      var fragment = document.createDocumentFragment();
      ids.forEach(function (id) {
        if (cards[id]) fragment.appendChild(window.pspData.card(data, id, cards[id], 3));
      });
      list.replaceChildren(fragment);
      // The finder takes the static list's place in one step, once it has results to show, so
      // nothing on the page jumps while data loads.
      if (root.hidden) {
        root.hidden = false;
        if (staticListing) staticListing.hidden = true;
      }
      empty.hidden = positions.length > 0;
      more.hidden = positions.length <= shown;
      var remaining = positions.length - shown;
      var next = Math.min(PAGE, remaining);
      more.textContent = "Show " + next + " more " + (next === 1 ? "resource" : "resources") +
        (remaining > next ? " (" + remaining + " not shown yet)" : "");
      setStatus(summary(positions.length), false);
      if (focusResults) heading.focus();
      var revealed = typeof focusFrom === "number" && list.children[focusFrom];
      if (revealed && revealed.querySelector("a")) revealed.querySelector("a").focus();
      list.removeAttribute("aria-busy");
      root.setAttribute("data-ready", "true");
    }, failed);
  }

  // Says what is shown: everything (and in which order), or what matches the words and filters.
  function summary(n) {
    var filters = chipList.children.length;
    if (!hasText() && !filters) {
      return "Showing all " + n + (n === 1 ? " resource, " : " resources, ") +
        (state.sort === "title" ? "by title." : "newest first.");
    }
    var what = (n === 0 ? "No resources match" : n + (n === 1 ? " resource matches" : " resources match")) +
      (hasText() ? " “" + state.q.trim() + "”" : "");
    if (filters) what += (hasText() ? " and " : " ") + (filters === 1 ? "your filter" : "your " + filters + " filters");
    return what + ".";
  }

  function setStatus(text, now) {
    // The visible count changes at once; the live region speaks only once typing pauses.
    root.querySelector("#finder-count").textContent = text;
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(function () { status.textContent = text; }, now ? 0 : 600);
  }

  function label(facet, value) {
    if (facet === "year") return value;
    var entry = data.vocab[facet].filter(function (pair) { return pair[0] === value; })[0];
    return entry ? entry[1] : value;
  }

  var FACET_NAMES = { area: "Area", type: "Type", size: "Agency size", sponsor: "Sponsor", year: "Year", evidence: "Evidence" };

  function renderChips() {
    var fragment = document.createDocumentFragment();
    FACETS.forEach(function (facet) {
      state[facet].forEach(function (value) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "usa-button usa-button--outline finder__chip";
        button.setAttribute("data-facet", facet);
        button.setAttribute("data-value", value);
        var text = FACET_NAMES[facet] + ": " + label(facet, value);
        button.setAttribute("aria-label", "Remove filter " + text);
        button.textContent = text + " ✕";
        li.appendChild(button);
        fragment.appendChild(li);
      });
    });
    chipList.replaceChildren(fragment);
    var active = chipList.children.length;
    chips.hidden = !active;
    filtersCount.textContent = active ? "(" + active + " active)" : "";
  }

  function failed() {
    list.removeAttribute("aria-busy");
    root.querySelector("#finder-count").textContent = "";
    status.textContent = "The search could not load. Every resource is listed below.";
    if (staticListing) staticListing.hidden = false;
  }

  // --- events --------------------------------------------------------------------------------------

  function changed(push, focusResults) {
    shown = PAGE;
    writeURL(push);
    render(focusResults);
  }

  // On narrow screens the facets fold behind one button, so results come first.
  filtersToggle.addEventListener("click", function () {
    var open = filtersToggle.getAttribute("aria-expanded") !== "true";
    filtersToggle.setAttribute("aria-expanded", open ? "true" : "false");
    root.classList.toggle("finder--filters-open", open);
  });
  input.addEventListener("focus", function () { loadIndex().catch(function () {}); });
  input.addEventListener("input", function () {
    window.clearTimeout(inputTimer);
    inputTimer = window.setTimeout(function () {
      state.q = input.value.slice(0, 200);
      changed(false, false);
    }, 200);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(inputTimer);
    state.q = input.value.slice(0, 200);
    changed(true, false);
  });
  form.addEventListener("change", function (event) {
    var box = event.target;
    if (box === sort) {
      state.sort = SORTS.indexOf(sort.value) >= 0 ? sort.value : "relevance";
      changed(true, false);
      return;
    }
    var facet = box.getAttribute && box.getAttribute("data-facet");
    if (!facet) return;
    var values = state[facet].filter(function (v) { return v !== box.value; });
    if (box.checked) values.push(box.value);
    state[facet] = values;
    changed(true, false);
  });
  chips.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.id === "finder-clear") {
      var q = state.q;
      state = emptyState();
      state.q = q;
    } else {
      var facet = button.getAttribute("data-facet");
      state[facet] = state[facet].filter(function (v) { return v !== button.getAttribute("data-value"); });
    }
    syncForm();
    changed(true, true);
  });
  empty.addEventListener("click", function (event) {
    if (!event.target.closest("button")) return;
    state = emptyState();
    syncForm();
    changed(true, true);
  });
  more.addEventListener("click", function () {
    var first = list.children.length;
    shown += PAGE;
    render(false, first);
  });
  window.addEventListener("popstate", function () {
    state = readURL();
    syncForm();
    shown = PAGE;
    render(false);
  });

  var api = {
    search: function (text) { return loadIndex().then(function () { return search(text); }); },
    resultIds: [],
    lastQueryMs: null
  };
  window.pspFinder = api;

  window.pspData.facets(root.getAttribute("data-facets")).then(function (loaded) {
    data = loaded;
    FACETS.forEach(function (facet) { known[facet] = {}; });
    for (var i = 0; i < data.id.length; i++) {
      docValues.push(window.pspData.values(data, i));
      FACETS.forEach(function (facet) {
        docValues[i][facet].forEach(function (value) { known[facet][value] = true; });
      });
    }
    state = readURL();
    syncForm();
    render(false);
  }, failed);
})();
