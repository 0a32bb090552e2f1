// Helpers for the Folium-built site maps: cohort-coloured markers that keyboard users can reach,
// popups built with DOM calls (never HTML from data), focus moved into a popup and back, and the
// state outlines from bundled data so the map works without tiles.
(function () {
  "use strict";

  var SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

  function text(tag, value, className) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (className) el.className = className;
    return el;
  }

  function popupContent(p) {
    var box = document.createElement("div");
    box.className = "site-popup";
    var heading = document.createElement("p");
    heading.className = "site-popup__title";
    var link = document.createElement("a");
    // Links come from the build and always point into the site; refuse anything else.
    link.href = typeof p.url === "string" && p.url.charAt(0) === "/" && p.url.charAt(1) !== "/" ? p.url : "#";
    link.textContent = p.site ? p.site : p.label;
    heading.appendChild(link);
    box.appendChild(heading);
    if (p.site) box.appendChild(text("p", p.label + " is part of this joint site.", "site-popup__note"));
    var list = document.createElement("ul");
    list.className = "site-popup__list";
    (p.engagements || []).forEach(function (line) { list.appendChild(text("li", String(line))); });
    box.appendChild(list);
    return box;
  }

  window.pspMap = {
    marker: function (feature, latlng) {
      var p = feature.properties || {};
      var cohort = SLUG.test(p.cohort) ? p.cohort : "unknown";
      var icon = L.divIcon({ className: "site-pin site-pin--" + cohort, html: "", iconSize: [24, 24] });
      return L.marker(latlng, { icon: icon, title: String(p.label), keyboard: true, riseOnHover: true });
    },

    popup: function (feature, layer) {
      var p = feature.properties || {};
      var viaKeyboard = false;
      layer.bindPopup(function () { return popupContent(p); }, { maxWidth: 280, autoPanPadding: [24, 24] });
      layer.on("add", function () {
        var el = layer.getElement();
        if (!el) return;
        el.setAttribute("aria-label", String(p.label) + " (opens details)");
        el.setAttribute("data-cohort", String(p.cohort));
        el.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") {
            viaKeyboard = true;
            event.preventDefault();
            layer.openPopup();
          }
        });
      });
      layer.on("popupopen", function (event) {
        var link = event.popup.getElement().querySelector(".site-popup a");
        if (viaKeyboard && link) link.focus();
      });
      layer.on("popupclose", function () {
        if (viaKeyboard && layer.getElement()) layer.getElement().focus();
        viaKeyboard = false;
      });
    },

    clusterIcon: function (cluster) {
      // The count is a number, never text from content, so building the icon's HTML is safe.
      var count = Number(cluster.getChildCount()) || 0;
      var size = count < 10 ? 30 : count < 100 ? 34 : 38;
      return L.divIcon({
        className: "site-cluster",
        iconSize: [size, size],
        html: '<span aria-hidden="true">' + count + '</span><span class="usa-sr-only">' + count +
          " sites close together; press Enter to zoom in</span>"
      });
    },

    statesLayer: function () {
      var topology = window.PSP_US_STATES;
      if (!topology || !window.topojson) return L.layerGroup();
      return L.geoJSON(window.topojson.feature(topology, topology.objects.states), {
        interactive: false,
        style: { color: "#71767a", weight: 1, fillColor: "#f0f0f0", fillOpacity: 0.6 }
      });
    },

    ready: function (map) {
      // Escape closes an open popup wherever focus is inside the map.
      map.getContainer().addEventListener("keydown", function (event) {
        if (event.key === "Escape") map.closePopup();
      });
      window.pspMaps = window.pspMaps || {};
      window.pspMaps[map.getContainer().id] = map;
    }
  };
})();
