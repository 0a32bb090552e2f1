// Site-wide behaviour: the mobile menu and the federal banner's "Here's how you know".
// Everything works without this file; it only adds the collapsing menu on small screens.
(function () {
  "use strict";

  var menuButton = document.querySelector(".usa-menu-btn");
  var nav = document.getElementById("primary-nav");
  var overlay = document.querySelector(".usa-overlay");

  function setMenu(open) {
    if (!nav || !menuButton) return;
    nav.classList.toggle("is-visible", open);
    if (overlay) overlay.classList.toggle("is-visible", open);
    document.body.classList.toggle("usa-js-mobile-nav--active", open);
    menuButton.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      var close = nav.querySelector(".usa-nav__close");
      if (close) close.focus();
    } else {
      menuButton.focus();
    }
  }

  if (menuButton && nav) {
    menuButton.addEventListener("click", function () { setMenu(true); });
    var close = nav.querySelector(".usa-nav__close");
    if (close) close.addEventListener("click", function () { setMenu(false); });
    if (overlay) overlay.addEventListener("click", function () { setMenu(false); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("is-visible")) setMenu(false);
    });
    // Keep keyboard focus inside the open menu panel.
    nav.addEventListener("keydown", function (event) {
      if (event.key !== "Tab" || !nav.classList.contains("is-visible")) return;
      var items = nav.querySelectorAll("a, button");
      var first = items[0];
      var last = items[items.length - 1];
      if (event.shiftKey && document.activeElement === first) { last.focus(); event.preventDefault(); }
      else if (!event.shiftKey && document.activeElement === last) { first.focus(); event.preventDefault(); }
    });
  }

  var bannerButton = document.querySelector(".usa-banner__button");
  if (bannerButton) {
    var content = document.getElementById(bannerButton.getAttribute("aria-controls"));
    bannerButton.addEventListener("click", function () {
      var open = bannerButton.getAttribute("aria-expanded") !== "true";
      bannerButton.setAttribute("aria-expanded", open ? "true" : "false");
      if (content) content.hidden = !open;
      var header = bannerButton.closest(".usa-banner__header");
      if (header) header.classList.toggle("usa-banner__header--expanded", open);
    });
  }
})();
