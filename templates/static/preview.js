/* sourcebook: citation previews. A citation marker ([3]) links to its entry in the page's reference list;
   this script shows that entry beside the marker without leaving the place being read: on hover, on
   keyboard focus and on a first tap. A second tap on the same marker, Enter, or a mouse click follows the
   link as before; Escape closes the preview. The preview is made of text copied from the reference with
   textContent into new elements (never innerHTML: titles and notes are contributed text), and holds no
   links, so it is a tooltip (role="tooltip", named by aria-describedby while it shows). Without JavaScript
   the marker is a plain link and its title attribute is the tooltip; here that attribute is dropped, so a
   reader never sees two. */
(function () {
  "use strict";
  var HOVER_DELAY = 150, LEAVE_DELAY = 250;  // ms: a pointer passing over a marker opens nothing
  var popup = null, current = null, timer = 0, touchedAt = 0;

  function referenceOf(marker) {
    var href = marker.getAttribute("href") || "";
    if (href.charAt(0) !== "#") return null;
    var item = document.getElementById(decodeURIComponent(href.slice(1)));
    return item && item.closest(".references") ? item : null;
  }

  function line(className, words) {
    var p = document.createElement("p");
    p.className = className;
    p.textContent = words;
    return p;
  }

  // Copies what `from` says into `to` as text nodes, keeping the lang of Chinese runs (<span lang>).
  function copyText(from, to) {
    for (var node = from.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === 3) {
        to.appendChild(document.createTextNode(node.data.replace(/\s+/g, " ")));
      } else if (node.nodeType === 1) {
        var lang = node.getAttribute("lang"), into = to;
        if (lang) {
          into = document.createElement("span");
          into.setAttribute("lang", lang);
          to.appendChild(into);
        }
        copyText(node, into);
      }
    }
    return to;
  }

  // A paragraph of strings and of the words of elements of the reference (copied as text).
  function line(className, parts) {
    var p = document.createElement("p");
    p.className = className;
    for (var i = 0; i < parts.length; i++) {
      if (typeof parts[i] === "string") p.appendChild(document.createTextNode(parts[i]));
      else if (parts[i]) copyText(parts[i], p);
    }
    return p;
  }

  function joined(elements, separator) {
    var out = [];
    for (var i = 0; i < elements.length; i++) {
      if (!elements[i]) continue;
      if (out.length) out.push(separator);
      out.push(elements[i]);
    }
    return out;
  }

  function fill(marker, reference) {
    while (popup.firstChild) popup.removeChild(popup.firstChild);
    var number = (marker.textContent || "").replace(/[\[\]]/g, "");
    var title = reference.querySelector("cite"), cite = document.createElement("cite");
    if (title) {
      if (title.getAttribute("lang")) cite.setAttribute("lang", title.getAttribute("lang"));
      copyText(title, cite);
    }
    var head = line("preview-title", [number + ". "]);
    head.appendChild(cite);
    popup.appendChild(head);
    var q = function (selector) { return reference.querySelector(selector); };
    var meta = joined([q(".publisher"), q(".author"), q("time") || "undated"], ", ");
    if (q(".kind")) meta.push(" \u00b7 ", q(".kind"));
    popup.appendChild(line("preview-meta", meta));
    var locator = marker.getAttribute("data-locator");
    if (locator) popup.appendChild(line("preview-locator", ["Cited at: " + locator]));
    if (q(".note")) popup.appendChild(line("preview-note", [q(".note")]));
    popup.appendChild(line("preview-hint", ["Select the number again, or press Enter, for the full reference."]));
  }

  function place(marker) {
    // Below the marker, or above it when the window has no room below; never past either side, so the
    // page never scrolls sideways. Positions are set through the CSSOM, which the CSP allows.
    var box = marker.getBoundingClientRect(), width = document.documentElement.clientWidth;
    popup.style.maxWidth = Math.min(352, width - 16) + "px";
    var own = popup.getBoundingClientRect();
    var left = Math.max(8, Math.min(box.left + box.width / 2 - own.width / 2, width - own.width - 8));
    var top = box.bottom + 6;
    if (top + own.height > window.innerHeight && box.top - own.height - 6 > 0) top = box.top - own.height - 6;
    popup.style.left = (left + window.scrollX) + "px";
    popup.style.top = (top + window.scrollY) + "px";
  }

  function open(marker) {
    clearTimeout(timer);
    var reference = referenceOf(marker);
    if (!reference) return;
    if (current && current !== marker) close();
    fill(marker, reference);
    popup.hidden = false;
    place(marker);
    current = marker;
    marker.setAttribute("aria-describedby", popup.id);
  }

  function close() {
    clearTimeout(timer);
    if (!current) return;
    current.removeAttribute("aria-describedby");
    current = null;
    popup.hidden = true;
  }

  function later(fn, delay) { clearTimeout(timer); timer = setTimeout(fn, delay); }

  function enhance(marker) {
    marker.removeAttribute("title");
    marker.addEventListener("pointerenter", function (e) {
      if (e.pointerType === "mouse") later(function () { open(marker); }, HOVER_DELAY);
    });
    marker.addEventListener("pointerleave", function (e) {
      if (e.pointerType === "mouse") later(close, LEAVE_DELAY);
    });
    marker.addEventListener("focus", function () { if (Date.now() - touchedAt > 800) open(marker); });
    marker.addEventListener("blur", function () { if (current === marker) later(close, LEAVE_DELAY); });
    marker.addEventListener("pointerdown", function (e) { if (e.pointerType !== "mouse") touchedAt = Date.now(); });
    marker.addEventListener("click", function (e) {
      // a first tap previews; a tap on the marker whose preview shows (or Enter, or a mouse click) follows
      if (Date.now() - touchedAt < 800 && current !== marker) {
        e.preventDefault();
        open(marker);
      } else {
        close();
      }
    });
  }

  var markers = document.querySelectorAll("sup.cite a[href^='#']");
  if (!markers.length) return;
  popup = document.createElement("div");
  popup.id = "part_cite-preview";
  popup.className = "cite-preview";
  popup.setAttribute("role", "tooltip");
  popup.hidden = true;
  popup.addEventListener("pointerenter", function () { clearTimeout(timer); });
  popup.addEventListener("pointerleave", function (e) { if (e.pointerType === "mouse") later(close, LEAVE_DELAY); });
  document.body.appendChild(popup);
  for (var i = 0; i < markers.length; i++) enhance(markers[i]);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && current) close();
  });
  document.addEventListener("pointerdown", function (e) {  // a tap elsewhere closes a tapped-open preview
    if (current && e.target !== current && !current.contains(e.target) && !popup.contains(e.target)) close();
  });
  window.addEventListener("beforeprint", close);  // a preview is for the screen, never the printed page
  window.addEventListener("resize", function () { if (current) place(current); });
})();
