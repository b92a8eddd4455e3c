/* sourcebook search: the box in every page's header.
 *
 * The index (static/search/, written by sourcebook/outputs/search.py) is a set of classic
 * scripts, each handing one JSON value to `self.sourcebookSearch.push`: scripts load from
 * file:// as well as over HTTP, where fetch() would be refused. They are loaded when the
 * reader first uses the box (focus, typing, or "/"), never with the page.
 *
 * Text is normalised one character at a time exactly as the build does (apostrophes dropped,
 * NFKD, lower case, marks dropped, traditional Chinese folded to simplified, anything but a
 * letter or digit a space). The postings give candidates (a word's first three characters,
 * Chinese characters and pairs); every candidate is then checked against its stored text,
 * since a prefix or two pairs also match where the query does not.
 *
 * Everything shown is built with text nodes (textContent, createElement), never innerHTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var box = document.getElementById("search");
  var input = box && box.querySelector("input[role=combobox]");
  var list = box && document.getElementById(input.getAttribute("aria-controls"));
  var status = box && box.querySelector("[role=status]");
  if (!script || !input || !list || !status) return;

  var INDEX = new URL("search/", script.src);      // static/search/
  var ROOT = new URL("../", script.src);           // the site's root: static/..
  var OPTION = input.getAttribute("data-option");  // option ids: OPTION_1, OPTION_2, ... (anchors.structural)
  var SHOWN = 20;            // results listed
  var CHECKED = 5000;        // candidates checked against their text, at most, per query
  var SNIPPET = 160;         // characters of text around the first match
  var FORMAT = 1;
  // A company's names outrank what its dossier says, which outranks the titles of its sources.
  var WEIGHTS = {"name": 100, "native name": 90, "alias": 80, "legal name": 70, "party": 12, "text": 10,
                 "title": 7, "publisher": 5, "id": 4};
  var SHOWN_FIELDS = {"text": 1, "party": 1, "title": 1, "publisher": 1};
  var CJK = /[\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{323af}]/u;
  var CJK_RUNS = /[\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{323af}]+/gu;
  var LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
  var MARK = /\p{M}/u;
  var APOSTROPHES = "'\u2019\u02bc";
  var BASE = 28;
  var DIGIT = new Int8Array(128).fill(-1);  // a postings character -> its digit (outputs/search.py _DIGITS)
  for (var c = 0x21, d = 0; c < 0x7f; c++) if ('"\\<>&'.indexOf(String.fromCharCode(c)) < 0) DIGIT[c] = d++;

  var state = "idle";        // idle, loading, ready, failed
  var manifest = null;
  var parts = [];
  var fold = new Map();
  var normal = new Map();    // a character -> its normalised form (filled once the fold table is complete)
  var results = [];
  var active = -1;
  var timer = 0;

  // --- normalising (the same as outputs/search.py Normaliser) --------------------------------

  function normalChar(ch) {
    var v = normal.get(ch);
    if (v !== undefined) return v;
    v = "";
    if (APOSTROPHES.indexOf(ch) < 0) {
      for (var d of ch.normalize("NFKD")) {
        for (var l of d.toLowerCase()) {
          if (MARK.test(l)) continue;
          v += LETTER_OR_DIGIT.test(l) ? (fold.get(l) || l) : " ";
        }
      }
    }
    normal.set(ch, v);
    return v;
  }

  function classOf(c) {
    return c === " " ? 0 : CJK.test(c) ? 2 : 1;
  }

  // A text as search compares it: words and Chinese runs, one space between; with `map`, also
  // where each character of the form came from in the text (UTF-16 offsets), for highlighting.
  function formOf(text, map) {
    var out = "", last = 0, starts = map ? [] : null, ends = map ? [] : null, i = 0;
    for (var ch of text) {
      for (var c of normalChar(ch)) {
        var k = classOf(c);
        if (k === 0) { last = 0; continue; }
        if (out && k !== last) {
          out += " ";
          if (map) { starts.push(i); ends.push(i); }
        }
        out += c;
        if (map) for (var u = 0; u < c.length; u++) { starts.push(i); ends.push(i + ch.length); }
        last = k;
      }
      i += ch.length;
    }
    return map ? {form: out, starts: starts, ends: ends} : out;
  }

  window.sourcebookNormalise = formOf;  // for the tests, which compare it with the build's

  // --- loading the index ---------------------------------------------------------------------

  function load() {
    if (state !== "idle") return;
    state = "loading";
    show("Loading the search index…");
    self.sourcebookSearch = {push: receive};
    add("index.js");
  }

  function add(name) {
    var s = document.createElement("script");
    s.src = new URL(name, INDEX).href;
    s.onerror = function () { fail("The search index could not be loaded."); };
    document.head.appendChild(s);
  }

  function fail(message) {
    state = "failed";
    show(message);
  }

  function receive(data) {
    if (state !== "loading") return;
    if (!data || data.format !== FORMAT) return fail("The search index was written by another version of sourcebook.");
    if (data.parts) {
      manifest = data;
      data.parts.forEach(function (name) { add(name + ".js"); });
      if (!data.parts.length) ready();
      return;
    }
    var order = manifest.parts.indexOf(data.part);
    if (order < 0 || parts.some(function (p) { return p.order === order; })) return;
    parts.push(prepare(data, order));
    if (parts.length === manifest.parts.length) ready();
  }

  function ready() {
    parts.sort(function (a, b) { return a.order - b.order; });
    normal.clear();
    state = "ready";
    run();
  }

  function prepare(data, order) {
    var codes = Array.from(data.fold);
    for (var i = 0; i + 1 < codes.length; i += 2) fold.set(codes[i], codes[i + 1]);
    var keys = [], key = [];
    for (var ch of data.keys) {
      var shared = "!#$".indexOf(ch);
      if (shared >= 0) {
        if (keys.length || key.length) keys.push(key.join(""));
        key = key.slice(0, shared);
      } else key.push(ch);
    }
    if (data.keys) keys.push(key.join(""));
    var lists = [], docs = [], value = 0, previous = -1, s = data.postings;
    for (var j = 0; j < s.length; j++) {
      var digit = DIGIT[s.charCodeAt(j)];
      if (digit < BASE) { value = value * BASE + digit; continue; }
      previous += value * BASE + digit % BASE + 1;
      docs.push(previous);
      value = 0;
      if (digit >= 2 * BASE) { lists.push(docs); docs = []; previous = -1; }
    }
    return {order: order, title: data.title, head: data.head, base: data.base, labels: data.labels,
            docs: data.docs.map(function (row, n) { return {row: row, n: n, forms: null}; }),
            keys: keys, lists: lists};
  }

  // --- querying ------------------------------------------------------------------------------

  function parse(query) {
    var phrases = [];
    query.replace(/"([^"]*)"?/g, function (m, inside) {
      var f = formOf(inside);
      if (f) phrases.push(f);
      return m;
    });
    var whole = formOf(query);
    var terms = whole ? whole.split(" ").map(function (t) { return {text: t, cjk: CJK.test(t)}; }) : [];
    return {whole: whole, terms: terms, phrases: phrases};
  }

  function lowerBound(keys, key) {
    var lo = 0, hi = keys.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (keys[mid] < key) lo = mid + 1; else hi = mid; }
    return lo;
  }

  function listFor(part, key) {
    var at = lowerBound(part.keys, key);
    return part.keys[at] === key ? part.lists[at] : [];
  }

  // The docs of a part that may hold a term: sorted doc numbers.
  function candidates(part, term) {
    var cps = Array.from(term.text);
    if (term.cjk) {
      if (cps.length === 1) return listFor(part, cps[0]);
      var found = null;
      for (var i = 0; i + 1 < cps.length && (!found || found.length); i++) {
        found = found ? intersect(found, listFor(part, cps[i] + cps[i + 1])) : listFor(part, cps[i] + cps[i + 1]);
      }
      return found;
    }
    if (cps.length >= manifest.key) return listFor(part, cps.slice(0, manifest.key).join(""));
    var seen = new Set();
    for (var at = lowerBound(part.keys, term.text); at < part.keys.length && part.keys[at].startsWith(term.text); at++) {
      part.lists[at].forEach(function (n) { seen.add(n); });
    }
    return Array.from(seen).sort(function (a, b) { return a - b; });
  }

  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
    }
    return out;
  }

  function forms(part, doc) {
    if (!doc.forms) {
      doc.forms = [];
      for (var i = 2; i < doc.row.length; i += 2) {
        doc.forms.push({field: manifest.fields[doc.row[i]], text: doc.row[i + 1], form: formOf(doc.row[i + 1])});
      }
    }
    return doc.forms;
  }

  // How well one field holds a term: 1 a whole word (or Chinese text), 0.7 the start of a word, 0 not at all.
  function holds(form, term) {
    if (term.cjk) return form.indexOf(term.text) >= 0 ? 1 : 0;
    var spaced = " " + form + " ";
    if (spaced.indexOf(" " + term.text + " ") >= 0) return 1;
    return spaced.indexOf(" " + term.text) >= 0 ? 0.7 : 0;
  }

  function contains(form, phrase) {
    return CJK.test(phrase[0]) ? form.indexOf(phrase) >= 0 : (" " + form).indexOf(" " + phrase) >= 0;
  }

  // A doc's score for the query, or 0 where its text does not hold every term.
  function score(part, doc, query, context) {
    var fields = forms(part, doc), total = 0, own = false, best = null, id = null;
    for (var t = 0; t < query.terms.length; t++) {
      var top = 0, where = null;
      for (var f = 0; f < fields.length; f++) {
        var s = holds(fields[f].form, query.terms[t]) * WEIGHTS[fields[f].field];
        if (s > top) { top = s; where = fields[f]; }
      }
      if (top) {
        own = true;
        total += top;
        if (where.field === "id") id = id || where;
        else if (!best || WEIGHTS[where.field] > WEIGHTS[best.field]) best = where;
      } else if (context && context[t]) total += 1;
      else return null;
    }
    if (!own) return null;
    for (var p = 0; p < query.phrases.length; p++) {
      if (!fields.some(function (x) { return contains(x.form, query.phrases[p]); })) return null;
    }
    fields.forEach(function (x) {
      var w = WEIGHTS[x.field];
      if (x.form === query.whole) total += 3 * w;
      else if (x.form.startsWith(query.whole)) total += w;
      if (query.terms.length > 1 && contains(x.form, query.whole)) total += 2 * w;
    });
    return {part: part, doc: doc, score: total, head: part.head && doc.n === 0, field: best, id: id};
  }

  function search(query) {
    var found = [], checked = 0, truncated = false;
    for (var p = 0; p < parts.length && !truncated; p++) {
      var part = parts[p], head = part.head ? part.docs[0] : null, context = null;
      // "huawei 5g": terms the company's names hold need not be in its statements, as long as the
      // query says more than the name (every other term must be).
      if (head) {
        context = query.terms.map(function (term) {
          return forms(part, head).some(function (x) { return x.field !== "id" && holds(x.form, term); });
        });
        if (context.every(Boolean)) context = null;
      }
      var lists = query.terms.map(function (term) { return candidates(part, term); });
      var numbers = lists.filter(function (l, t) { return !(context && context[t]); }).reduce(intersect);
      for (var i = 0; i < numbers.length; i++) {
        if (++checked > CHECKED) { truncated = true; break; }
        var doc = part.docs[numbers[i]];
        var hit = score(part, doc, query, doc.n === 0 ? null : context);
        if (hit) found.push(hit);
      }
    }
    found.sort(function (a, b) {
      return (b.head - a.head) || (b.score - a.score) || (a.part.order - b.part.order) || (a.doc.n - b.doc.n);
    });
    return {hits: found, truncated: truncated};
  }

  // --- showing results -----------------------------------------------------------------------

  function run() {
    clearTimeout(timer);
    timer = 0;
    var raw = input.value;
    if (state === "failed") return;
    if (!formOf(raw)) { close(); return; }
    if (state !== "ready") { load(); return; }
    var query = parse(raw);
    if (query.terms.length === 1 && !query.terms[0].cjk && Array.from(query.terms[0].text).length < 2) {
      close();  // one letter or digit starts too many words to be worth listing (one Chinese character does not)
      show("Type at least two letters.");
      return;
    }
    render(search(query), query, raw.trim());
  }

  function render(outcome, query, raw) {
    box.setAttribute("data-query", input.value);  // which query the list shows (tests wait for it)
    results = outcome.hits.slice(0, SHOWN);
    active = -1;
    list.textContent = "";
    results.forEach(function (hit, i) { list.appendChild(option(hit, i, query)); });
    list.hidden = !results.length;
    input.setAttribute("aria-expanded", results.length ? "true" : "false");
    input.removeAttribute("aria-activedescendant");
    box.classList.add("open");
    var n = outcome.hits.length;
    if (!n) show("No results for “" + raw + "”.");
    else if (outcome.truncated) show("Many results: the best " + results.length + " of the first " + CHECKED.toLocaleString("en") + " checked. Add words to narrow the search.");
    else if (n > SHOWN) show(n + " results; the best " + SHOWN + " are shown.");
    else show(n === 1 ? "1 result." : n + " results.");
  }

  function option(hit, i, query) {
    var part = hit.part, row = hit.doc.row;
    var a = document.createElement("a");
    a.id = OPTION + "_" + (i + 1);
    a.className = "search-result";
    a.setAttribute("role", "option");
    a.setAttribute("aria-selected", "false");
    a.tabIndex = -1;
    var href = new URL(part.base + row[1], ROOT);
    // Read from disk, a folder is a directory listing: open its index.html (a hosted build's links name folders).
    if (href.protocol === "file:" && href.pathname.endsWith("/")) href.pathname += "index.html";
    a.href = href.href;
    var where = document.createElement("span");
    where.className = "search-where";
    var company = document.createElement("span");
    company.className = "search-company";
    appendText(company, part.title, []);
    where.appendChild(company);
    where.appendChild(document.createTextNode(" · " + part.labels[row[0]] + (hit.id ? " · #" + hit.id.text : "")));
    a.appendChild(where);
    var text = snippetText(hit, part);
    if (text) {
      var snippet = document.createElement("span");
      snippet.className = "search-snippet";
      var cut = excerpt(text, ranges(text, query));
      appendText(snippet, cut.text, cut.ranges);
      a.appendChild(snippet);
    }
    return a;
  }

  function snippetText(hit, part) {
    var fields = forms(part, hit.doc);
    if (hit.head) return fields.map(function (x) { return x.text; }).join(" · ");
    if (hit.field && SHOWN_FIELDS[hit.field.field]) return hit.field.text;
    var shown = fields.filter(function (x) { return SHOWN_FIELDS[x.field]; });
    return shown.length ? shown[0].text : "";
  }

  // Where the query's terms are in a text: [start, end) ranges of UTF-16 offsets, merged.
  function ranges(text, query) {
    var mapped = formOf(text, true), form = mapped.form, spaced = " " + form, out = [];
    query.terms.forEach(function (term) {
      // In " " + form, " term" found at i means the term starts at form[i].
      var needle = term.cjk ? term.text : " " + term.text, hay = term.cjk ? form : spaced;
      for (var at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
        out.push([mapped.starts[at], mapped.ends[at + term.text.length - 1]]);
      }
    });
    out.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var merged = [];
    out.forEach(function (r) {
      if (merged.length && r[0] <= merged[merged.length - 1][1]) {
        merged[merged.length - 1][1] = Math.max(merged[merged.length - 1][1], r[1]);
      } else merged.push(r.slice());
    });
    return merged;
  }

  // At most SNIPPET characters of text around its first match, cut at spaces where one is near.
  function excerpt(text, marks) {
    if (text.length <= SNIPPET) return {text: text, ranges: marks};
    var first = marks.length ? marks[0][0] : 0;
    var start = Math.max(0, Math.min(first - 40, text.length - SNIPPET + 1));
    if (start > 0) {
      var space = text.lastIndexOf(" ", start + 15);
      start = space > start - 15 && space < first ? space + 1 : start;
    }
    var end = Math.min(text.length, start + SNIPPET - 2);
    if (end < text.length) {
      var back = text.lastIndexOf(" ", end);
      if (back > start + SNIPPET / 2) end = back;
    }
    var head = start > 0 ? "…" : "", tail = end < text.length ? "…" : "";
    var shift = start - head.length;
    return {text: head + text.slice(start, end) + tail,
            ranges: marks.filter(function (r) { return r[0] < end && r[1] > start; }).map(function (r) {
              return [Math.max(r[0], start) - shift, Math.min(r[1], end) - shift];
            })};
  }

  // Text with its matches in <mark> and its Chinese in lang="zh", as text nodes.
  function appendText(parent, text, marks) {
    var at = 0;
    marks.forEach(function (r) {
      appendPlain(parent, text.slice(at, r[0]));
      var mark = document.createElement("mark");
      appendPlain(mark, text.slice(r[0], r[1]));
      parent.appendChild(mark);
      at = r[1];
    });
    appendPlain(parent, text.slice(at));
  }

  function appendPlain(parent, text) {
    var at = 0, m;
    CJK_RUNS.lastIndex = 0;
    while ((m = CJK_RUNS.exec(text))) {
      if (m.index > at) parent.appendChild(document.createTextNode(text.slice(at, m.index)));
      var span = document.createElement("span");
      span.lang = "zh";
      span.textContent = m[0];
      parent.appendChild(span);
      at = m.index + m[0].length;
    }
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
  }

  function show(message) {
    status.textContent = message;
    box.classList.toggle("open", !!message || !list.hidden);
  }

  function close() {
    clearTimeout(timer);  // a search still waiting to run would open the list again
    timer = 0;
    box.removeAttribute("data-query");
    results = [];
    active = -1;
    list.textContent = "";
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    status.textContent = "";
    box.classList.remove("open");
  }

  function move(by) {
    if (!results.length) return;
    var options = list.querySelectorAll("[role=option]");
    if (active >= 0) options[active].setAttribute("aria-selected", "false");
    active = active < 0 ? (by > 0 ? 0 : options.length - 1) : (active + by + options.length) % options.length;
    var chosen = options[active];
    chosen.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", chosen.id);
    chosen.scrollIntoView({block: "nearest"});
  }

  function open(i) {
    var options = list.querySelectorAll("[role=option]");
    if (!options.length) return;
    var href = options[i < 0 ? 0 : i].href;
    close();
    window.location.href = href;
  }

  // --- wiring --------------------------------------------------------------------------------

  box.hidden = false;
  input.addEventListener("focus", load);
  input.addEventListener("input", function () {
    load();
    clearTimeout(timer);
    timer = setTimeout(run, 60);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (list.hidden && formOf(input.value)) run();
      move(e.key === "ArrowDown" ? 1 : -1);
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (state === "ready" && timer) run();
      open(active);
    } else if (e.key === "Escape") {
      if (box.classList.contains("open")) close();
      else input.value = "";
    }
  });
  list.addEventListener("mousedown", function (e) { e.preventDefault(); });  // keep focus in the box
  box.addEventListener("focusout", function (e) {
    if (!box.contains(e.relatedTarget)) close();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    e.preventDefault();
    input.focus();
  });
})();
