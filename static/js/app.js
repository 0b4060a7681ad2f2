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
})();
