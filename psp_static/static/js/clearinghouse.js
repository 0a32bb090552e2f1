// The clearinghouse finder, wired together: facets with live counts, text search (search-engine.js,
// which loads its index on first use), sorting, and all of it kept in the URL so a link reproduces
// the view and Back/Forward work (finder-state.js); finder-view.js draws it. Without these scripts
// the page lists every resource instead.
(function () {
  "use strict";

  var root = document.getElementById("finder");
  if (!root || !window.fetch || !window.pspData || !window.pspSearch) return;

  var PAGE = 20;  // results shown at a time: as many as fit a card file (search_index.CARD_CHUNK)
  var facets = new window.pspFinderState.Facets(root);
  var view = new window.pspFinderView.View(root, facets);
  var engine = window.pspSearch.open(root.getAttribute("data-index"), root.getAttribute("data-lunr"));
  var data = null;
  var values = [];  // per resource: its facet values
  var state = facets.empty();
  var shown = PAGE;
  var drawn = 0;    // the latest render; an older one that finishes late is dropped
  var searched = false;  // whether the engine has answered once (its index is loaded)

  var form = root.querySelector("form");
  var input = root.querySelector("#finder-q");
  var sort = root.querySelector("#finder-sort");
  var staticListing = document.getElementById("static-listing");
  var filtersToggle = root.querySelector("#finder-filters-toggle");

  function hasText() {
    return /\w/.test(state.q);
  }

  function syncForm() {
    input.value = state.q;
    sort.value = state.sort;
    root.querySelectorAll("input[type=checkbox][data-facet]").forEach(function (box) {
      box.checked = state[box.getAttribute("data-facet")].indexOf(box.value) >= 0;
      if (box.checked) box.closest("details").open = true;  // a facet in use is never folded away
    });
  }

  // The filters whose removal alone would give results, with how many: [[facet, value, count]...].
  function offers(scores) {
    return facets.active(state).map(function (pair) {
      var fewer = Object.assign({}, state);
      fewer[pair[0]] = state[pair[0]].filter(function (v) { return v !== pair[1]; });
      return [pair[0], pair[1], facets.select(data, values, fewer, scores).length];
    }).filter(function (offer) { return offer[2] > 0; });
  }

  // focusResults: move focus to the results heading once they are shown; focusFrom: instead, to the
  // result at that position (the first of a newly revealed batch).
  function render(focusResults, focusFrom) {
    var token = ++drawn;
    view.busy();
    if (!hasText()) { draw(token, null, focusResults, focusFrom); return; }
    if (!searched) view.say("Loading search…", true);
    engine.query(state.q).then(function (result) {
      searched = true;
      if (result && token === drawn) draw(token, result, focusResults, focusFrom);
    }, failed);
  }

  function draw(token, result, focusResults, focusFrom) {
    // A query of stop words only ("the") puts no constraint on the text.
    var scores = result && result.words.length ? result.scores : null;
    var positions = facets.sort(data, facets.select(data, values, state, scores), state, scores);
    view.countsFor(facets.counts(data, values, state, scores));
    view.chipsFor(state);
    var ids = positions.slice(0, shown).map(function (p) { return data.id[p]; });
    var marks = scores ? function (text) { return engine.marks(text, result); } : null;
    window.pspData.cards(data, ids).then(function (cards) {
      if (token !== drawn) return;
      view.results(data, ids, cards, marks);
      // The finder takes the static list's place in one step, once it has results to show, so
      // nothing on the page jumps while data loads.
      if (root.hidden) {
        root.hidden = false;
        if (staticListing) staticListing.hidden = true;
      }
      view.moreFor(positions.length, shown, PAGE);
      var help = view.help(positions.length, result && result.suggestion, positions.length ? [] : offers(scores));
      view.say(view.summary(positions.length, state, hasText()), false, help);
      view.done(focusResults, focusFrom);
    }, failed);
  }

  function failed() {
    view.failed();
    if (staticListing) staticListing.hidden = false;
  }

  function changed(push, focusResults) {
    shown = PAGE;
    facets.write(state, push);
    render(focusResults);
  }

  function search(text, push) {
    state.q = text.slice(0, 200);
    changed(push, false);
  }

  // Removes one chosen value (a chip, or an offer in the no-results help).
  function unfilter(facet, value) {
    state[facet] = state[facet].filter(function (v) { return v !== value; });
    syncForm();
    changed(true, true);
  }

  // On narrow screens the facets fold behind one button, so results come first.
  filtersToggle.addEventListener("click", function () {
    var open = filtersToggle.getAttribute("aria-expanded") !== "true";
    filtersToggle.setAttribute("aria-expanded", open ? "true" : "false");
    root.classList.toggle("finder--filters-open", open);
  });
  input.addEventListener("focus", function () { engine.ready().catch(function () {}); });
  // Results follow each keystroke: the engine drops a query a newer one has overtaken.
  input.addEventListener("input", function () { search(input.value, false); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    search(input.value, true);
  });
  form.addEventListener("change", function (event) {
    var box = event.target;
    if (box === sort) {
      state.sort = facets.sortOf(sort.value);
      changed(true, false);
      return;
    }
    var facet = box.getAttribute && box.getAttribute("data-facet");
    if (!facet) return;
    var chosen = state[facet].filter(function (v) { return v !== box.value; });
    if (box.checked) chosen.push(box.value);
    state[facet] = chosen;
    changed(true, false);
  });
  root.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target) return;
    if (target.id === "finder-clear" || target.id === "finder-reset") {
      var q = target.id === "finder-clear" ? state.q : "";
      state = facets.empty();
      state.q = q;
      syncForm();
      changed(true, true);
    } else if (target.id === "finder-suggestion") {
      input.value = target.textContent;
      search(input.value, true);
      input.focus();
    } else if (target.hasAttribute("data-facet") && target.hasAttribute("data-value")) {
      unfilter(target.getAttribute("data-facet"), target.getAttribute("data-value"));
    }
  });
  view.more.addEventListener("click", function () {
    var first = view.list.children.length;
    shown += PAGE;
    render(false, first);
  });
  window.addEventListener("popstate", function () {
    state = facets.read();
    syncForm();
    shown = PAGE;
    render(false);
  });

  window.pspData.facets(root.getAttribute("data-facets")).then(function (loaded) {
    data = loaded;
    for (var i = 0; i < data.id.length; i++) values.push(window.pspData.values(data, i, facets.names));
    state = facets.read();
    syncForm();
    render(false);
  }, failed);
})();
