/* sourcebook: "Cite this". Each claim's <details class="cite-this"> holds its permalink and a citation
   line written at build time, without an access date (the build reads no clock). This script adds a
   button that copies the line with the reader's date of access; opened over http(s) without base_url,
   the site-relative address in the line becomes the page's absolute one. Without JavaScript the line
   can still be selected and copied by hand. */
(function () {
  "use strict";
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"];

  function today() {
    var d = new Date();
    return d.getDate() + " " + MONTHS[d.getMonth()] + " " + d.getFullYear();
  }

  function citation(details) {
    var line = details.querySelector(".cite-line").textContent.trim();
    var link = details.querySelector(".cite-permalink a");
    var shown = link ? link.textContent.trim() : "";
    if (shown && !/^https?:/i.test(shown) && /^https?:$/.test(location.protocol)
        && line.slice(-shown.length) === shown) {
      // the absolute URL of the permalink, as the reader sees it, naming the folder as hosts serve it
      line = line.slice(0, -shown.length) + link.href.replace(/\/index\.html(#|$)/, "/$1");
    }
    return line + " Accessed " + today() + ".";
  }

  function copyByHand(text) {  // where navigator.clipboard is missing or refused (older browsers, some file:// pages)
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "copy-buffer";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    document.body.removeChild(area);
    return done;
  }

  function copy(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text).then(function () { return true; },
                                                      function () { return copyByHand(text); });
    }
    return Promise.resolve(copyByHand(text));
  }

  function enhance(details) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-cite";
    button.textContent = "Copy citation";
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      var text = citation(details);
      copy(text).then(function (done) {
        status.textContent = done ? "Copied, with today\u2019s date of access."
                                  : "Could not copy: select the citation above and copy it.";
        details.setAttribute("data-copied", done ? text : "");
      });
    });
    var p = document.createElement("p");
    p.className = "cite-actions";
    p.appendChild(button);
    p.appendChild(document.createTextNode(" "));
    p.appendChild(status);
    details.appendChild(p);
  }

  var all = document.querySelectorAll("details.cite-this");
  for (var i = 0; i < all.length; i++) enhance(all[i]);
})();
