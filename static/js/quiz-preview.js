// Quiz preview: the learner's "Move up" / "Move down" buttons of ordering
// questions, so a trainer can try an answer. Nothing is saved from here: the
// answers go to the preview's check page with the form. Without scripts the
// items keep the shown order, as on the learner's page.
(function () {
  "use strict";

  var form = document.getElementById("preview-form");
  if (!form) { return; }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-move]");
    if (!button) { return; }
    var item = button.closest("[data-order-id]");
    var list = item && item.parentNode;
    if (!list) { return; }
    if (button.dataset.move === "up" && item.previousElementSibling) {
      list.insertBefore(item, item.previousElementSibling);
    } else if (button.dataset.move === "down" && item.nextElementSibling) {
      list.insertBefore(item.nextElementSibling, item);
    } else {
      return;
    }
    button.focus();
    var status = list.parentNode.querySelector("[data-order-status]");
    if (status) {
      var text = item.querySelector(".ordering-text").textContent;
      var position = Array.prototype.indexOf.call(list.children, item) + 1;
      status.textContent = text + ": position " + position + " of " + list.children.length;
    }
  });

  var result = document.getElementById("preview-result");
  if (result) { result.focus(); }
})();
