/* archdoc: open a clicked diagram full-size in an overlay (no plugin, no network).
 * Event delegation on document keeps it working with Material's instant navigation. */
(function () {
  "use strict";
  var overlay = null;

  function close() {
    if (overlay) {
      overlay.remove();
      overlay = null;
      document.documentElement.classList.remove("archdoc-zoom-open");
    }
  }

  function open(img) {
    close();
    overlay = document.createElement("div");
    overlay.className = "archdoc-zoom";
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-label", img.alt || "diagram");
    var big = document.createElement("img");
    big.src = img.currentSrc || img.src;
    big.alt = img.alt;
    overlay.appendChild(big);
    overlay.addEventListener("click", close);
    document.body.appendChild(overlay);
    document.documentElement.classList.add("archdoc-zoom-open");
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.tagName === "IMG" && target.classList.contains("archdoc-diagram")) {
      event.preventDefault();
      open(target);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      close();
    }
  });
})();
