// Keying test page: keystroke capture, the values of each kind's inputs, paste
// and drop blocking, moving between records and entries, the Num Lock warning
// of 10-key tests and the countdown's look. Saving, the copy kept on the
// device, retries, the clock and submitting are the attempt client's
// (attempt-client.js). Progressive enhancement of templates/keying/take.html;
// no inline scripts (CSP script-src 'self').
//
// Event schema (lms/keying/events.py, docs/keying.md): every event has
// t (ms since the attempt started, on a clock synchronised with the server
// when the page was rendered), item, field and type:
//   key    {key, code}              a keydown in a test input (code tells Numpad7 from Digit7;
//                                   location 3 marks a key of the numeric keypad)
//   input  {op: insert, pos, data}  text that went in at pos
//          {op: delete, pos, len}   len characters removed at pos
//   paste / drop                    a blocked paste, drop or autofill
//   focus / blur                    an input gaining/losing focus; item "" = the window
// A replaced selection is sent as a delete followed by an insert, so replaying
// the input events rebuilds exactly what was submitted.
(function () {
  "use strict";

  var root = document.getElementById("keying-test");
  if (!root || !window.fetch || !window.AttemptClient) { return; }
  var form = root.querySelector("[data-keying-form]");
  var kind = root.dataset.kind;

  var MODIFIER_KEYS = {
    Shift: 1, Control: 1, Alt: 1, Meta: 1, AltGraph: 1, CapsLock: 1, NumLock: 1,
    ScrollLock: 1, Fn: 1, OS: 1, Dead: 1, Unidentified: 1, Process: 1
  };
  // What keypad keys send while Num Lock is off.
  var KEYPAD_NAVIGATION = {
    Home: 1, End: 1, PageUp: 1, PageDown: 1, ArrowUp: 1, ArrowDown: 1, ArrowLeft: 1,
    ArrowRight: 1, Insert: 1, Delete: 1, Clear: 1
  };
  var KEYPAD = 3;  // KeyboardEvent.DOM_KEY_LOCATION_NUMPAD

  var clockEl = root.querySelector("[data-keying-clock]");
  var blockedEl = root.querySelector("[data-keying-blocked]");
  var numLockEl = root.querySelector("[data-keying-numlock]");
  var submitBtn = root.querySelector("[data-keying-submit]");
  var confirmText = root.querySelector("[data-keying-confirm-text]");

  var textInputs = Array.prototype.slice.call(form.querySelectorAll(".keying-input"));
  var sets = Array.prototype.slice.call(root.querySelectorAll("[data-keying-set]"));
  var previous = {};
  var lastKeyAt = {};
  var locked = false;
  var blockedTimer = null;

  // ---------------------------------------------------------------- values

  function isTestInput(el) {
    return el && el.classList && el.classList.contains("keying-input");
  }

  function where(el) {
    return { item: el.getAttribute("data-item") || "", field: el.getAttribute("data-field") || "" };
  }

  function inputsOf(item) {
    return textInputs.filter(function (el) { return el.getAttribute("data-item") === item; });
  }

  function setOf(item) {
    return sets.filter(function (set) { return set.getAttribute("data-keying-set") === item; })[0];
  }

  // A record is {field: text}; an entry or a passage is its text.
  function textValue(item) {
    var inputs = inputsOf(item);
    if (inputs.length === 1 && !where(inputs[0]).field) { return inputs[0].value; }
    var out = {};
    inputs.forEach(function (el) { out[where(el).field] = el.value; });
    return out;
  }

  function setValue(set) {
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
      return answers;
    }
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
    return flags;
  }

  function applyText(item, value) {
    var inputs = inputsOf(item);
    if (!inputs.length) { return false; }
    inputs.forEach(function (el) {
      var field = where(el).field;
      var v = field ? (value || {})[field] : value;
      if (typeof v === "string") { el.value = v; }
    });
  }

  function applySet(set, saved) {
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
      return;
    }
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

  function restore(item, value) {
    if (kind !== "reconciliation") { return applyText(item, value); }
    var set = setOf(item);
    if (!set) { return false; }
    applySet(set, value);
  }

  // ---------------------------------------------------------------- events

  function showBlocked() {
    if (!blockedEl) { return; }
    blockedEl.classList.remove("d-none");
    if (blockedTimer) { window.clearTimeout(blockedTimer); }
    blockedTimer = window.setTimeout(function () { blockedEl.classList.add("d-none"); }, 6000);
  }

  function block(el, type, how) {
    var w = where(el);
    client.log({ item: w.item, field: w.field, type: type, via: how });
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

  // With Num Lock off the keypad sends navigation keys and types nothing: say
  // so beside the 10-key box at once, and take the warning down when keypad
  // digits arrive again.
  function checkNumLock(e, el) {
    if (kind !== "ten_key" || !numLockEl) { return; }
    var keypad = /^Numpad/.test(e.code || "") || e.location === KEYPAD;
    if (keypad && KEYPAD_NAVIGATION[e.key]) {
      if (numLockEl.hidden || numLockEl.parentNode !== el.parentNode) {
        el.parentNode.insertBefore(numLockEl, el.nextSibling);
        numLockEl.hidden = false;
      }
    } else if (keypad && /^[0-9]$/.test(e.key)) {
      numLockEl.hidden = true;
    }
  }

  form.addEventListener("keydown", function (e) {
    var el = e.target;
    if (!isTestInput(el)) { return; }
    if (locked) { e.preventDefault(); return; }
    checkNumLock(e, el);
    var keypad = e.location === KEYPAD || /^Numpad/.test(e.code || "");
    // Keypad keys are always kept (Num Lock off sends odd keys the server counts).
    if (e.isComposing || (MODIFIER_KEYS[e.key] && !keypad) || e.ctrlKey || e.metaKey) { return; }
    var w = where(el);
    var ev = { item: w.item, field: w.field, type: "key", key: e.key, code: e.code };
    if (e.location === KEYPAD) { ev.location = KEYPAD; }
    if (e.repeat) { ev.repeat = true; }
    client.log(ev);
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
      client.log(op);
    });
    previous[el.id] = after;
    client.change(w.item, textValue(w.item));
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
      // A list with no flags is an answer ("all agree"): once the learner has
      // started, every set is sent.
      sets.forEach(function (set) { client.change(set.getAttribute("data-keying-set"), setValue(set)); });
    }
  });

  form.addEventListener("focusin", function (e) {
    if (!isTestInput(e.target)) { return; }
    var w = where(e.target);
    client.log({ item: w.item, field: w.field, type: "focus" });
  });

  form.addEventListener("focusout", function (e) {
    if (!isTestInput(e.target)) { return; }
    var w = where(e.target);
    client.log({ item: w.item, field: w.field, type: "blur" });
  });

  form.addEventListener("submit", function (e) { e.preventDefault(); });

  window.addEventListener("blur", function (e) {
    if (e.target === window && !client.isSubmitting()) { client.log({ item: "", field: "", type: "blur" }); }
  });
  window.addEventListener("focus", function (e) {
    if (e.target === window && !client.isSubmitting()) { client.log({ item: "", field: "", type: "focus" }); }
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

  // ---------------------------------------------------------------- submitting

  function lock() {
    locked = true;
    textInputs.forEach(function (el) { el.readOnly = true; });
    form.querySelectorAll("select, input[type=checkbox]").forEach(function (el) { el.disabled = true; });
    if (submitBtn) { submitBtn.disabled = true; }
  }

  function submitting(automatic) {
    lock();
    if (automatic) { client.announce("Time is up. Your test is being submitted."); }
  }

  function confirmAndSubmit() {
    var message = confirmText ? confirmText.textContent : "You cannot change your answers after you submit.";
    if (textInputs.length) {
      var filled = textInputs.filter(function (el) { return el.value.trim() !== ""; }).length;
      message = "You have filled " + filled + " of " + textInputs.length +
        " boxes. You cannot change your answers after you submit.";
    }
    client.confirm(message).then(function (yes) { if (yes) { client.submit(false); } });
  }

  function showClock(left) {
    if (!clockEl) { return; }
    var text = window.AttemptClient.formatClock(left);
    if (clockEl.textContent !== text) { clockEl.textContent = text; }
    clockEl.classList.toggle("text-danger", left <= 60000);
  }

  // ---------------------------------------------------------------- start

  var client = window.AttemptClient.start(root, {
    status: root.querySelector("[data-keying-status]"),
    offline: root.querySelector("[data-keying-offline]"),
    announce: root.querySelector("[data-keying-announce]"),
    confirm: {
      modal: document.getElementById("keying-confirm"),
      button: root.querySelector("[data-keying-confirm]"),
      text: confirmText
    },
    texts: {
      saved: function (at) { return at ? "Saved " + at.toLocaleTimeString() : "Saved"; },
      offline: function () { return "Offline: your entries are kept in this browser."; },
      submitRetry: function () { return "Waiting for the connection to submit…"; }
    },
    saveEveryMs: 4000,
    persistDelayMs: 1000,
    warnings: [[60000, "One minute left."]],
    restore: restore,
    onTick: showClock,
    onSubmit: submitting,
    // Time is up under the grace policy: what was saved can still be submitted.
    onAnswersClosed: function () { client.submit(true); }
  });
  textInputs.forEach(function (el) { previous[el.id] = el.value; });

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
    submitBtn.addEventListener("click", confirmAndSubmit);
  }

  var firstInput = kind === "record_entry" && records.length
    ? records[currentRecord].querySelector(".keying-input")
    : textInputs[0];
  if (firstInput && !locked) { firstInput.focus({ preventScroll: kind !== "ten_key" }); }
})();
