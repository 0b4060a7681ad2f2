// Keying test page: keystroke capture, autosave through the JSON API, the
// display-only countdown and submit. Progressive enhancement of
// templates/keying/take.html; no inline scripts (CSP script-src 'self').
//
// Event schema (lms/keying/events.py, docs/keying.md): every event has
// t (ms since the attempt started, on a clock synchronised with the server
// when the page was rendered), item, field and type:
//   key    {key, code}              a keydown in a test input (code tells Numpad7 from Digit7)
//   input  {op: insert, pos, data}  text that went in at pos
//          {op: delete, pos, len}   len characters removed at pos
//   paste / drop                    a blocked paste, drop or autofill
//   focus / blur                    an input gaining/losing focus; item "" = the window
// A replaced selection is sent as a delete followed by an insert, so replaying
// the input events rebuilds exactly what was submitted.
(function () {
  "use strict";

  var root = document.getElementById("keying-test");
  if (!root) { return; }
  var form = root.querySelector("[data-keying-form]");

  var ds = root.dataset;
  var attemptId = ds.attemptId;
  var kind = ds.kind;
  var saveUrl = ds.saveUrl;
  var submitUrl = ds.submitUrl;
  var resultUrl = ds.resultUrl;
  var timed = ds.remainingMs !== "" && ds.remainingMs !== undefined;
  var serverLastSeq = parseInt(ds.lastSeq, 10) || 0;
  var elapsedAtLoad = parseInt(ds.elapsedMs, 10) || 0;
  var perfAtLoad = performance.now();
  var deadline = timed ? perfAtLoad + (parseInt(ds.remainingMs, 10) || 0) : null;

  var SAVE_EVERY_MS = 4000;
  var RETRY_MS = 3000;
  var PERSIST_EVERY_MS = 1000;
  var MAX_EVENTS_PER_CHUNK = 1500;
  var STORAGE_KEY = "keying:attempt:" + attemptId;
  var MODIFIER_KEYS = {
    Shift: 1, Control: 1, Alt: 1, Meta: 1, AltGraph: 1, CapsLock: 1, NumLock: 1,
    ScrollLock: 1, Fn: 1, OS: 1, Dead: 1, Unidentified: 1, Process: 1
  };

  var statusEl = root.querySelector("[data-keying-status]");
  var clockEl = root.querySelector("[data-keying-clock]");
  var announceEl = root.querySelector("[data-keying-announce]");
  var offlineEl = root.querySelector("[data-keying-offline]");
  var blockedEl = root.querySelector("[data-keying-blocked]");
  var submitBtn = root.querySelector("[data-keying-submit]");
  var confirmBtn = root.querySelector("[data-keying-confirm]");
  var confirmText = root.querySelector("[data-keying-confirm-text]");
  var modalEl = document.getElementById("keying-confirm");

  var textInputs = Array.prototype.slice.call(form.querySelectorAll(".keying-input"));
  var previous = {};
  var lastKeyAt = {};
  var dirty = false;
  var locked = false;
  var submitting = false;
  var closed = false;
  var sending = null;
  var persistTimer = null;
  var blockedTimer = null;

  function csrfToken() {
    var meta = document.querySelector("meta[name=csrf-token]");
    if (meta) { return meta.getAttribute("content"); }
    var input = document.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function now() {
    return Math.round(elapsedAtLoad + performance.now() - perfAtLoad);
  }

  // ---------------------------------------------------------------- storage

  function readStored() {
    try {
      var raw = window.localStorage.getItem(STORAGE_KEY);
      return raw ? JSON.parse(raw) : null;
    } catch (e) {
      return null;
    }
  }

  var stored = readStored() || {};
  var state = {
    nextSeq: Math.max(parseInt(stored.nextSeq, 10) || 0, serverLastSeq + 1),
    inflight: stored.inflight && stored.inflight.seq > serverLastSeq ? stored.inflight : null,
    buffer: Array.isArray(stored.buffer) ? stored.buffer : []
  };
  if (state.inflight) {
    state.nextSeq = Math.max(state.nextSeq, state.inflight.seq + 1);
  }

  function persistNow() {
    persistTimer = null;
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify({
        nextSeq: state.nextSeq,
        inflight: state.inflight,
        buffer: state.buffer,
        unsaved: dirty,
        values: collect()
      }));
    } catch (e) {
      // Storage full or switched off: saving to the server still works.
    }
  }

  function persistSoon() {
    if (persistTimer === null) {
      persistTimer = window.setTimeout(persistNow, PERSIST_EVERY_MS);
    }
  }

  function forget() {
    try { window.localStorage.removeItem(STORAGE_KEY); } catch (e) { /* ignore */ }
  }

  // ---------------------------------------------------------------- values

  function isTestInput(el) {
    return el && el.classList && el.classList.contains("keying-input");
  }

  function where(el) {
    return { item: el.getAttribute("data-item") || "", field: el.getAttribute("data-field") || "" };
  }

  function collect() {
    var out = {};
    if (kind === "reconciliation") {
      root.querySelectorAll("[data-keying-set]").forEach(function (set) {
        var id = set.getAttribute("data-keying-set");
        if (set.getAttribute("data-set-kind") === "pair") {
          var answers = {};
          set.querySelectorAll("[data-pair]").forEach(function (box) {
            var fields = [];
            box.querySelectorAll("[data-pair-field]").forEach(function (c) {
              if (c.checked) { fields.push(c.getAttribute("data-pair-field")); }
            });
            var none = box.querySelector("[data-pair-none]");
            if (fields.length) {
              answers[box.getAttribute("data-pair")] = fields;
            } else if (none && none.checked) {
              answers[box.getAttribute("data-pair")] = [];
            }
          });
          out[id] = answers;
        } else {
          var flags = [];
          set.querySelectorAll("select[data-side=ledger]").forEach(function (s) {
            if (!s.value) { return; }
            var parts = s.value.split(":");
            flags.push({ ref: s.getAttribute("data-ref"), type: parts[0], field: parts[1] || null });
          });
          set.querySelectorAll("input[data-side=statement]").forEach(function (c) {
            if (c.checked) {
              flags.push({ ref: c.getAttribute("data-ref"), type: "extra_in_statement", field: null });
            }
          });
          out[id] = flags;
        }
      });
      return out;
    }
    textInputs.forEach(function (el) {
      var w = where(el);
      if (w.field) {
        out[w.item] = out[w.item] || {};
        out[w.item][w.field] = el.value;
      } else {
        out[w.item] = el.value;
      }
    });
    return out;
  }

  function apply(values) {
    if (!values || typeof values !== "object") { return; }
    if (kind === "reconciliation") {
      root.querySelectorAll("[data-keying-set]").forEach(function (set) {
        var saved = values[set.getAttribute("data-keying-set")];
        if (set.getAttribute("data-set-kind") === "pair") {
          saved = saved && typeof saved === "object" ? saved : {};
          set.querySelectorAll("[data-pair]").forEach(function (box) {
            var answer = saved[box.getAttribute("data-pair")];
            var list = Array.isArray(answer) ? answer : null;
            box.querySelectorAll("[data-pair-field]").forEach(function (c) {
              c.checked = !!list && list.indexOf(c.getAttribute("data-pair-field")) >= 0;
            });
            var none = box.querySelector("[data-pair-none]");
            if (none) { none.checked = !!list && list.length === 0; }
          });
        } else {
          var flags = Array.isArray(saved) ? saved : [];
          set.querySelectorAll("select[data-side=ledger]").forEach(function (s) {
            var ref = s.getAttribute("data-ref");
            s.value = "";
            flags.forEach(function (f) {
              if (f && f.ref === ref && f.type !== "extra_in_statement") {
                s.value = f.type === "field_mismatch" ? "field_mismatch:" + f.field : f.type;
              }
            });
          });
          set.querySelectorAll("input[data-side=statement]").forEach(function (c) {
            var ref = c.getAttribute("data-ref");
            c.checked = flags.some(function (f) { return f && f.ref === ref && f.type === "extra_in_statement"; });
          });
        }
      });
      return;
    }
    textInputs.forEach(function (el) {
      var w = where(el);
      var v = w.field ? (values[w.item] || {})[w.field] : values[w.item];
      if (typeof v === "string") { el.value = v; }
    });
  }

  // ---------------------------------------------------------------- events

  function log(ev) {
    ev.t = now();
    state.buffer.push(ev);
    dirty = true;
    persistSoon();
  }

  function showBlocked() {
    if (!blockedEl) { return; }
    blockedEl.classList.remove("d-none");
    if (blockedTimer) { window.clearTimeout(blockedTimer); }
    blockedTimer = window.setTimeout(function () { blockedEl.classList.add("d-none"); }, 6000);
  }

  function block(el, type, how) {
    var w = where(el);
    log({ item: w.item, field: w.field, type: type, via: how });
    showBlocked();
  }

  // Minimal edit between two values, using the caret to place the change
  // inside runs of equal characters (so "11" -> "111" is an insert where it
  // was typed).
  function edits(before, after, caret) {
    var n = after.length - before.length;
    if (typeof caret === "number") {
      if (n > 0) {
        var ip = caret - n;
        if (ip >= 0 && before.slice(0, ip) + after.slice(ip, caret) + before.slice(ip) === after) {
          return [{ op: "insert", pos: ip, data: after.slice(ip, caret) }];
        }
      } else if (n < 0) {
        if (caret <= after.length && before.slice(0, caret) + before.slice(caret - n) === after) {
          return [{ op: "delete", pos: caret, len: -n }];
        }
      }
    }
    var p = 0;
    var max = Math.min(before.length, after.length);
    while (p < max && before.charAt(p) === after.charAt(p)) { p++; }
    var s = 0;
    while (s < before.length - p && s < after.length - p &&
           before.charAt(before.length - 1 - s) === after.charAt(after.length - 1 - s)) { s++; }
    var out = [];
    var removed = before.length - p - s;
    var added = after.slice(p, after.length - s);
    if (removed > 0) { out.push({ op: "delete", pos: p, len: removed }); }
    if (added) { out.push({ op: "insert", pos: p, data: added }); }
    return out;
  }

  form.addEventListener("keydown", function (e) {
    var el = e.target;
    if (!isTestInput(el)) { return; }
    if (locked) { e.preventDefault(); return; }
    if (e.isComposing || MODIFIER_KEYS[e.key] || e.ctrlKey || e.metaKey) { return; }
    var w = where(el);
    var ev = { item: w.item, field: w.field, type: "key", key: e.key, code: e.code };
    if (e.repeat) { ev.repeat = true; }
    log(ev);
    lastKeyAt[el.id] = performance.now();
    if (e.key === "Enter" && el.tagName !== "TEXTAREA") {
      e.preventDefault();
      advance(el);
    } else if (kind === "record_entry" && (e.key === "PageDown" || e.key === "PageUp")) {
      e.preventDefault();
      showRecord(currentRecord + (e.key === "PageDown" ? 1 : -1), true);
    }
  });

  form.addEventListener("beforeinput", function (e) {
    var el = e.target;
    if (!isTestInput(el)) { return; }
    if (locked) { e.preventDefault(); return; }
    var t = e.inputType || "";
    if (/^insertFrom(Paste|Drop|Yank)/.test(t) || t === "insertReplacementText") {
      e.preventDefault();
      block(el, t.indexOf("Drop") >= 0 ? "drop" : "paste", t);
    }
  });

  form.addEventListener("paste", function (e) {
    if (!isTestInput(e.target)) { return; }
    e.preventDefault();
    block(e.target, "paste", "paste");
  });

  form.addEventListener("drop", function (e) {
    if (!isTestInput(e.target)) { return; }
    e.preventDefault();
    block(e.target, "drop", "drop");
  });

  form.addEventListener("dragover", function (e) {
    if (isTestInput(e.target)) { e.preventDefault(); }
  });

  form.addEventListener("input", function (e) {
    var el = e.target;
    if (!isTestInput(el)) { return; }
    var before = previous[el.id] || "";
    var after = el.value;
    if (before === after) { return; }
    // An input with no keystroke behind it and no input type is autofill (or a
    // script): take it back out and record the attempt.
    var keyed = lastKeyAt[el.id] && performance.now() - lastKeyAt[el.id] < 1000;
    var notTyped = e.inputType === undefined || /^insertFrom/.test(e.inputType || "");
    if (locked || (notTyped && !keyed) || (notTyped && after.length - before.length > 1)) {
      el.value = before;
      if (!locked) { block(el, "paste", e.inputType || "autofill"); }
      return;
    }
    var w = where(el);
    edits(before, after, el.selectionStart).forEach(function (op) {
      op.item = w.item;
      op.field = w.field;
      op.type = "input";
      log(op);
    });
    previous[el.id] = after;
  });

  form.addEventListener("change", function (e) {
    var el = e.target;
    if (el.hasAttribute("data-pair-none") && el.checked) {
      el.closest("[data-pair]").querySelectorAll("[data-pair-field]").forEach(function (c) { c.checked = false; });
    } else if (el.hasAttribute("data-pair-field") && el.checked) {
      var none = el.closest("[data-pair]").querySelector("[data-pair-none]");
      if (none) { none.checked = false; }
    }
    if (!isTestInput(el)) {
      dirty = true;
      persistSoon();
    }
  });

  form.addEventListener("focusin", function (e) {
    if (!isTestInput(e.target)) { return; }
    var w = where(e.target);
    log({ item: w.item, field: w.field, type: "focus" });
  });

  form.addEventListener("focusout", function (e) {
    if (!isTestInput(e.target)) { return; }
    var w = where(e.target);
    log({ item: w.item, field: w.field, type: "blur" });
  });

  form.addEventListener("submit", function (e) { e.preventDefault(); });

  window.addEventListener("blur", function (e) {
    if (e.target === window && !submitting) { log({ item: "", field: "", type: "blur" }); }
  });
  window.addEventListener("focus", function (e) {
    if (e.target === window && !submitting) { log({ item: "", field: "", type: "focus" }); }
  });

  // ---------------------------------------------------------------- moving on

  var records = Array.prototype.slice.call(root.querySelectorAll("[data-keying-record]"));
  var currentRecord = 0;
  var progressEl = root.querySelector("[data-keying-progress]");
  var prevBtn = root.querySelector("[data-keying-prev]");
  var nextBtn = root.querySelector("[data-keying-next]");

  function showRecord(index, focusFirst) {
    if (!records.length) { return; }
    index = Math.max(0, Math.min(records.length - 1, index));
    currentRecord = index;
    records.forEach(function (section, i) { section.hidden = i !== index; });
    if (progressEl) { progressEl.textContent = "Record " + (index + 1) + " of " + records.length; }
    if (prevBtn) { prevBtn.disabled = index === 0; }
    if (nextBtn) { nextBtn.disabled = index === records.length - 1; }
    if (focusFirst) {
      var first = records[index].querySelector(".keying-input");
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
      return;
    }
    if (kind === "record_entry" && currentRecord < records.length - 1) {
      showRecord(currentRecord + 1, true);
      return;
    }
    if (submitBtn) { submitBtn.focus(); }
  }

  if (records.length) {
    var nav = root.querySelector("[data-keying-record-nav]");
    if (nav) { nav.hidden = false; }
    records.forEach(function (section) {
      var heading = section.querySelector("h2");
      if (heading) { heading.classList.add("visually-hidden"); }
    });
    if (prevBtn) { prevBtn.addEventListener("click", function () { showRecord(currentRecord - 1, true); }); }
    if (nextBtn) { nextBtn.addEventListener("click", function () { showRecord(currentRecord + 1, true); }); }
  }

  // ---------------------------------------------------------------- saving

  function setStatus(text) {
    if (statusEl) { statusEl.textContent = text; }
  }

  function announce(text) {
    if (announceEl) { announceEl.textContent = text; }
  }

  function offline(on) {
    if (offlineEl) { offlineEl.classList.toggle("d-none", !on); }
  }

  function resync(remaining) {
    if (timed && typeof remaining === "number") {
      deadline = performance.now() + remaining;
    }
  }

  function request(url, method, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrfToken()
      },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, ok: response.ok, data: data };
      });
    });
  }

  function finished(message) {
    closed = true;
    lock();
    forget();
    setStatus(message || "This attempt is closed.");
    window.location.assign(resultUrl);
  }

  function nextChunk() {
    var events = state.buffer.splice(0, MAX_EVENTS_PER_CHUNK);
    var chunk = { seq: state.nextSeq, responses: collect(), events: events };
    state.nextSeq += 1;
    if (!state.buffer.length) { dirty = false; }
    return chunk;
  }

  // Send everything not yet acknowledged, one chunk at a time. Resolves true
  // when the server has it all, false when it could not be sent (kept).
  function flush() {
    if (sending) { return sending; }
    if (closed) { return Promise.resolve(false); }
    setStatus("Saving…");
    sending = new Promise(function (resolve) {
      function step() {
        if (!state.inflight) {
          if (!dirty && !state.buffer.length) {
            offline(false);
            setStatus("Saved " + new Date().toLocaleTimeString());
            resolve(true);
            return;
          }
          state.inflight = nextChunk();
          persistNow();
        }
        request(saveUrl, "PUT", state.inflight).then(function (res) {
          if (res.ok) {
            state.inflight = null;
            persistNow();
            if (res.data) { resync(res.data.remaining_ms); }
            step();
          } else if (res.status === 409 && res.data && res.data.error === "answers_closed") {
            // The grace policy: answers are locked but the attempt can still be
            // submitted with what was saved.
            state.inflight = null;
            state.buffer = [];
            dirty = false;
            persistNow();
            resolve("answers_closed");
            if (!submitting) { submit(true); }
          } else if (res.status === 409) {
            resolve(false);
            finished(res.data && res.data.message);
          } else if (res.status === 400 || res.status === 413) {
            // A chunk the server will never take: drop it rather than retry forever.
            state.inflight = null;
            persistNow();
            setStatus("A save was refused: " + ((res.data && res.data.message) || res.status));
            resolve(false);
          } else if (res.status === 401 || res.status === 403) {
            setStatus("You are signed out: sign in again in another tab, then come back.");
            offline(true);
            resolve(false);
          } else {
            offline(true);
            setStatus("Not saved yet: retrying…");
            resolve(false);
          }
        }).catch(function () {
          offline(true);
          setStatus("Offline: your entries are kept in this browser.");
          resolve(false);
        });
      }
      step();
    }).then(function (ok) {
      sending = null;
      return ok;
    });
    return sending;
  }

  function lock() {
    locked = true;
    textInputs.forEach(function (el) { el.readOnly = true; });
    form.querySelectorAll("select, input[type=checkbox]").forEach(function (el) { el.disabled = true; });
    if (submitBtn) { submitBtn.disabled = true; }
  }

  function submit(auto) {
    if (submitting || closed) { return; }
    submitting = true;
    lock();
    setStatus(auto ? "Time is up: submitting…" : "Submitting…");
    if (auto) { announce("Time is up. Your test is being submitted."); }
    (function attempt() {
      flush().then(function (saved) {
        if (closed) { return; }
        if (saved === false) {
          setStatus("Waiting for the connection to submit…");
          window.setTimeout(attempt, RETRY_MS);
          return;
        }
        request(submitUrl, "POST", {}).then(function (res) {
          if (res.ok || res.status === 409) {
            finished("Submitted.");
          } else if (res.status === 401 || res.status === 403) {
            setStatus("You are signed out: sign in again in another tab to submit.");
            window.setTimeout(attempt, RETRY_MS);
          } else {
            window.setTimeout(attempt, RETRY_MS);
          }
        }).catch(function () {
          offline(true);
          window.setTimeout(attempt, RETRY_MS);
        });
      });
    })();
  }

  // ---------------------------------------------------------------- countdown

  var warned = false;
  function tickClock() {
    if (!timed || !clockEl) { return; }
    var ms = Math.max(0, deadline - performance.now());
    var secs = Math.ceil(ms / 1000);
    var text = Math.floor(secs / 60) + ":" + String(secs % 60).padStart(2, "0");
    if (clockEl.textContent !== text) { clockEl.textContent = text; }
    clockEl.classList.toggle("text-danger", ms <= 60000);
    if (ms <= 60000 && !warned) {
      warned = true;
      announce("One minute left.");
    }
    if (ms <= 0) { submit(true); }
  }

  // ---------------------------------------------------------------- start

  var unsent = !!(stored.unsaved || state.inflight || state.buffer.length);
  if (unsent && stored.values) { apply(stored.values); }
  textInputs.forEach(function (el) { previous[el.id] = el.value; });
  if (unsent) { dirty = true; }

  if (records.length) {
    var firstOpen = 0;
    for (var r = 0; r < records.length; r++) {
      var empty = Array.prototype.some.call(records[r].querySelectorAll(".keying-input"), function (el) { return !el.value; });
      if (empty) { firstOpen = r; break; }
    }
    showRecord(firstOpen, false);
  }

  if (submitBtn) {
    submitBtn.disabled = false;
    submitBtn.addEventListener("click", function () {
      var Modal = window.bootstrap && window.bootstrap.Modal;
      if (!Modal || !modalEl) { submit(false); return; }
      if (confirmText && textInputs.length) {
        var filled = textInputs.filter(function (el) { return el.value.trim() !== ""; }).length;
        confirmText.textContent = "You have filled " + filled + " of " + textInputs.length +
          " boxes. You cannot change your answers after you submit.";
      }
      Modal.getOrCreateInstance(modalEl).show();
    });
  }
  if (modalEl && confirmBtn) {
    // As a native confirm does: Enter confirms, Escape or Tab to "Keep working" backs out.
    modalEl.addEventListener("shown.bs.modal", function () { confirmBtn.focus(); });
  }
  if (confirmBtn) {
    confirmBtn.addEventListener("click", function () {
      var Modal = window.bootstrap && window.bootstrap.Modal;
      if (Modal && modalEl) { Modal.getOrCreateInstance(modalEl).hide(); }
      submit(false);
    });
  }

  window.setInterval(function () {
    if (!submitting && (dirty || state.buffer.length || state.inflight)) { flush(); }
  }, SAVE_EVERY_MS);
  window.addEventListener("online", function () { if (!submitting) { flush(); } });
  window.addEventListener("pagehide", persistNow);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { persistNow(); }
  });
  if (timed) {
    tickClock();
    window.setInterval(tickClock, 250);
  }
  if (unsent) { flush(); }

  var firstInput = kind === "record_entry" && records.length
    ? records[currentRecord].querySelector(".keying-input")
    : textInputs[0];
  if (firstInput && !locked) { firstInput.focus({ preventScroll: kind !== "ten_key" }); }
})();
