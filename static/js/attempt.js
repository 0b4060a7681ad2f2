// Quiz attempt page: reading and writing each question's answer, paging, the
// jump list, flags for review and the countdown's look. Saving, the copy kept
// on the device, retries, the clock and submitting are the attempt client's
// (attempt-client.js). Without scripts the page is one plain form that posts
// every answer (see lms/attempts/views.py submit_form).
(function () {
  "use strict";

  var root = document.getElementById("attempt");
  var form = document.getElementById("attempt-form");
  if (!root || !form || !window.fetch || !window.AttemptClient) { return; }

  var data = root.dataset;
  var TYPING_DELAY_MS = 800;
  var CHANGE_DELAY_MS = 250;

  var questions = Array.prototype.slice.call(form.querySelectorAll("fieldset.question"));
  var byId = {};
  questions.forEach(function (fs) { byId[fs.dataset.itemId] = fs; });
  var pages = Array.prototype.slice.call(form.querySelectorAll(".attempt-page"));
  var countdown = root.querySelector("[data-countdown]");
  var submitButton = form.querySelector("[data-submit]");
  var jumpLinks = Array.prototype.slice.call(root.querySelectorAll("[data-jump]"));
  var flags = {};     // item id -> true, kept on the device with the answers

  // ---- reading and writing answers ----------------------------------------
  function readValue(fs) {
    var type = fs.dataset.type;
    var checked;
    if (type === "single" || type === "truefalse") {
      checked = fs.querySelector("input[type=radio]:checked");
      if (!checked) { return null; }
      return type === "truefalse" ? checked.value === "true" : checked.value;
    }
    if (type === "multiple") {
      return Array.prototype.map.call(fs.querySelectorAll("input[type=checkbox]:checked"),
        function (input) { return input.value; });
    }
    if (type === "ordering") {
      // The shown order is a shuffle, not an answer, until the learner moves something.
      if (fs.dataset.touched !== "1") { return null; }
      return Array.prototype.map.call(fs.querySelectorAll("[data-order-id]"),
        function (li) { return li.dataset.orderId; });
    }
    var text = fs.querySelector("input[type=text]");
    return text && text.value.trim() !== "" ? text.value : null;
  }

  function writeValue(fs, value) {
    var type = fs.dataset.type;
    if (type === "single" || type === "truefalse" || type === "multiple") {
      var wanted = Array.isArray(value) ? value : [value === true ? "true" : value === false ? "false" : value];
      fs.querySelectorAll("input[type=radio], input[type=checkbox]").forEach(function (input) {
        input.checked = wanted.indexOf(input.value) !== -1;
      });
    } else if (type === "ordering" && Array.isArray(value)) {
      fs.dataset.touched = "1";
      var list = fs.querySelector("[data-ordering]");
      value.forEach(function (id) {
        var li = list.querySelector('[data-order-id="' + CSS.escape(id) + '"]');
        if (li) { list.appendChild(li); }
      });
    } else {
      var text = fs.querySelector("input[type=text]");
      if (text) { text.value = value === null || value === undefined ? "" : value; }
    }
    markAnswered(fs);
  }

  function isAnswered(value) {
    return !(value === null || value === undefined || value === "" ||
             (Array.isArray(value) && value.length === 0));
  }

  function record(fs, delay) {
    client.change(fs.dataset.itemId, readValue(fs), delay);
    markAnswered(fs);
  }

  // ---- time is up, submitting ------------------------------------------------
  function lockAnswers() {
    questions.forEach(function (fs) {
      fs.querySelectorAll("input, [data-move]").forEach(function (el) { el.disabled = true; });
    });
  }

  function answersClosed() {
    lockAnswers();
    client.status("error", "Time is up: answers are locked. Submit the attempt now.");
    client.announce("Time is up. Answers are locked. Submit the attempt now.");
  }

  function submitting(automatic) {
    if (submitButton) { submitButton.disabled = true; }
    if (automatic && data.onExpiry === "grace") { lockAnswers(); }
    client.announce(automatic ? "Time is up. Submitting your attempt." : "Submitting your attempt.");
  }

  function confirmAndSubmit() {
    var parts = [];
    var missing = questions.filter(function (fs) { return !isAnswered(readValue(fs)); }).length;
    var flagged = Object.keys(flags).length;
    if (missing) { parts.push(missing + " question" + (missing === 1 ? " is" : "s are") + " unanswered."); }
    if (flagged) { parts.push(flagged + " question" + (flagged === 1 ? " is" : "s are") + " flagged for review."); }
    parts.push("You cannot change your answers after you submit.");
    client.confirm(parts.join("\n")).then(function (yes) { if (yes) { client.submit(false); } });
  }

  // ---- paging, jump list and flags -------------------------------------------
  function showPage(number, focusTarget, quiet) {
    number = Math.max(1, Math.min(number, pages.length));
    pages.forEach(function (section) { section.hidden = parseInt(section.dataset.page, 10) !== number; });
    jumpLinks.forEach(function (link) {
      var here = parseInt(link.dataset.page, 10) === number;
      link.classList.toggle("current", here);
      if (here) { link.setAttribute("aria-current", "step"); } else { link.removeAttribute("aria-current"); }
    });
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "#page-" + number);
    }
    var target = focusTarget || document.getElementById("page-" + number + "-heading");
    if (target && !quiet) {
      if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
      target.focus({ preventScroll: false });
    }
  }

  function jumpLabel(fs) {
    var label = "Question " + fs.dataset.number;
    if (isAnswered(readValue(fs))) { label += ", answered"; }
    if (flags[fs.dataset.itemId]) { label += ", flagged"; }
    return label;
  }

  function markAnswered(fs) {
    var link = root.querySelector('[data-jump="' + CSS.escape(fs.dataset.itemId) + '"]');
    if (!link) { return; }
    link.classList.toggle("answered", isAnswered(readValue(fs)));
    link.classList.toggle("flagged", !!flags[fs.dataset.itemId]);
    link.setAttribute("aria-label", jumpLabel(fs));
  }

  function setFlag(fs, on) {
    var id = fs.dataset.itemId;
    if (on) { flags[id] = true; } else { delete flags[id]; }
    var button = fs.querySelector("[data-flag]");
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.classList.toggle("active", on);
    fs.querySelector(".question-flag-badge").hidden = !on;
    fs.classList.toggle("flagged", on);
    markAnswered(fs);
    client.keep("flags", flags);
  }

  function moveOrderingItem(button) {
    var li = button.closest("[data-order-id]");
    var list = li.parentNode;
    var up = button.dataset.move === "up";
    var sibling = up ? li.previousElementSibling : li.nextElementSibling;
    var fs = button.closest("fieldset.question");
    var status = fs.querySelector("[data-order-status]");
    var items = list.querySelectorAll("[data-order-id]");
    var text = li.querySelector(".ordering-text").textContent;
    if (!sibling) {
      status.textContent = text + " is already " + (up ? "first." : "last.");
      return;
    }
    if (up) { list.insertBefore(li, sibling); } else { list.insertBefore(sibling, li); }
    fs.dataset.touched = "1";
    button.focus();
    var position = Array.prototype.indexOf.call(list.querySelectorAll("[data-order-id]"), li) + 1;
    status.textContent = text + ": position " + position + " of " + items.length + ".";
    record(fs, CHANGE_DELAY_MS);
  }

  function showClock(left) {
    countdown.textContent = window.AttemptClient.formatClock(left);
    root.classList.toggle("time-short", left <= 60000);
  }

  // ---- wiring ---------------------------------------------------------------
  root.classList.add("js");
  var client = window.AttemptClient.start(root, {
    status: root.querySelector("[data-save-status]"),
    statusText: root.querySelector("[data-save-text]"),
    announce: root.querySelector("[data-announce]"),
    confirm: {
      modal: document.getElementById("attempt-confirm"),
      button: root.querySelector("[data-confirm-submit]"),
      text: root.querySelector("[data-confirm-text]")
    },
    saveEveryMs: 5000,
    warnBeforeLeaving: true,
    warnings: [[300000, "5 minutes left."], [60000, "1 minute left."]],
    restore: function (id, value) {
      if (!byId[id]) { return false; }
      writeValue(byId[id], value);
    },
    onTick: countdown ? showClock : null,
    onSubmit: submitting,
    onAnswersClosed: answersClosed,
    answersClosed: data.phase === "grace" && data.onExpiry === "grace"
  });
  flags = client.kept("flags") || {};

  questions.forEach(function (fs) {
    fs.setAttribute("tabindex", "-1");
    fs.querySelector("[data-flag]").hidden = false;
    setFlag(fs, !!flags[fs.dataset.itemId]);
  });
  root.querySelectorAll(".attempt-pager").forEach(function (pager) { pager.hidden = false; });

  form.addEventListener("change", function (event) {
    var fs = event.target.closest("fieldset.question");
    if (fs && event.target.type !== "text") { record(fs, CHANGE_DELAY_MS); }
  });
  form.addEventListener("input", function (event) {
    var fs = event.target.closest("fieldset.question");
    if (fs && event.target.type === "text") { record(fs, TYPING_DELAY_MS); }
  });
  form.addEventListener("click", function (event) {
    var move = event.target.closest("[data-move]");
    if (move) { moveOrderingItem(move); return; }
    var flag = event.target.closest("[data-flag]");
    if (flag) {
      var fs = flag.closest("fieldset.question");
      setFlag(fs, !flags[fs.dataset.itemId]);
      return;
    }
    var go = event.target.closest("[data-goto-page]");
    if (go) { showPage(parseInt(go.dataset.gotoPage, 10)); }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    event.stopPropagation();   // app.js would disable the buttons for good
    var saveOnly = event.submitter && event.submitter.value === "save";
    if (saveOnly) { client.retry(); } else if (!client.isSubmitting()) { confirmAndSubmit(); }
  });
  jumpLinks.forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      showPage(parseInt(link.dataset.page, 10), byId[link.dataset.jump]);
    });
  });

  var match = /^#(page|question)-(\d+)$/.exec(window.location.hash);
  var startPage = 1;
  if (match && match[1] === "page") { startPage = parseInt(match[2], 10); }
  if (match && match[1] === "question") {
    var linked = document.getElementById("question-" + match[2]);
    if (linked) { startPage = parseInt(linked.closest(".attempt-page").dataset.page, 10); }
  }
  showPage(startPage, null, true);

  if (data.phase === "grace" && data.onExpiry === "grace") { lockAnswers(); }
  var deadlineText = root.querySelector("[data-deadline-text]");
  if (client.timed && deadlineText && data.deadline) {
    deadlineText.textContent = new Date(data.deadline).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + " your time";
  }
})();
