// Loads the clearinghouse's data files (named with content hashes, listed in data- attributes):
// the facet columns first, result cards in chunks only when they are shown.
(function () {
  "use strict";

  var cache = {};

  function json(url) {
    if (!cache[url]) {
      cache[url] = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("Could not load " + url + " (" + response.status + ")");
        return response.json();
      });
    }
    return cache[url];
  }

  function bits(mask) {
    var found = [];
    for (var i = 0; mask; i++, mask >>>= 1) if (mask & 1) found.push(i);
    return found;
  }

  function isLocal(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/";
  }

  window.pspData = {
    isLocal: isLocal,
    // Resources come newest first; areas and agency sizes as bit masks (bit i: the i-th value).
    facets: function (url) {
      return json(url).then(function (data) {
        if (data.index) return data;  // already unpacked for an earlier caller
        data.index = {};
        data.id.forEach(function (id, i) { data.index[id] = i; });
        data.area = data.area.map(bits);
        data.size = data.size.map(bits);
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
    // Facet values of the resource at ``position``: {area: [slug...], type: [slug], ...}.
    values: function (facets, position) {
      var v = facets.vocab;
      return {
        area: facets.area[position].map(function (i) { return v.area[i][0]; }),
        type: [v.type[facets.type[position]][0]],
        size: facets.size[position].map(function (i) { return v.size[i][0]; }),
        sponsor: [v.sponsor[facets.sponsor[position]][0]],
        year: [String(facets.year[position])],
        evidence: facets.evidence && facets.evidence[position] ? ["rated"] : []
      };
    },
    // A result card, built with DOM calls only: no HTML from data ever reaches the page.
    card: function (facets, id, card, headingLevel) {
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
      link.textContent = card.title;
      heading.appendChild(link);
      body.appendChild(heading);
      var summary = document.createElement("p");
      summary.className = "usa-collection__description";
      summary.textContent = card.summary;
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
    },
    // Load a script once (lunr.js on demand); the CSP allows our own origin.
    script: function (url) {
      if (!cache[url]) {
        cache[url] = new Promise(function (resolve, reject) {
          if (!isLocal(url)) { reject(new Error("refusing " + url)); return; }
          var tag = document.createElement("script");
          tag.src = url;
          tag.onload = resolve;
          tag.onerror = function () { reject(new Error("Could not load " + url)); };
          document.head.appendChild(tag);
        });
      }
      return cache[url];
    }
  };
})();
