// Quiz attempt page: paging, autosave through the JSON API, an offline queue kept
// in localStorage, flags for review, and a countdown that only displays the
// server's deadline. Without this script the page is one plain form that posts
// every answer (see lms/attempts/views.py submit_form).
//
// Saves: PUT /api/v1/attempts/<id>/responses {seq, responses}. `seq` is the time
// of the change in tenths of a second since the attempt started, measured on a
// monotonic clock synced to the server when the page loaded, and strictly
// increasing; the server keeps, per answer, the value with the highest seq, so
// retries are harmless, an older save arriving late changes nothing, and two
// tabs resolve to the later change.
(function () {
  "use strict";

  var root = document.getElementById("attempt");
  var form = document.getElementById("attempt-form");
  if (!root || !form || !window.fetch) { return; }

  var data = root.dataset;
  var STORAGE_KEY = "boa:attempt:" + data.attemptId;
  var SAVE_EVERY_MS = 5000;
  var TYPING_DELAY_MS = 800;
  var CHANGE_DELAY_MS = 250;
  var MAX_BACKOFF_MS = 30000;
  var FLUSH_BEFORE_END_MS = 3000;

  // ---- clocks --------------------------------------------------------------
  var loadedAt = performance.now();
  var elapsedAtLoad = parseInt(data.elapsedMs, 10) || 0;
  var deadline = data.remainingMs === "" ? null : loadedAt + parseInt(data.remainingMs, 10);
  var lastSeq = parseInt(data.lastSeq, 10) || 0;
  var serverSeqAtLoad = lastSeq;

  function remainingMs() {
    return deadline === null ? null : Math.max(0, deadline - performance.now());
  }
  function resync(ms, sentAt) {
    if (typeof ms !== "number" || deadline === null) { return; }
    // The server measured `ms` somewhere between sending and now: use the middle.
    deadline = (sentAt + performance.now()) / 2 + ms;
  }
  function nextSeq() {
    var tenths = Math.floor((elapsedAtLoad + performance.now() - loadedAt) / 100) + 1;
    lastSeq = Math.max(lastSeq + 1, tenths);
    return lastSeq;
  }

  // ---- elements ------------------------------------------------------------
  var questions = Array.prototype.slice.call(form.querySelectorAll("fieldset.question"));
  var byId = {};
  questions.forEach(function (fs) { byId[fs.dataset.itemId] = fs; });
  var pages = Array.prototype.slice.call(form.querySelectorAll(".attempt-page"));
  var statusBox = root.querySelector("[data-save-status]");
  var statusText = root.querySelector("[data-save-text]");
  var announcer = root.querySelector("[data-announce]");
  var countdown = root.querySelector("[data-countdown]");
  var submitButton = form.querySelector("[data-submit]");

  // ---- stored state: unsent answers and flags survive reloads and crashes --
  var pending = {};   // item id -> {value, seq}
  var flags = {};     // item id -> true
  function persist() {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify({ pending: pending, flags: flags }));
    } catch (e) { /* private mode or full: memory still holds the answers */ }
  }
  function restore() {
    var stored = null;
    try { stored = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "null"); } catch (e) { stored = null; }
    if (!stored) { return; }
    flags = stored.flags || {};
    Object.keys(stored.pending || {}).forEach(function (id) {
      var entry = stored.pending[id];
      // The server has seen a save at or after this change: its value stands.
      if (!byId[id] || !entry || entry.seq <= serverSeqAtLoad) { return; }
      pending[id] = entry;
      lastSeq = Math.max(lastSeq, entry.seq);
      writeValue(byId[id], entry.value);
    });
    persist();
  }
  function pendingCount() { return Object.keys(pending).length; }

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
    var id = fs.dataset.itemId;
    pending[id] = { value: readValue(fs), seq: nextSeq() };
    blocked = false;
    persist();
    markAnswered(fs);
    showStatus();
    scheduleSave(delay);
  }

  // ---- saving --------------------------------------------------------------
  var inflight = null;
  var failures = 0;
  var blocked = false;   // a 400: wait for the next change instead of looping
  var closed = false;    // the server no longer takes answers
  var saveTimer = null;

  function scheduleSave(delay) {
    window.clearTimeout(saveTimer);
    saveTimer = window.setTimeout(flush, delay);
  }

  function headers() {
    return { "Content-Type": "application/json", "Accept": "application/json",
             "X-CSRFToken": data.csrfToken };
  }

  function flush() {
    if (inflight) { return inflight; }
    if (closed || blocked || pendingCount() === 0) { return Promise.resolve(true); }
    var batch = {};
    var seq = 0;
    Object.keys(pending).forEach(function (id) {
      batch[id] = pending[id].value;
      seq = Math.max(seq, pending[id].seq);
    });
    var sentAt = performance.now();
    setStatus("saving", "Saving…");
    inflight = fetch(data.saveUrl, {
      method: "PUT", credentials: "same-origin", headers: headers(),
      body: JSON.stringify({ seq: seq, responses: batch })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return handleSaveAnswer(response.status, body, batch, seq, sentAt);
      });
    }, function () {
      return saveFailed("offline");
    }).then(function (result) {
      inflight = null;
      return result;
    });
    return inflight;
  }

  function handleSaveAnswer(status, body, batch, seq, sentAt) {
    if (status === 200) {
      Object.keys(batch).forEach(function (id) {
        if (pending[id] && pending[id].seq <= seq) { delete pending[id]; }
      });
      persist();
      failures = 0;
      resync(body.remaining_ms, sentAt);
      showStatus();
      if (pendingCount()) { scheduleSave(CHANGE_DELAY_MS); }
      return true;
    }
    if (status === 409) { answersClosed(body); return false; }
    if (status === 400 && body.error === "csrf_failed") {
      return saveFailed("reload", "This page has expired. Reload it: your answers are kept on this device.");
    }
    if (status === 400 || status === 403 || status === 404) {
      blocked = true;
      setStatus("error", "Not saved: " + (body.message || "the server refused these answers."));
      return false;
    }
    if (status === 401) {
      return saveFailed("signin", "Signed out. Sign in again in another tab; your answers are kept on this device.");
    }
    return saveFailed("offline");
  }

  function saveFailed(kind, message) {
    failures += 1;
    var wait = Math.min(2000 * Math.pow(2, failures - 1), MAX_BACKOFF_MS);
    scheduleSave(wait + Math.floor(Math.random() * 500));
    if (kind === "offline") {
      var n = pendingCount();
      setStatus("offline", "Offline — " + n + " answer" + (n === 1 ? "" : "s") + " waiting");
    } else {
      setStatus("offline", message);
    }
    return false;
  }

  function answersClosed(body) {
    closed = true;
    window.clearTimeout(saveTimer);
    if (body.error === "answers_closed") {
      lockAnswers();
      setStatus("error", "Time is up: answers are locked. Submit the attempt now.");
      announce("Time is up. Answers are locked. Submit the attempt now.");
      return;
    }
    clearStorage();
    setStatus("error", body.message || "This attempt is closed.");
    window.location.assign(data.resultUrl);
  }

  function lockAnswers() {
    questions.forEach(function (fs) {
      fs.querySelectorAll("input, [data-move]").forEach(function (el) { el.disabled = true; });
    });
  }

  function clearStorage() {
    pending = {};
    try { window.localStorage.removeItem(STORAGE_KEY); } catch (e) { /* ignore */ }
  }

  function setStatus(kind, text) {
    statusBox.dataset.state = kind;
    statusText.textContent = text;
  }

  function showStatus() {
    var n = pendingCount();
    if (n === 0) {
      setStatus("saved", "Saved ✓");
    } else if (failures > 0) {
      setStatus("offline", "Offline — " + n + " answer" + (n === 1 ? "" : "s") + " waiting");
    } else {
      setStatus("saving", "Saving…");
    }
  }

  // ---- submitting ------------------------------------------------------------
  var submitting = false;

  function unansweredCount() {
    return questions.filter(function (fs) { return !isAnswered(readValue(fs)); }).length;
  }

  function confirmSubmit() {
    var parts = [];
    var missing = unansweredCount();
    var flagged = Object.keys(flags).length;
    if (missing) { parts.push(missing + " question" + (missing === 1 ? " is" : "s are") + " unanswered."); }
    if (flagged) { parts.push(flagged + " question" + (flagged === 1 ? " is" : "s are") + " flagged for review."); }
    parts.push("Submit now? You cannot change your answers afterwards.");
    return window.confirm(parts.join("\n"));
  }

  function submitAttempt(automatic) {
    if (submitting) { return; }
    if (!automatic && !confirmSubmit()) { return; }
    submitting = true;
    if (submitButton) { submitButton.disabled = true; }
    announce(automatic ? "Time is up. Submitting your attempt." : "Submitting your attempt.");
    trySubmit(0);
  }

  function flushAll() {
    // A change made while a save was in flight needs one more round.
    return flush().then(function () { return pendingCount() ? flush() : true; });
  }

  function trySubmit(tries) {
    var done = closed ? Promise.resolve(true) : flushAll();
    done.then(function () {
      if (pendingCount() && !closed && !blocked) { throw new Error("unsaved"); }
      setStatus("saving", "Submitting…");
      return fetch(data.submitUrl, { method: "POST", credentials: "same-origin", headers: headers(), body: "{}" });
    }).then(function (response) {
      if (response.status === 200 || response.status === 409) {
        clearStorage();
        window.location.assign(data.resultUrl);
        return;
      }
      throw new Error("status " + response.status);
    }).catch(function () {
      var wait = Math.min(2000 * Math.pow(2, tries), MAX_BACKOFF_MS);
      var n = pendingCount();
      setStatus("offline", "Could not submit yet" + (n ? " — " + n + " answer" + (n === 1 ? "" : "s") + " waiting" : "") + ". Retrying…");
      window.setTimeout(function () { trySubmit(tries + 1); }, wait);
    });
  }

  // ---- paging, jump list and flags -------------------------------------------
  var currentPage = 1;
  var jumpLinks = Array.prototype.slice.call(root.querySelectorAll("[data-jump]"));

  function showPage(number, focusTarget, quiet) {
    number = Math.max(1, Math.min(number, pages.length));
    currentPage = number;
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
    persist();
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

  function announce(text) {
    if (announcer) { announcer.textContent = text; }
  }

  // ---- countdown --------------------------------------------------------------
  var warned = {};
  var flushedForEnd = false;

  function formatClock(ms) {
    var total = Math.ceil(ms / 1000);
    var hours = Math.floor(total / 3600);
    var minutes = Math.floor((total % 3600) / 60);
    var seconds = total % 60;
    var mm = (hours ? String(minutes).padStart(2, "0") : String(minutes));
    return (hours ? hours + ":" : "") + mm + ":" + String(seconds).padStart(2, "0");
  }

  function tick() {
    var left = remainingMs();
    if (left === null) { return; }
    countdown.textContent = formatClock(left);
    root.classList.toggle("time-short", left <= 60000);
    [[300000, "5 minutes left."], [60000, "1 minute left."]].forEach(function (mark) {
      if (left <= mark[0] && left > mark[0] - 2000 && !warned[mark[0]]) {
        warned[mark[0]] = true;
        announce(mark[1]);
      }
    });
    if (left <= FLUSH_BEFORE_END_MS && !flushedForEnd) {
      flushedForEnd = true;
      flush();
    }
    if (left === 0) {
      if (data.onExpiry === "grace") { lockAnswers(); }
      submitAttempt(true);
    }
  }

  // ---- wiring ---------------------------------------------------------------
  function init() {
    root.classList.add("js");
    restore();
    questions.forEach(function (fs) {
      fs.setAttribute("tabindex", "-1");
      var button = fs.querySelector("[data-flag]");
      button.hidden = false;
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
      if (saveOnly) { blocked = false; flush(); } else { submitAttempt(false); }
    });
    jumpLinks.forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var fs = byId[link.dataset.jump];
        showPage(parseInt(link.dataset.page, 10), fs);
      });
    });
    window.addEventListener("online", function () { failures = 0; flush(); });
    window.addEventListener("offline", function () { showStatus(); if (pendingCount()) { saveFailed("offline"); } });
    window.addEventListener("beforeunload", function (event) {
      if (pendingCount() && !submitting) {
        persist();
        event.preventDefault();
        event.returnValue = "";
      }
    });

    var match = /^#(page|question)-(\d+)$/.exec(window.location.hash);
    var startPage = 1;
    if (match && match[1] === "page") { startPage = parseInt(match[2], 10); }
    if (match && match[1] === "question") {
      var fs = document.getElementById("question-" + match[2]);
      if (fs) { startPage = parseInt(fs.closest(".attempt-page").dataset.page, 10); }
    }
    showPage(startPage, null, true);

    if (data.phase === "grace" && data.onExpiry === "grace") { lockAnswers(); closed = true; }
    if (pendingCount()) { showStatus(); flush(); } else { setStatus("saved", "Saved ✓"); }
    if (deadline !== null) {
      var deadlineText = root.querySelector("[data-deadline-text]");
      if (deadlineText && data.deadline) {
        deadlineText.textContent = new Date(data.deadline).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + " your time";
      }
      tick();
      window.setInterval(tick, 250);
    }
    // The regular autosave; after a failure the backoff timer owns the retries.
    window.setInterval(function () {
      if (!inflight && failures === 0 && pendingCount()) { flush(); }
    }, SAVE_EVERY_MS);
  }

  init();
})();
