// Keying test preview: moving between records and entries as on the learner's
// test page (Tab, Enter, PageUp/PageDown, Previous/Next record), so a trainer
// can try the test. It saves nothing, records no keystroke and cannot submit:
// the learner's saving and keystroke capture (keying.js) are not on this page.
(function () {
  "use strict";

  var root = document.getElementById("keying-preview");
  var form = root && root.querySelector(".keying-form");
  if (!form) { return; }
  var kind = root.dataset.kind;

  var records = Array.prototype.slice.call(root.querySelectorAll("[data-keying-record]"));
  var progressEl = root.querySelector("[data-keying-progress]");
  var prevBtn = root.querySelector("[data-keying-prev]");
  var nextBtn = root.querySelector("[data-keying-next]");
  var current = 0;

  function showRecord(index, focusFirst) {
    if (!records.length) { return; }
    current = Math.max(0, Math.min(records.length - 1, index));
    records.forEach(function (section, i) { section.hidden = i !== current; });
    if (progressEl) { progressEl.textContent = "Record " + (current + 1) + " of " + records.length; }
    if (prevBtn) { prevBtn.disabled = current === 0; }
    if (nextBtn) { nextBtn.disabled = current === records.length - 1; }
    if (focusFirst) {
      var first = records[current].querySelector(".keying-input");
      if (first) { first.focus(); }
    }
  }

  function advance(el) {
    var scope = kind === "record_entry" ? el.closest("[data-keying-record]") : form;
    var inputs = Array.prototype.slice.call(scope.querySelectorAll(".keying-input"));
    var i = inputs.indexOf(el);
    if (i >= 0 && i < inputs.length - 1) {
      inputs[i + 1].focus();
      if (kind === "ten_key") { inputs[i + 1].scrollIntoView({ block: "center" }); }
    } else if (kind === "record_entry" && current < records.length - 1) {
      showRecord(current + 1, true);
    }
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("keydown", function (e) {
    var el = e.target;
    if (!el.classList || !el.classList.contains("keying-input")) { return; }
    if (e.key === "Enter" && el.tagName !== "TEXTAREA") {
      e.preventDefault();
      advance(el);
    } else if (kind === "record_entry" && (e.key === "PageDown" || e.key === "PageUp")) {
      e.preventDefault();
      showRecord(current + (e.key === "PageDown" ? 1 : -1), true);
    }
  });

  if (records.length) {
    var nav = root.querySelector("[data-keying-record-nav]");
    if (nav) { nav.hidden = false; }
    records.forEach(function (section) {
      var heading = section.querySelector("h2");
      if (heading) { heading.classList.add("visually-hidden"); }
    });
    if (prevBtn) { prevBtn.addEventListener("click", function () { showRecord(current - 1, true); }); }
    if (nextBtn) { nextBtn.addEventListener("click", function () { showRecord(current + 1, true); }); }
    showRecord(0, false);
  }
})();
