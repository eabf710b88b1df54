/* archdoc: diagrams open in an overlay with real zoom and pan; wide tables show a scroll cue.
 * Offline: Panzoom is vendored (panzoom.min.js, loaded before this file), nothing is fetched.
 * Event delegation on document keeps it working with Material's instant navigation.
 *
 * Overlay: the diagram starts fitted to the screen; the mouse wheel or pinch zooms at the
 * pointer, dragging pans, the buttons zoom in, out and back to the fitted view; Escape or
 * the close button closes it (a click does not: it ends a drag).
 *
 * Keyboard (WCAG 2.1.1): a diagram is a focusable button (Tab, then Enter or Space opens it);
 * in the overlay Tab moves between its buttons only, and closing returns the focus to the
 * diagram. */
(function () {
  "use strict";
  /* The words the script shows; archdoc rewrites this line in the document's language
   * (render.pages.templating.asset_text). */
  var TEXT = {"diagram": "構成図", "zoomed": "（拡大表示）", "plus": "＋", "zoomIn": "拡大", "minus": "－", "zoomOut": "縮小", "fit": "全体", "fitLabel": "全体を表示", "close": "閉じる（Esc）", "named": "{name}：", "scrollTable": "横にスクロールできる表", "scrollHint": "⇆ この表は横にスクロールできます"};
  var overlay = null;
  var panzoom = null;
  var opener = null;

  function close() {
    if (overlay) {
      if (panzoom) {
        panzoom.destroy();
        panzoom = null;
      }
      overlay.remove();
      overlay = null;
      document.documentElement.classList.remove("archdoc-zoom-open");
      if (opener) {
        opener.focus();
        opener = null;
      }
    }
  }

  function keepFocusInside(event) {
    var buttons = overlay ? overlay.querySelectorAll("button") : [];
    if (event.key !== "Tab" || !buttons.length) {
      return;
    }
    var first = buttons[0], last = buttons[buttons.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    } else if (!overlay.contains(document.activeElement)) {
      event.preventDefault();
      first.focus();
    }
  }

  function focusableDiagrams() {
    var images = document.querySelectorAll("img.archdoc-diagram:not([tabindex])");
    for (var i = 0; i < images.length; i++) {
      images[i].setAttribute("tabindex", "0");
      images[i].setAttribute("role", "button");
      images[i].setAttribute("aria-label", (images[i].alt || TEXT.diagram) + TEXT.zoomed);
    }
  }

  function button(label, title, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.title = title;
    b.setAttribute("aria-label", title);
    b.addEventListener("click", function (event) {
      event.stopPropagation();
      onClick();
    });
    return b;
  }

  function fit(stage, big) {
    var w = big.naturalWidth || big.width, h = big.naturalHeight || big.height;
    return Math.min(1, stage.clientWidth / w, stage.clientHeight / h);
  }

  function open(img) {
    close();
    opener = img;
    overlay = document.createElement("div");
    overlay.className = "archdoc-zoom";
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-label", img.alt || "diagram");
    var stage = document.createElement("div");
    stage.className = "archdoc-zoom__stage";
    var big = document.createElement("img");
    big.alt = img.alt;
    stage.appendChild(big);
    var bar = document.createElement("div");
    bar.className = "archdoc-zoom__bar";
    overlay.appendChild(stage);
    overlay.appendChild(bar);
    document.body.appendChild(overlay);
    document.documentElement.classList.add("archdoc-zoom-open");
    big.addEventListener("load", function () {
      var start = fit(stage, big);
      big.style.width = (big.naturalWidth || big.width) + "px";
      panzoom = window.Panzoom(big, {maxScale: 4, minScale: start / 2, startScale: start, step: 0.25,
                                     canvas: true});
      stage.addEventListener("wheel", panzoom.zoomWithWheel);
      bar.appendChild(button(TEXT.plus, TEXT.zoomIn, function () { panzoom.zoomIn(); }));
      bar.appendChild(button(TEXT.minus, TEXT.zoomOut, function () { panzoom.zoomOut(); }));
      bar.appendChild(button(TEXT.fit, TEXT.fitLabel, function () { panzoom.reset(); }));
      bar.appendChild(button("×", TEXT.close, close));
      bar.querySelector("button").focus();
    }, {once: true});
    big.src = img.currentSrc || img.src;
  }

  /* A table wider than the page scrolls sideways (Material wraps it in .md-typeset__scrollwrap):
   * a label above it says so, and its right edge fades out until the end is reached. The
   * scrolling box is a focusable, named region, so it scrolls with the arrow keys too
   * (WCAG 2.1.1; axe: scrollable-region-focusable). */
  function heading(wrap) {
    for (var el = wrap.previousElementSibling; el; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) {
        return el.textContent.replace(/¶$/, "").trim();
      }
    }
    return "";
  }

  function focusable(wrap, wide) {
    if (wide) {
      var name = heading(wrap);
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", (name ? TEXT.named.replace("{name}", function () { return name; }) : "") + TEXT.scrollTable);
    } else {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      wrap.removeAttribute("aria-label");
    }
  }

  function atEnd(wrap) {
    wrap.classList.toggle("archdoc-at-end", wrap.scrollLeft + wrap.clientWidth >= wrap.scrollWidth - 1);
  }

  function markWideTables() {
    var wraps = document.querySelectorAll(".md-typeset__scrollwrap");
    for (var i = 0; i < wraps.length; i++) {
      var wrap = wraps[i];
      var wide = wrap.scrollWidth > wrap.clientWidth + 1;
      var hint = wrap.previousElementSibling;
      var hinted = hint && hint.classList.contains("archdoc-scroll-hint");
      wrap.classList.toggle("archdoc-scrolls", wide);
      focusable(wrap, wide);
      if (wide && !hinted) {
        hint = document.createElement("div");
        hint.className = "archdoc-scroll-hint";
        hint.textContent = TEXT.scrollHint;
        wrap.parentNode.insertBefore(hint, wrap);
        wrap.addEventListener("scroll", function (event) { atEnd(event.currentTarget); });
      } else if (!wide && hinted) {
        hint.remove();
      }
      atEnd(wrap);
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.tagName === "IMG" && target.classList.contains("archdoc-diagram")) {
      event.preventDefault();
      open(target);
    }
  });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Escape") {
      close();
    } else if (overlay) {
      keepFocusInside(event);
    } else if ((event.key === "Enter" || event.key === " ") && target && target.tagName === "IMG"
               && target.classList.contains("archdoc-diagram")) {
      event.preventDefault();
      open(target);
    }
  });

  function prepare() {
    markWideTables();
    focusableDiagrams();
  }

  window.addEventListener("resize", markWideTables);
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(prepare);  /* Material: every page load, instant or not */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", prepare);
  } else {
    prepare();
  }
})();
