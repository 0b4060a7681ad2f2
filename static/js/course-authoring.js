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
})();
