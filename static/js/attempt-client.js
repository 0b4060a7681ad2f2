// The one browser client of the timed-attempt engine, for every assessment kind
// (quiz, record entry, 10-key, transcription, reconciliation): sequence-numbered
// autosave through the JSON API, a copy of everything unsent in localStorage,
// the countdown re-synced from the server's remaining_ms, the offline / busy
// state with retries, resume after a reload or in a second tab, submit (and the
// automatic submit at zero) and the submit confirmation. The page scripts
// (attempt.js, keying.js) own their inputs and tell this client what changed.
// No inline scripts (CSP): the page passes everything through data- attributes.
//
// Saves: PUT <data-save-url> {seq, responses, events} (docs/api.md). `seq` is the
// time of the latest change in the save, in tenths of a second since the attempt
// started, on a monotonic clock synced to the server when the page loaded, and
// strictly increasing. The server keeps, per answer, the value with the highest
// seq and one keystroke chunk per seq, so a save is frozen once built and sent
// again unchanged until the server acknowledges it: a repeat changes nothing, an
// older save arriving late cannot overwrite a newer answer, and two tabs resolve
// to the later change.
//
// Nothing is dropped while the server cannot take it: a lost connection, a 5xx
// or a 503 "busy" answer keeps everything on the device and retries, after the
// Retry-After the server asked for (bounded, and never past the deadline) or
// with backoff.
(function () {
  "use strict";

  var FLUSH_BEFORE_END_MS = 3000;
  var MAX_BACKOFF_MS = 15000;
  var MIN_RETRY_MS = 1000;
  var MAX_RETRY_AFTER_MS = 60000;
  var MAX_EVENTS_PER_SAVE = 1500;

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  var TEXTS = {
    saved: function () { return "Saved ✓"; },
    saving: "Saving…",
    offline: function (n) { return "Offline — " + plural(n, "answer", "answers") + " waiting"; },
    signin: "Signed out. Sign in again in another tab; your answers are kept on this device.",
    reload: "This page has expired. Reload it: your answers are kept on this device.",
    refused: function (message) { return "Not saved: " + (message || "the server refused these answers."); },
    submitting: "Submitting…",
    submitted: "Submitted.",
    submitRetry: function (n) {
      return "Could not submit yet" + (n ? " — " + plural(n, "answer", "answers") + " waiting" : "") + ". Retrying…";
    }
  };

  function formatClock(ms) {
    var total = Math.ceil(ms / 1000);
    var hours = Math.floor(total / 3600);
    var minutes = Math.floor((total % 3600) / 60);
    var seconds = total % 60;
    var mm = hours ? String(minutes).padStart(2, "0") : String(minutes);
    return (hours ? hours + ":" : "") + mm + ":" + String(seconds).padStart(2, "0");
  }

  function readStored(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function forgetStored(key) {
    try { window.localStorage.removeItem(key); } catch (e) { /* storage off: nothing kept */ }
  }

  function csrfToken(root) {
    if (root.dataset.csrfToken) { return root.dataset.csrfToken; }
    var meta = document.querySelector("meta[name=csrf-token]");
    var input = document.querySelector("input[name=csrf_token]");
    return meta ? meta.getAttribute("content") : input ? input.value : "";
  }

  // Retry-After in ms (seconds or an HTTP date), held between 1 s and 60 s.
  function retryAfterMs(response) {
    var raw = (response.headers.get("Retry-After") || "").trim();
    if (!raw) { return null; }
    var seconds = /^\d+$/.test(raw) ? parseInt(raw, 10) : (Date.parse(raw) - Date.now()) / 1000;
    if (!isFinite(seconds)) { return null; }
    return Math.min(Math.max(seconds * 1000, MIN_RETRY_MS), MAX_RETRY_AFTER_MS);
  }

  function request(method, url, token, body) {
    return fetch(url, {
      method: method, credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, body: data || {}, retryAfter: retryAfterMs(response) };
      });
    });
  }

  // options: restore(id, value) puts a kept answer back on the page (false when
  // the item is not there); onTick(leftMs); onSubmit(automatic) before a submit;
  // onAnswersClosed() when time is up and only submitting is left; texts;
  // saveEveryMs; persistDelayMs (0 = write the local copy on every change);
  // warnBeforeLeaving; warnings [[ms, text]]; status, statusText, offline and
  // announce elements; confirm {modal, button, text} for the styled dialog.
  function start(root, options) {
    var data = root.dataset;
    var texts = Object.assign({}, TEXTS, options.texts || {});
    var token = csrfToken(root);
    var storageKey = "boa:attempt:" + data.attemptId;

    // ---- clocks ------------------------------------------------------------
    var loadedAt = performance.now();
    var elapsedAtLoad = parseInt(data.elapsedMs, 10) || 0;
    var timed = data.remainingMs !== undefined && data.remainingMs !== "";
    var deadline = timed ? loadedAt + (parseInt(data.remainingMs, 10) || 0) : null;
    var serverSeqAtLoad = parseInt(data.lastSeq, 10) || 0;
    var lastSeq = serverSeqAtLoad;

    function now() { return Math.round(elapsedAtLoad + performance.now() - loadedAt); }
    function remainingMs() { return deadline === null ? null : Math.max(0, deadline - performance.now()); }
    function resync(ms, sentAt) {
      if (typeof ms !== "number" || deadline === null) { return; }
      // The server measured `ms` somewhere between sending and now: use the middle.
      deadline = (sentAt + performance.now()) / 2 + ms;
    }
    function nextSeq() {
      lastSeq = Math.max(lastSeq + 1, Math.floor(now() / 100) + 1);
      return lastSeq;
    }

    // ---- what is not on the server yet --------------------------------------
    var pending = {};     // item id -> {value, seq}: changed, not yet acknowledged
    var events = [];      // keystroke events not yet in a save
    var chunk = null;     // the save on its way: {seq, responses, events}, frozen
    var changeSeq = 0;    // seq of the latest change
    var chunkSeq = serverSeqAtLoad;  // seq of the latest save built
    var kept = {};        // page state kept with the answers (quiz flags)
    var persistTimer = null;

    function persistNow() {
      window.clearTimeout(persistTimer);
      persistTimer = null;
      try {
        window.localStorage.setItem(storageKey, JSON.stringify({
          pending: pending, events: events, chunk: chunk, lastSeq: lastSeq, kept: kept
        }));
      } catch (e) { /* private mode or full: memory still holds everything */ }
    }
    function persist() {
      if (!options.persistDelayMs) { persistNow(); return; }
      if (persistTimer === null) { persistTimer = window.setTimeout(persistNow, options.persistDelayMs); }
    }

    // The keying page kept its copy under another key and counted seqs from 1.
    function legacyKeyingCopy() {
      var legacyKey = "keying:attempt:" + data.attemptId;
      var old = readStored(legacyKey);
      if (!old) { return null; }
      forgetStored(legacyKey);
      var inflight = old.inflight && old.inflight.seq > serverSeqAtLoad ? old.inflight : null;
      var copy = { pending: {}, events: Array.isArray(old.buffer) ? old.buffer : [], chunk: inflight };
      if ((old.unsaved || inflight || copy.events.length) && old.values) {
        var seq = nextSeq();
        Object.keys(old.values).forEach(function (id) { copy.pending[id] = { value: old.values[id], seq: seq }; });
      }
      return copy;
    }

    function restore() {
      var stored = readStored(storageKey) || legacyKeyingCopy();
      if (!stored) { return; }
      kept = stored.kept || (stored.flags ? { flags: stored.flags } : {});
      lastSeq = Math.max(lastSeq, parseInt(stored.lastSeq, 10) || 0);
      Object.keys(stored.pending || {}).forEach(function (id) {
        var entry = stored.pending[id];
        // The server has seen a save at or after this change: its value stands.
        if (!entry || !(entry.seq > serverSeqAtLoad)) { return; }
        if (options.restore && options.restore(id, entry.value) === false) { return; }
        pending[id] = entry;
        lastSeq = Math.max(lastSeq, entry.seq);
      });
      events = Array.isArray(stored.events) ? stored.events : [];
      var old = stored.chunk;
      if (old && typeof old.seq === "number") {
        // Sent again as it was: the server ignores a chunk it already has, and an
        // answer only where no later change (kept above) replaces it.
        var responses = {};
        Object.keys(old.responses || {}).forEach(function (id) {
          if (pending[id]) { responses[id] = old.responses[id]; }
        });
        chunk = { seq: old.seq, responses: responses, events: Array.isArray(old.events) ? old.events : [] };
        lastSeq = Math.max(lastSeq, old.seq);
        chunkSeq = Math.max(chunkSeq, old.seq);
      }
      changeSeq = lastSeq;
      persistNow();
    }

    function pendingCount() { return Object.keys(pending).length; }
    function unsent() { return !!chunk || events.length > 0 || pendingCount() > 0; }

    // ---- status --------------------------------------------------------------
    var statusBox = options.status;
    var statusText = options.statusText || statusBox;
    var state = "";

    function show(kind, text) {
      state = kind;
      if (statusBox) { statusBox.dataset.state = kind; }
      if (statusText) { statusText.textContent = text; }
      if (options.offline) { options.offline.classList.toggle("d-none", kind !== "offline"); }
    }
    function announce(text) { if (options.announce) { options.announce.textContent = text; } }

    // ---- saving --------------------------------------------------------------
    var inflight = null;
    var failures = 0;
    var notBefore = 0;      // the server asked for quiet until then (Retry-After)
    var blocked = false;    // the server refused a save: wait for the next change
    var closed = !!options.answersClosed;  // the server no longer takes answers
    var submitting = false;
    var finished = false;   // submitted or closed: the result page is next
    var saveTimer = null;
    var retryKind = "";     // why the last save failed: offline, signin or reload

    function scheduleSave(delay) {
      window.clearTimeout(saveTimer);
      saveTimer = window.setTimeout(flush, Math.max(delay, notBefore - Date.now()));
    }

    function changed() {
      blocked = false;
      if (state === "saved" || state === "error") { show("saving", texts.saving); }
      if (state === "offline" && retryKind === "offline") { show("offline", texts.offline(pendingCount())); }
    }

    function change(id, value, saveDelayMs) {
      changeSeq = nextSeq();
      pending[id] = { value: value, seq: changeSeq };
      changed();
      persist();
      if (typeof saveDelayMs === "number") { scheduleSave(saveDelayMs); }
    }

    function log(event) {
      event.t = now();
      events.push(event);
      changeSeq = nextSeq();
      changed();
      persist();
    }

    function buildChunk() {
      var responses = {};
      var seq = changeSeq;
      Object.keys(pending).forEach(function (id) {
        responses[id] = pending[id].value;
        seq = Math.max(seq, pending[id].seq);
      });
      // A long log goes in several saves; each needs a seq of its own.
      if (seq <= chunkSeq) { seq = nextSeq(); }
      chunkSeq = seq;
      return { seq: seq, responses: responses, events: events.splice(0, MAX_EVENTS_PER_SAVE) };
    }

    // Send everything unsent, one save at a time. Resolves true when nothing is
    // left to send (or nothing can be), false when it is kept for a retry.
    function flush() {
      if (inflight) { return inflight; }
      if (closed || blocked || !unsent()) { return Promise.resolve(true); }
      if (Date.now() < notBefore) { scheduleSave(0); return Promise.resolve(false); }
      window.clearTimeout(saveTimer);
      show("saving", texts.saving);
      inflight = sendNext().then(function (done) { inflight = null; return done; });
      return inflight;
    }

    function sendNext() {
      if (closed || blocked) { return Promise.resolve(true); }
      if (!chunk) {
        if (!unsent()) { show("saved", texts.saved(new Date())); return Promise.resolve(true); }
        chunk = buildChunk();
        persistNow();
      }
      var sending = chunk;
      var sentAt = performance.now();
      return request("PUT", data.saveUrl, token, sending).then(function (answer) {
        if (answer.status !== 200) { return refused(answer, sending); }
        acknowledged(sending, answer.body, sentAt);
        return sendNext();
      }, function () {
        return retryLater("offline", null);
      });
    }

    function acknowledged(sent, body, sentAt) {
      Object.keys(sent.responses).forEach(function (id) {
        if (pending[id] && pending[id].seq <= sent.seq) { delete pending[id]; }
      });
      chunk = null;
      failures = 0;
      notBefore = 0;
      persistNow();
      resync(body.remaining_ms, sentAt);
    }

    function refused(answer, sent) {
      var body = answer.body;
      if (answer.status === 409) { answersClosed(body); return false; }
      if (answer.status === 400 && body.error === "csrf_failed") { return retryLater("reload", null); }
      if (answer.status === 401 || answer.status === 403) { return retryLater("signin", null); }
      if (answer.status === 400 || answer.status === 404 || answer.status === 413) {
        // Never taken as it is: its answers stay pending and its events go back
        // to the front of the log, for the next change or Save to send again.
        events = sent.events.concat(events);
        chunk = null;
        blocked = true;
        persistNow();
        show("error", texts.refused(body.message));
        return false;
      }
      return retryLater("offline", answer.retryAfter);
    }

    function retryDelay(serverWait, tries) {
      var wait = serverWait !== null ? serverWait : Math.min(2000 * Math.pow(2, tries), MAX_BACKOFF_MS);
      var left = remainingMs();
      if (left !== null && left > MIN_RETRY_MS) { wait = Math.min(wait, left); }
      return wait + Math.floor(Math.random() * 500);
    }

    function retryLater(kind, serverWait) {
      failures += 1;
      retryKind = kind;
      var wait = retryDelay(serverWait, failures - 1);
      notBefore = serverWait !== null ? Date.now() + wait : 0;
      scheduleSave(wait);
      show("offline", kind === "offline" ? texts.offline(pendingCount()) : texts[kind]);
      return false;
    }

    function answersClosed(body) {
      closed = true;
      window.clearTimeout(saveTimer);
      if (body.error === "answers_closed") {
        if (options.onAnswersClosed) { options.onAnswersClosed(); }
        return;
      }
      finish(body.message || "This attempt is closed.");
    }

    function finish(message) {
      closed = true;
      finished = true;
      window.clearTimeout(saveTimer);
      pending = {};
      events = [];
      chunk = null;
      forgetStored(storageKey);
      show("saved", message);
      window.location.assign(data.resultUrl);
    }

    // ---- submitting ------------------------------------------------------------
    function submit(automatic) {
      if (submitting || finished) { return; }
      submitting = true;
      if (options.onSubmit) { options.onSubmit(automatic); }
      trySubmit(0);
    }

    function trySubmit(tries) {
      var serverWait = null;
      flush().then(function () {
        if (unsent() && !closed && !blocked) { throw new Error("unsaved"); }
        show("saving", texts.submitting);
        return request("POST", data.submitUrl, token, {});
      }).then(function (answer) {
        if (answer.status === 200 || answer.status === 409) { finish(texts.submitted); return; }
        serverWait = answer.retryAfter;
        throw new Error(answer.status === 401 || answer.status === 403 ? "signin" : "status " + answer.status);
      }).catch(function (problem) {
        var wait = Math.max(retryDelay(serverWait, tries), notBefore - Date.now());
        show("offline", problem.message === "signin" ? texts.signin : texts.submitRetry(pendingCount()));
        window.setTimeout(function () { trySubmit(tries + 1); }, wait);
      });
    }

    // The styled dialog when the page has one (Bootstrap), else the browser's.
    function confirm(message) {
      var dialog = options.confirm || {};
      var Modal = window.bootstrap && window.bootstrap.Modal;
      if (!Modal || !dialog.modal || !dialog.button) { return Promise.resolve(window.confirm(message)); }
      if (dialog.text) { dialog.text.textContent = message; }
      var modal = Modal.getOrCreateInstance(dialog.modal);
      return new Promise(function (resolve) {
        function yes() { settle(true); modal.hide(); }
        function no() { settle(false); }
        function settle(answer) {
          dialog.button.removeEventListener("click", yes);
          dialog.modal.removeEventListener("hidden.bs.modal", no);
          resolve(answer);
        }
        dialog.button.addEventListener("click", yes);
        dialog.modal.addEventListener("hidden.bs.modal", no);
        modal.show();
      });
    }
    if (options.confirm && options.confirm.modal && options.confirm.button) {
      // As a native confirm does: Enter confirms, Escape or Tab to "Keep working" backs out.
      options.confirm.modal.addEventListener("shown.bs.modal", function () { options.confirm.button.focus(); });
    }

    // ---- countdown ---------------------------------------------------------------
    var warned = {};
    var flushedForEnd = false;

    function tick() {
      var left = remainingMs();
      if (options.onTick) { options.onTick(left); }
      (options.warnings || []).forEach(function (mark) {
        if (left <= mark[0] && left > mark[0] - 2000 && !warned[mark[0]]) {
          warned[mark[0]] = true;
          announce(mark[1]);
        }
      });
      if (left <= FLUSH_BEFORE_END_MS && !flushedForEnd) {
        flushedForEnd = true;
        flush();
      }
      if (left === 0) { submit(true); }
    }

    // ---- wiring --------------------------------------------------------------------
    restore();
    window.addEventListener("online", function () {
      failures = 0;
      notBefore = 0;
      flush();
    });
    window.addEventListener("offline", function () {
      if (unsent()) { show("offline", texts.offline(pendingCount())); }
    });
    window.addEventListener("pagehide", persistNow);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { persistNow(); }
    });
    window.addEventListener("beforeunload", function (event) {
      persistNow();
      if (options.warnBeforeLeaving && pendingCount() && !submitting) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    // The regular autosave; after a failure the retry timer owns the next try.
    window.setInterval(function () {
      if (!inflight && failures === 0 && unsent()) { flush(); }
    }, options.saveEveryMs || 5000);

    var client = {
      change: change,
      log: log,
      submit: submit,
      confirm: confirm,
      announce: announce,
      timed: timed,
      kept: function (name) { return kept[name]; },
      keep: function (name, value) { kept[name] = value; persistNow(); },
      // A button press after a refused save: try again with what is there.
      retry: function () { blocked = false; failures = 0; return flush(); },
      status: show,
      isSubmitting: function () { return submitting; }
    };
    if (unsent()) { show("saving", texts.saving); flush(); } else { show("saved", texts.saved(null)); }
    if (timed) {
      // From the next turn on, so the page holds the client before a hook runs.
      window.setTimeout(tick, 0);
      window.setInterval(tick, 250);
    }
    return client;
  }

  window.AttemptClient = { start: start, formatClock: formatClock };
})();
