// The toolkit page: the saved resources grouped by core area, with a share link, print, CSV
// download and "Clear toolkit". A link of the form /toolkit/?r=12,34 shows someone else's toolkit.
(function () {
  "use strict";

  var root = document.getElementById("toolkit");
  if (!root || !window.pspData || !window.pspToolkit) return;

  var toolkit = window.pspToolkit;
  var data = null;
  var shared = sharedIds();
  var undo = [];

  var groups = root.querySelector("#toolkit-groups");
  var intro = root.querySelector("#toolkit-intro");
  var notice = root.querySelector("#toolkit-notice");
  var actions = root.querySelector("#toolkit-actions");
  var share = root.querySelector("#toolkit-share");
  var emptyMessage = root.querySelector("#toolkit-empty");
  var saveShared = root.querySelector("#toolkit-save-shared");
  var clearButton = root.querySelector("#toolkit-clear");
  var undoButton = root.querySelector("#toolkit-undo");
  var siteUrl = root.getAttribute("data-site-url");
  var email = root.querySelector("#toolkit-email");
  var emailBase = email.getAttribute("href");

  function sharedIds() {
    var raw = new URLSearchParams(window.location.search).get("r");
    if (raw === null) return null;
    return raw.split(",").slice(0, 500).map(Number).filter(function (id) { return Number.isInteger(id) && id > 0; });
  }

  function currentIds() {
    return shared !== null ? shared : toolkit.ids();
  }

  function render() {
    var wanted = currentIds();
    var ids = wanted.filter(function (id) { return data.index[id] !== undefined; });
    var missing = wanted.length - ids.length;
    notice.hidden = missing === 0;
    notice.textContent = missing === 1 ? "One resource in this toolkit is no longer in the clearinghouse." :
      missing + " resources in this toolkit are no longer in the clearinghouse.";
    if (shared !== null) {
      intro.textContent = ids.length ? "Someone shared this toolkit with you: " + ids.length +
        (ids.length === 1 ? " resource." : " resources.") + " Save " + (ids.length === 1 ? "it" : "them") +
        " to keep " + (ids.length === 1 ? "it" : "them") + " in your own toolkit." :
        "This shared link does not list any resource that is in the clearinghouse.";
    } else {
      intro.textContent = ids.length ? "You have saved " + ids.length + (ids.length === 1 ? " resource." : " resources.") +
        " They are kept in this browser only." : "";
    }
    emptyMessage.hidden = ids.length > 0 || shared !== null;
    actions.hidden = ids.length === 0;
    saveShared.hidden = shared === null || ids.length === 0;
    saveShared.closest("li").hidden = saveShared.hidden;
    clearButton.hidden = shared !== null;
    clearButton.closest("li").hidden = clearButton.hidden;
    share.value = siteUrl + "toolkit/?r=" + ids.join(",");
    // The template's link ends in "&body=" (subject and address encoded by the build); the body
    // is the share link, encoded the same way (RFC 6068: %20 for spaces, %0D%0A for line breaks).
    email.href = emailBase + encodeURIComponent(email.getAttribute("data-intro") + "\r\n" + share.value);
    window.pspData.cards(data, ids).then(function (cards) {
      var fragment = document.createDocumentFragment();
      data.vocab.area.forEach(function (area, areaIndex) {
        // A resource is listed under its first (main) core area.
        var inArea = ids.filter(function (id) { return data.area[data.index[id]][0] === areaIndex && cards[id]; });
        if (!inArea.length) return;
        inArea.sort(function (a, b) { return data.order.title[data.index[a]] - data.order.title[data.index[b]]; });
        var section = document.createElement("section");
        section.className = "toolkit-group";
        var h2 = document.createElement("h2");
        h2.textContent = area[1] + " (" + inArea.length + ")";
        section.appendChild(h2);
        var list = document.createElement("ul");
        list.className = "usa-collection";
        inArea.forEach(function (id) {
          var item = window.pspData.card(data, id, cards[id], 3);
          if (cards[id].link) {
            var link = document.createElement("p");
            link.className = "toolkit-link";
            link.textContent = "Online at: " + cards[id].link;
            item.querySelector(".usa-collection__body").appendChild(link);
          }
          list.appendChild(item);
        });
        section.appendChild(list);
        fragment.appendChild(section);
      });
      groups.replaceChildren(fragment);
      root.setAttribute("data-ready", "true");
    });
  }

  function csvCell(value) {
    var text = String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;  // keep spreadsheets from running it as a formula
    return '"' + text.replace(/"/g, '""') + '"';
  }

  function download() {
    var ids = currentIds().filter(function (id) { return data.index[id] !== undefined; });
    window.pspData.cards(data, ids).then(function (cards) {
      var rows = [["Resource number", "Title", "Type", "Core areas", "Agency sizes", "Sponsor", "Year", "Page", "Online at"]];
      ids.forEach(function (id) {
        var p = data.index[id];
        var v = data.vocab;
        rows.push([
          id,
          cards[id].title,
          v.type[data.type[p]][1],
          data.area[p].map(function (i) { return v.area[i][1]; }).join("; "),
          data.size[p].map(function (i) { return v.size[i][1]; }).join("; "),
          v.sponsor[data.sponsor[p]][1],
          data.year[p],
          window.location.origin + cards[id].url,
          cards[id].link
        ]);
      });
      var text = rows.map(function (row) { return row.map(csvCell).join(","); }).join("\r\n") + "\r\n";
      var blob = new Blob(["\ufeff" + text], { type: "text/csv;charset=utf-8" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "psp-toolkit.csv";
      document.body.appendChild(link);
      link.click();
      link.remove();
      window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    });
  }

  root.querySelector("#toolkit-copy").addEventListener("click", function () {
    var done = function () { toolkit.announce("Link copied."); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(share.value).then(done, function () { share.select(); });
    } else {
      share.select();
    }
  });
  root.querySelector("#toolkit-print").addEventListener("click", function () { window.print(); });
  root.querySelector("#toolkit-download").addEventListener("click", download);
  saveShared.addEventListener("click", function () {
    toolkit.add(shared.filter(function (id) { return data.index[id] !== undefined; }));
    toolkit.announce("Saved to your toolkit. " + toolkit.ids().length + " saved.");
  });
  clearButton.addEventListener("click", function () {
    undo = toolkit.ids();
    toolkit.clear();
    undoButton.hidden = false;
    toolkit.announce("Toolkit cleared.");
    undoButton.focus();
  });
  undoButton.addEventListener("click", function () {
    toolkit.set(undo);
    undoButton.hidden = true;
    toolkit.announce("Toolkit restored: " + undo.length + " saved.");
    clearButton.focus();
  });
  toolkit.onChange(function (ids) { if (ids.length) undoButton.hidden = true; });
  toolkit.onChange(function () { if (data && shared === null) render(); });

  // A shared toolkit is someone else's list: say so in the heading and the title.
  if (shared !== null) {
    var h1 = document.querySelector("h1");
    if (h1) h1.textContent = "A shared toolkit";
    document.title = document.title.replace(/^[^|]*\|/, "A shared toolkit |");
    var own = document.createElement("p");
    var link = document.createElement("a");
    link.className = "usa-link";
    link.href = window.location.pathname;
    link.textContent = "Go to your own toolkit";
    own.appendChild(link);
    intro.parentNode.insertBefore(own, intro.nextSibling);
  }

  window.pspData.facets(root.getAttribute("data-facets")).then(function (loaded) {
    data = loaded;
    root.querySelector("#toolkit-nojs").hidden = true;
    root.querySelector("#toolkit-app").hidden = false;
    render();
  });
})();
