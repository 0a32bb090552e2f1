// What the clearinghouse finder shows: result cards (matched words highlighted), filter chips,
// facet counts, the count line and the live region, and help when nothing matches. DOM calls only:
// no HTML from data ever reaches the page.
(function () {
  "use strict";

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  function button(className, text, attributes) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.textContent = text;
    Object.keys(attributes || {}).forEach(function (name) { element.setAttribute(name, attributes[name]); });
    return element;
  }

  function View(root, facets) {
    this.root = root;
    this.facets = facets;
    this.list = root.querySelector("#finder-results");
    this.count = root.querySelector("#finder-count");
    this.status = root.querySelector("#finder-status");
    this.chips = root.querySelector("#finder-chips");
    this.chipList = this.chips.querySelector("ul");
    this.filtersCount = root.querySelector("#finder-filters-count");
    this.empty = root.querySelector("#finder-empty");
    this.suggest = root.querySelector("#finder-suggest");
    this.suggestion = root.querySelector("#finder-suggestion");
    this.unfilter = root.querySelector("#finder-unfilter");
    this.more = root.querySelector("#finder-more");
    this.heading = root.querySelector("#finder-results-heading");
    this.announceTimer = null;
  }

  // Marks the list as changing: assistive technology (and the tests) wait for the new one.
  View.prototype.busy = function () {
    this.list.setAttribute("aria-busy", "true");
  };

  // The visible count changes at once; the live region speaks only once typing pauses, and says
  // ``more`` too (what the no-results help offers, which the page shows below).
  View.prototype.say = function (text, now, more) {
    var status = this.status;
    var spoken = more ? text + " " + more : text;
    this.count.textContent = text;
    window.clearTimeout(this.announceTimer);
    this.announceTimer = window.setTimeout(function () { status.textContent = spoken; }, now ? 0 : 600);
  };

  View.prototype.chipsFor = function (state) {
    var fragment = document.createDocumentFragment();
    var facets = this.facets;
    facets.active(state).forEach(function (pair) {
      var text = facets.describe(pair[0], pair[1]);
      var li = document.createElement("li");
      li.appendChild(button("usa-button usa-button--outline finder__chip", text + " ✕",
        { "data-facet": pair[0], "data-value": pair[1], "aria-label": "Remove filter " + text }));
      fragment.appendChild(li);
    });
    this.chipList.replaceChildren(fragment);
    var active = this.chipList.children.length;
    this.chips.hidden = !active;
    this.filtersCount.textContent = active ? "(" + active + " active)" : "";
  };

  // Each value's count beside its checkbox; values with none are hidden, except chosen ones, which
  // stay so they can be unticked.
  View.prototype.countsFor = function (counts) {
    this.root.querySelectorAll("input[type=checkbox][data-facet]").forEach(function (box) {
      var count = counts[box.getAttribute("data-facet")][box.value] || 0;
      var wrapper = box.closest(".usa-checkbox");
      wrapper.querySelector(".finder__count").textContent = "(" + count + ")";
      wrapper.hidden = count === 0 && !box.checked;
    });
  };

  // Says what is shown: everything (and in which order), or what matches the words and filters.
  View.prototype.summary = function (n, state, text) {
    var filters = this.facets.active(state).length;
    if (!text && !filters) {
      return "Showing all " + plural(n, "resource", "resources") + ", " + (state.sort === "title" ? "by title." : "newest first.");
    }
    var what = (n === 0 ? "No resources match" : plural(n, "resource matches", "resources match")) +
      (text ? " “" + state.q.trim() + "”" : "");
    if (filters) what += (text ? " and " : " ") + (filters === 1 ? "your filter" : "your " + filters + " filters");
    return what + ".";
  };

  // Puts the cards of ``ids`` in the list; ``marks(text)`` gives the ranges to highlight.
  View.prototype.results = function (data, ids, cards, marks) {
    var fragment = document.createDocumentFragment();
    ids.forEach(function (id) {
      if (cards[id]) fragment.appendChild(window.pspData.card(data, id, cards[id], 3, marks));
    });
    this.list.replaceChildren(fragment);
  };

  View.prototype.moreFor = function (total, shown, page) {
    var remaining = total - shown;
    var next = Math.min(page, remaining);
    this.more.hidden = remaining <= 0;
    this.more.textContent = "Show " + plural(next, "more resource", "more resources") +
      (remaining > next ? " (" + remaining + " not shown yet)" : "");
  };

  // With no results: the nearest known word, and one button per filter whose removal would give
  // results (``offers``: [[facet, value, count], ...]). Returns what the live region should add.
  View.prototype.help = function (total, suggestion, offers) {
    var facets = this.facets;
    this.empty.hidden = total > 0;
    this.suggest.hidden = total > 0 || !suggestion;
    this.suggestion.textContent = suggestion || "";
    var fragment = document.createDocumentFragment();
    var spoken = [];
    if (total === 0) {
      if (suggestion) spoken.push("Did you mean “" + suggestion + "”?");
      offers.forEach(function (offer) {
        var text = facets.describe(offer[0], offer[1]);
        var li = document.createElement("li");
        li.appendChild(button("usa-button usa-button--outline finder__unfilter",
          "Remove the filter " + text + " (" + plural(offer[2], "resource", "resources") + ")",
          { "data-facet": offer[0], "data-value": offer[1] }));
        fragment.appendChild(li);
        spoken.push("Removing the filter " + text + " would show " + plural(offer[2], "resource", "resources") + ".");
      });
    }
    this.unfilter.replaceChildren(fragment);
    this.unfilter.hidden = !this.unfilter.children.length;
    return spoken.join(" ");
  };

  // The list is current: focus the heading, or the first card from ``focusFrom`` (a new batch).
  View.prototype.done = function (focusResults, focusFrom) {
    if (focusResults) this.heading.focus();
    var revealed = typeof focusFrom === "number" && this.list.children[focusFrom];
    if (revealed && revealed.querySelector("a")) revealed.querySelector("a").focus();
    this.list.removeAttribute("aria-busy");
    this.root.setAttribute("data-ready", "true");
  };

  View.prototype.failed = function () {
    this.list.removeAttribute("aria-busy");
    this.count.textContent = "";
    this.status.textContent = "The search could not load. Every resource is listed below.";
  };

  window.pspFinderView = { View: View };
})();
