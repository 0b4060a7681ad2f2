// Question editor: add, remove and reorder rows of choices and ordering items.
// Progressive enhancement only: without JavaScript the form shows six blank rows
// and empty rows are ignored on save.
(function () {
  "use strict";

  var editor = document.querySelector(".question-editor");
  if (!editor) { return; }

  editor.querySelectorAll(".js-only").forEach(function (el) { el.classList.remove("d-none"); });

  function rows(table) {
    return Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-row]"));
  }

  // WTForms reads list rows by the number in their names (choices-3-text) and keeps
  // that order, so after any change every row is renamed to match its position.
  function renumber(table) {
    var key = table.getAttribute("data-row-list");
    var pattern = new RegExp("^" + key + "-\\d+");
    rows(table).forEach(function (row, index) {
      row.querySelectorAll("input, textarea, select").forEach(function (input) {
        ["name", "id"].forEach(function (attr) {
          var value = input.getAttribute(attr);
          if (value && pattern.test(value)) {
            input.setAttribute(attr, value.replace(pattern, key + "-" + index));
          }
        });
        var label = input.getAttribute("aria-label");
        if (label) { input.setAttribute("aria-label", label.replace(/\d+/, String(index + 1))); }
      });
      var number = row.querySelector("[data-row-number]");
      if (number) { number.textContent = String(index + 1); }
    });
  }

  function clear(row) {
    row.querySelectorAll("input, textarea").forEach(function (input) {
      if (input.type === "checkbox" || input.type === "radio") {
        input.checked = false;
      } else if (input.type !== "hidden") {
        input.value = "";
      }
    });
  }

  editor.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) { return; }

    var listKey = button.getAttribute("data-add-row");
    if (listKey) {
      var table = editor.querySelector('table[data-row-list="' + listKey + '"]');
      var all = rows(table);
      var fresh = all[all.length - 1].cloneNode(true);
      clear(fresh);
      table.querySelector("tbody").appendChild(fresh);
      renumber(table);
      var first = fresh.querySelector("input[type=text], input:not([type]), textarea");
      if (first) { first.focus(); }
      return;
    }

    var row = button.closest("tr[data-row]");
    if (!row) { return; }
    var owner = row.closest("table[data-row-list]");

    if (button.hasAttribute("data-remove-row")) {
      if (rows(owner).length > 1) {
        var next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        var focusTarget = next && next.querySelector("input");
        if (focusTarget) { focusTarget.focus(); }
      } else {
        clear(row);
      }
      renumber(owner);
      return;
    }

    var direction = button.getAttribute("data-move-row");
    if (direction === "up" && row.previousElementSibling) {
      row.parentNode.insertBefore(row, row.previousElementSibling);
    } else if (direction === "down" && row.nextElementSibling) {
      row.parentNode.insertBefore(row.nextElementSibling, row);
    } else {
      return;
    }
    renumber(owner);
    button.focus();
  });
})();
