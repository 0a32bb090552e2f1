// Helpers for the Folium-built site maps: cohort-coloured markers that keyboard users can reach,
// popups built with DOM calls (never HTML from data), focus moved into a popup and back, and the
// state outlines from bundled data so the map works without tiles.
(function () {
  "use strict";

  var SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var COLOR = /^#[0-9a-fA-F]{6}$/;

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
    link.href = window.pspUtil.isLocal(p.url) ? p.url : "#";
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
      // A ring in the colours of the cohorts inside, in proportion, so the legend stays true at
      // every zoom; the number counts sites (a joint site's two places, or a site's markers in
      // two cohorts, are one site). The ring is set through the style object (CSSOM), which the
      // Content-Security-Policy allows, and nothing from content becomes HTML.
      var sites = {};
      var shares = {};
      cluster.getAllChildMarkers().forEach(function (marker) {
        var p = (marker.feature && marker.feature.properties) || {};
        sites[String(p.url)] = true;
        var color = COLOR.test(p.color) ? p.color : "#565c65";
        var key = ("000" + (Number(p.order) || 0)).slice(-4) + color;
        shares[key] = (shares[key] || 0) + 1;
      });
      var count = Object.keys(sites).length;
      var total = cluster.getChildCount() || 1;
      var stops = [];
      var at = 0;
      Object.keys(shares).sort().forEach(function (key) {
        var color = key.slice(4);
        var end = at + (shares[key] / total) * 360;
        stops.push(color + " " + at.toFixed(1) + "deg " + end.toFixed(1) + "deg");
        at = end;
      });
      var size = count < 10 ? 34 : count < 100 ? 40 : 46;
      var ring = document.createElement("span");
      ring.className = "site-cluster__ring";
      ring.style.background = "conic-gradient(" + stops.join(", ") + ")";
      var number = document.createElement("span");
      number.className = "site-cluster__count";
      number.setAttribute("aria-hidden", "true");
      number.textContent = String(count);
      ring.appendChild(number);
      var label = document.createElement("span");
      label.className = "usa-sr-only";
      label.textContent = count + (count === 1 ? " site" : " sites") + " close together; press Enter to zoom in";
      ring.appendChild(label);
      return L.divIcon({ className: "site-cluster", iconSize: [size, size], html: ring });
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
      // The build frames every site with padding sized for a desktop map; on a phone that padding
      // would take a third of the width, so frame them again with less at the sides.
      if (map.getSize().x < 600) {
        var group = null;
        map.eachLayer(function (layer) { if (window.L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup) group = layer; });
        if (group && group.getLayers().length) {
          map.fitBounds(group.getBounds(), { paddingTopLeft: [14, 56], paddingBottomRight: [14, 40], animate: false });
        }
      }
      // Escape closes an open popup wherever focus is inside the map.
      map.getContainer().addEventListener("keydown", function (event) {
        if (event.key === "Escape") map.closePopup();
      });
      window.pspMaps = window.pspMaps || {};
      window.pspMaps[map.getContainer().id] = map;
    }
  };
})();
