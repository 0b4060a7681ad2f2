// Live preview for the module editor. Progressive enhancement: without this script the
// form's "Preview" button renders the same preview on the server.
// The server renders and sanitises the Markdown (exactly as it does on save) and this
// script only places the returned, already-sanitised HTML in the preview pane.
(function () {
  "use strict";
  var DELAY_MS = 400;

  function csrfToken(form) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) { return meta.content; }
    var input = form && form.querySelector('input[name="csrf_token"]');
    return input ? input.value : "";
  }

  function setup(root) {
    var textarea = root.querySelector("textarea");
    var pane = document.getElementById(root.getAttribute("data-preview-target"));
    var status = document.getElementById(root.getAttribute("data-preview-status"));
    var url = root.getAttribute("data-preview-url");
    if (!textarea || !pane || !url || !window.fetch) { return; }
    var form = textarea.form;
    var emptyText = pane.getAttribute("data-empty-text") || "";
    var timer = null;
    var sent = 0;      // number of the latest request sent
    var shown = 0;     // number of the request whose answer is on screen
    var saved = textarea.value;

    function say(message) { if (status) { status.textContent = message; } }

    function show(html) {
      if (html) {
        pane.innerHTML = html;  // sanitised by the server (lms.markdown.render_markdown)
      } else {
        pane.textContent = "";
        var p = document.createElement("p");
        p.className = "text-muted";
        p.textContent = emptyText;
        pane.appendChild(p);
      }
    }

    function refresh() {
      var mine = ++sent;
      pane.setAttribute("aria-busy", "true");
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          "Accept": "application/json",
          "X-CSRFToken": csrfToken(form)
        },
        body: JSON.stringify({ markdown: textarea.value })
      }).then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      }).then(function (result) {
        if (mine < shown) { return; }  // an older answer arriving late
        shown = mine;
        if (!result.ok) {
          say(result.body.message || "The preview could not be updated.");
          return;
        }
        show(result.body.html);
        say("");
      }).catch(function () {
        if (mine === sent) {
          say("The preview could not be updated. Your text is safe; save as usual.");
        }
      }).then(function () {
        if (mine === sent) { pane.removeAttribute("aria-busy"); }
      });
    }

    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, DELAY_MS);
    });

    // Warn before leaving the page with unsaved text.
    if (form) {
      form.addEventListener("submit", function () { saved = textarea.value; });
    }
    window.addEventListener("beforeunload", function (event) {
      if (textarea.value !== saved) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  document.querySelectorAll("[data-markdown-editor]").forEach(setup);
})();
