// Earned module completion on the module page: counts down the reading time the
// server still asks for, reports reaching the end of the lesson, and enables
// "Mark as complete" when both are done, without a reload.
// The server stays the judge: the countdown starts from the seconds it computed
// when it rendered the page (so it can only end after the server's own), the end
// is recorded by a POST, and an early "Mark as complete" is refused there.
// Progressive enhancement: without this script the button stays usable and the
// page's message and the server's refusal explain what is missing.
(function () {
  "use strict";
  var status = document.querySelector("[data-reading]");
  if (!status) { return; }
  var button = document.getElementById(status.getAttribute("data-button"));
  var shown = status.querySelector("[data-reading-shown]");
  var spoken = status.querySelector("[data-reading-spoken]");
  var endMarker = document.querySelector("[data-module-end]");
  var endUrl = status.getAttribute("data-end-url");
  var needsEnd = status.getAttribute("data-needs-end") === "true";
  var remaining = parseInt(status.getAttribute("data-remaining-seconds"), 10) || 0;
  var startedAt = Date.now();
  var lastKey = null;
  var timer = null;
  var observer = null;
  var reporting = false;

  if (!button || (needsEnd && !("IntersectionObserver" in window && window.fetch))) {
    return;  // cannot report the end here: leave the button to the server's check
  }

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  // As lms.templating.format_duration writes it: "45 s", "1 min 05 s", "2 min".
  function duration(seconds) {
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var secs = seconds % 60;
    if (hours) { return hours + " h " + pad(minutes) + " min"; }
    if (minutes) { return secs ? minutes + " min " + pad(secs) + " s" : minutes + " min"; }
    return secs + " s";
  }

  function secondsLeft() {
    var elapsed = (Date.now() - startedAt) / 1000;
    return Math.max(0, Math.ceil(remaining - elapsed));
  }

  function message(key, left) {
    var text = status.getAttribute("data-message-" + key) || "";
    return text.replace("{time}", duration(left));
  }

  // Screen readers hear the state when it changes and each whole minute, not every
  // tick; the first state is the server's text already on the page.
  function speak(key, left) {
    var changed = lastKey !== null && key !== lastKey;
    if (changed || (lastKey !== null && left > 0 && left % 60 === 0)) {
      spoken.textContent = message(key, left);
    }
    lastKey = key;
  }

  function update() {
    var left = secondsLeft();
    var key = left && needsEnd ? "wait-and-end" : left ? "wait" : needsEnd ? "end" : "ready";
    shown.textContent = message(key, left);
    speak(key, left);
    button.disabled = key !== "ready";
    if (key === "ready") {
      status.classList.remove("alert-info");
      status.classList.add("alert-success");
    }
    if (!left && timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function reportEnd() {
    if (reporting || !needsEnd) { return; }
    reporting = true;
    fetch(endUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (body) {
      reporting = false;
      if (!body) { return; }
      needsEnd = false;
      if (observer) { observer.disconnect(); }
      // The server's figure is the truth; count on from it.
      remaining = body.remaining_seconds || 0;
      startedAt = Date.now();
      update();
      if (secondsLeft() && timer === null) { timer = window.setInterval(update, 1000); }
    }).catch(function () {
      reporting = false;  // seen again later, it is sent again
    });
  }

  if (needsEnd && endMarker) {
    observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { reportEnd(); }
      });
    });
    observer.observe(endMarker);
  }

  update();
  if (secondsLeft()) { timer = window.setInterval(update, 1000); }
})();
