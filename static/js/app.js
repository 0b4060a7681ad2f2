// Progressive enhancement shared by every page (no inline scripts: the CSP forbids them).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    // One click, one submission: disable the buttons once the form is on its way.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }, 0);
  });
  var errors = document.getElementById("form-errors");
  if (errors) { errors.focus(); }

  // Navigation menus are <details>, so they open and close without JavaScript too.
  // With it they behave like menus: one open at a time, closed by Escape (focus
  // back on the menu's name, so the keyboard user is where they were) or by a
  // click anywhere else.
  var menus = Array.prototype.slice.call(document.querySelectorAll(".nav-menu details"));
  function closeMenusExcept(keep) {
    menus.forEach(function (menu) { if (menu !== keep) { menu.open = false; } });
  }
  menus.forEach(function (menu) {
    menu.addEventListener("toggle", function () { if (menu.open) { closeMenusExcept(menu); } });
  });
  document.addEventListener("click", function (event) {
    menus.forEach(function (menu) {
      if (menu.open && !menu.contains(event.target)) { menu.open = false; }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    menus.forEach(function (menu) {
      if (!menu.open) { return; }
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  });

  // A table wider than the screen scrolls inside its wrapper. Keyboard users can
  // scroll it only if the wrapper takes focus, and a screen reader should say
  // what the region is; a wrapper that fits gets neither, so the Tab order holds
  // no stops that do nothing. Checked again when the window changes size.
  function scrollersTakeFocus() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        var caption = box.querySelector("caption");
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table, scrolls sideways");
        box.setAttribute("data-scroller", "");
      } else if (!scrolls && box.hasAttribute("data-scroller")) {
        ["tabindex", "role", "aria-label", "data-scroller"].forEach(function (name) { box.removeAttribute(name); });
      }
    });
  }
  scrollersTakeFocus();
  var resizing = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(scrollersTakeFocus, 150);
  });
})();
