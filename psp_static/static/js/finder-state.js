// The clearinghouse finder's state: which facets the page offers (read from its checkboxes, so a
// facet added to the template needs no script change), the query, filters and sort order, kept in
// the URL so a link reproduces the view; and which resources a state selects.
(function () {
  "use strict";

  var SORTS = ["relevance", "newest", "title"];

  // The facets of the form in ``root``, in page order: names, short names for chips (the
  // ``data-facet-name`` around each group), and the label of each value.
  function Facets(root) {
    var facets = this;
    this.names = [];
    this.short = {};
    this.labels = {};
    root.querySelectorAll("input[type=checkbox][data-facet]").forEach(function (box) {
      var facet = box.getAttribute("data-facet");
      if (!facets.labels[facet]) {
        facets.names.push(facet);
        facets.labels[facet] = {};
        var group = box.closest("[data-facet-name]");
        facets.short[facet] = group ? group.getAttribute("data-facet-name") : facet;
      }
      var label = box.labels && box.labels[0];
      facets.labels[facet][box.value] = label ? label.firstChild.textContent.trim() : box.value;
    });
  }

  Facets.prototype.empty = function () {
    var state = { q: "", sort: "relevance" };
    this.names.forEach(function (facet) { state[facet] = []; });
    return state;
  };

  // "Area: Crime Analysis", for chips and the no-results help.
  Facets.prototype.describe = function (facet, value) {
    return this.short[facet] + ": " + (this.labels[facet][value] || value);
  };

  // Every (facet, value) the state filters by, in page order.
  Facets.prototype.active = function (state) {
    var found = [];
    this.names.forEach(function (facet) {
      state[facet].forEach(function (value) { found.push([facet, value]); });
    });
    return found;
  };

  // The state in the address bar. Only values the page offers are kept; anything else in a link
  // is ignored.
  Facets.prototype.read = function () {
    var params = new URLSearchParams(window.location.search);
    var state = this.empty();
    var labels = this.labels;
    state.q = (params.get("q") || "").slice(0, 200);
    state.sort = SORTS.indexOf(params.get("sort")) >= 0 ? params.get("sort") : "relevance";
    this.names.forEach(function (facet) {
      (params.get(facet) || "").split(",").forEach(function (value) {
        if (labels[facet][value] !== undefined && state[facet].indexOf(value) < 0) state[facet].push(value);
      });
    });
    return state;
  };

  // Puts ``state`` in the address bar: a new history entry when ``push``, else in place.
  Facets.prototype.write = function (state, push) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    this.names.forEach(function (facet) {
      if (state[facet].length) params.set(facet, state[facet].slice().sort().join(","));
    });
    if (state.sort !== "relevance") params.set("sort", state.sort);
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query.replace(/%2C/g, ",") : "");
    if (url === window.location.pathname + window.location.search) return;
    if (push) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  };

  Facets.prototype.sortOf = function (value) {
    return SORTS.indexOf(value) >= 0 ? value : "relevance";
  };

  // Whether the resource with facet values ``values`` passes the state's filters (OR within a
  // facet, AND across facets), leaving out ``except`` (to count what choosing its values would give).
  Facets.prototype.passes = function (values, state, except) {
    for (var f = 0; f < this.names.length; f++) {
      var facet = this.names[f];
      if (facet === except || !state[facet].length) continue;
      if (!values[facet].some(function (value) { return state[facet].indexOf(value) >= 0; })) return false;
    }
    return true;
  };

  // Positions (into ``data.id``) of the resources ``state`` selects; ``scores`` (ref: score) limits
  // them to text matches when there is a text query.
  Facets.prototype.select = function (data, values, state, scores) {
    var found = [];
    for (var i = 0; i < data.id.length; i++) {
      if ((!scores || data.id[i] in scores) && this.passes(values[i], state, null)) found.push(i);
    }
    return found;
  };

  // Per facet, per value: how many resources choosing that value would give.
  Facets.prototype.counts = function (data, values, state, scores) {
    var facets = this;
    var counts = {};
    this.names.forEach(function (facet) {
      var tally = counts[facet] = {};
      for (var i = 0; i < data.id.length; i++) {
        if (scores && !(data.id[i] in scores)) continue;
        if (!facets.passes(values[i], state, facet)) continue;
        values[i][facet].forEach(function (value) { tally[value] = (tally[value] || 0) + 1; });
      }
    });
    return counts;
  };

  // Sorts ``positions`` in place by the state's order; relevance needs scores, else newest first.
  Facets.prototype.sort = function (data, positions, state, scores) {
    var key = state.sort === "relevance" && !scores ? "newest" : state.sort;
    var order = data.order;
    return positions.sort(function (a, b) {
      if (key === "relevance") return scores[data.id[b]] - scores[data.id[a]] || order.newest[a] - order.newest[b];
      return order[key][a] - order[key][b];
    });
  };

  window.pspFinderState = { Facets: Facets };
})();
