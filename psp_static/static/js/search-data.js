// Loads the clearinghouse's data files (named with content hashes, listed in data- attributes):
// the facet columns first, result cards in chunks only when they are shown.
(function () {
  "use strict";

  var json = window.pspUtil.json;
  var isLocal = window.pspUtil.isLocal;
  function bits(mask) {
    var found = [];
    for (var i = 0; mask; i++, mask >>>= 1) if (mask & 1) found.push(i);
    return found;
  }

  window.pspData = {
    // Resources come newest first; areas and agency sizes as bit masks (bit i: the i-th value).
    facets: function (url) {
      return json(url).then(function (data) {
        if (data.index) return data;  // already unpacked for an earlier caller
        data.index = {};
        data.id.forEach(function (id, i) { data.index[id] = i; });
        // Columns the file lists as bit masks (bit i: the i-th value of the vocabulary) become lists.
        data.masks.forEach(function (facet) { data[facet] = data[facet].map(bits); });
        data.order.newest = data.id.map(function (_, i) { return i; });
        return data;
      });
    },
    // Cards for the given resource ids: {id: {title, url, summary, link, notes?}}.
    cards: function (facets, ids) {
      var wanted = {};
      ids.forEach(function (id) {
        var position = facets.index[id];
        if (position !== undefined) wanted[Math.floor(position / facets.chunkSize)] = true;
      });
      var urls = Object.keys(wanted).map(function (n) { return facets.chunks[Number(n)]; }).filter(isLocal);
      return Promise.all(urls.map(json)).then(function (chunks) {
        var found = {};
        chunks.forEach(function (chunk) {
          ids.forEach(function (id) { if (chunk[id]) found[id] = chunk[id]; });
        });
        return found;
      });
    },
    // Values of the resource at ``position`` for each of ``names`` (the facets the page offers):
    // {area: [slug...], type: [slug], year: ["2019"], ...}. A column holds indexes into the facet's
    // vocabulary when it has one, the values themselves otherwise (years).
    values: function (facets, position, names) {
      var found = {};
      names.forEach(function (name) {
        var cell = facets[name] ? facets[name][position] : [];
        var list = Array.isArray(cell) ? cell : [cell];
        var vocab = facets.vocab[name];
        found[name] = list.map(function (value) { return vocab ? vocab[value][0] : String(value); });
      });
      return found;
    },
    // A result card, built with DOM calls only: no HTML from data ever reaches the page. ``marks``
    // (optional) gives the [start, end) ranges of a text to highlight: the words a search matched.
    card: function (facets, id, card, headingLevel, marks) {
      var position = facets.index[id];
      var v = facets.vocab;
      var item = document.createElement("li");
      item.className = "usa-collection__item resource-card";
      item.setAttribute("data-resource-id", String(id));
      var body = document.createElement("div");
      body.className = "usa-collection__body";
      var heading = document.createElement("h" + headingLevel);
      heading.className = "usa-collection__heading";
      var link = document.createElement("a");
      link.className = "usa-link";
      link.href = isLocal(card.url) ? card.url : "#";
      window.pspUtil.marked(link, card.title, marks ? marks(card.title) : []);
      heading.appendChild(link);
      body.appendChild(heading);
      var summary = document.createElement("p");
      summary.className = "usa-collection__description";
      window.pspUtil.marked(summary, card.summary, marks ? marks(card.summary) : []);
      body.appendChild(summary);
      var meta = document.createElement("ul");
      meta.className = "usa-collection__meta";
      meta.setAttribute("aria-label", "Details");
      [v.type[facets.type[position]][1], "Published " + facets.year[position], v.sponsor[facets.sponsor[position]][0]]
        .concat(card.notes || []).forEach(function (text) {
          var li = document.createElement("li");
          li.className = "usa-collection__meta-item";
          li.textContent = text;
          meta.appendChild(li);
        });
      body.appendChild(meta);
      if (window.pspToolkit) body.appendChild(window.pspToolkit.button(id, card.title));
      item.appendChild(body);
      return item;
    }
  };
})();
