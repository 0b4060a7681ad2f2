// Small helpers for the course forms (progressive enhancement; the forms work without).
(function () {
  "use strict";

  // Suggest a short name from the title until the trainer types one of their own.
  function slugify(text) {
    return text.toLowerCase()
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80)
      .replace(/-+$/, "");
  }

  document.querySelectorAll("[data-slug-from]").forEach(function (slug) {
    var source = document.getElementById(slug.getAttribute("data-slug-from"));
    if (!source) { return; }
    var own = slug.value !== "" && slug.value !== slugify(source.value);
    slug.addEventListener("input", function () { own = slug.value !== ""; });
    source.addEventListener("input", function () {
      if (!own) { slug.value = slugify(source.value); }
    });
  });

  // Filter a long multi-select by typing; chosen options always stay visible.
  document.querySelectorAll("[data-filter-select]").forEach(function (input) {
    var select = document.getElementById(input.getAttribute("data-filter-select"));
    if (!select) { return; }
    var wrapper = input.closest("[data-filter-wrapper]");
    if (wrapper) { wrapper.hidden = false; }
    input.addEventListener("input", function () {
      var query = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = query !== "" && !option.selected &&
          option.text.toLowerCase().indexOf(query) === -1;
      });
    });
    // Enter in the search box must not submit the form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
  });

  // "3 people chosen" under a multi-select.
  document.querySelectorAll("[data-selected-count]").forEach(function (out) {
    var select = document.getElementById(out.getAttribute("data-selected-count"));
    if (!select) { return; }
    function update() {
      var n = select.selectedOptions.length;
      out.textContent = n === 0 ? "" : (n === 1 ? "1 person chosen" : n + " people chosen");
    }
    select.addEventListener("change", update);
    update();
  });
})();
