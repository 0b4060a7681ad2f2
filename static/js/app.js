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
})();
