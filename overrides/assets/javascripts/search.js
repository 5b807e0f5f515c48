/*
 * Search for the help center, in the page's language only.
 *
 * The index of the page's language (search/<lang>.json, written by hooks/search_index.py) is fetched
 * the first time the search box opens. Ranking, in order:
 *   1. how many of the query's words a page contains (a word typed without accents matches its
 *      accented forms, "hoa don" = "hóa đơn", "reactiver" = "réactiver"; a word that only shares a
 *      prefix counts less, so "hoa" ranks "hóa" above "hoạt");
 *   2. BM25-like weight of those words (title > heading > text), plus a bonus when the query's words
 *      stand next to each other in the page (Vietnamese syllables, multi-word phrases).
 * Thai: the index holds words separated by ZERO WIDTH SPACE; a Thai run typed without spaces is cut
 * into the index's words here (dynamic programming over the vocabulary).
 *
 * The only thing taken from Material is its markup and CSS classes (overrides/partials/search.html)
 * and the #__search checkbox that opens the dialog.
 */
(function () {
  "use strict";

  var WORD = /[\p{L}\p{N}\p{M}]+/gu;
  var MARKS = /[\u0300-\u036f]/g;
  var THAI = /[\u0E00-\u0E7F]/;
  var TITLE_BOOST = 3;
  var HEADING_BOOST = 2;
  var MIN_PREFIX = 3;
  var MAX_RESULTS = 10;

  /* Lower case, accents and tone marks removed, đ → d: the form used for matching. */
  function fold(word) {
    return word.toLowerCase().normalize("NFD").replace(MARKS, "")
      .replace(/đ/g, "d").replace(/œ/g, "oe").replace(/æ/g, "ae");
  }

  /* Letters without marks plus the sorted marks: equal for "hoá" and "hóa" (tone-mark placement),
     different for "thẻ" and "thể". */
  function accentKey(word) {
    var decomposed = word.toLowerCase().normalize("NFD");
    var marks = (decomposed.match(MARKS) || []).sort().join("");
    return decomposed.replace(MARKS, "") + "|" + marks;
  }

  function isAccented(word) {
    return fold(word) !== word.toLowerCase();
  }

  /* Words of a text with their offsets: [{w, s, e}] */
  function tokenize(text) {
    var out = [];
    for (var match of text.matchAll(WORD)) {
      out.push({ w: match[0].toLowerCase(), s: match.index, e: match.index + match[0].length });
    }
    return out;
  }

  /* Cut a Thai run into words of the vocabulary: fewest unknown characters, then fewest words.
     A trailing piece that starts a known word is kept (the reader is still typing). */
  function segmentThai(run, words, prefixes) {
    var n = run.length;
    var best = [{ unknown: 0, count: 0, prev: -1, known: true }];
    var maxLen = 30;
    for (var i = 1; i <= n; i++) {
      best[i] = null;
      for (var j = Math.max(0, i - maxLen); j < i; j++) {
        if (!best[j]) continue;
        var piece = run.slice(j, i);
        var known = words.has(piece) || (i === n && piece.length > 1 && prefixes.has(piece));
        if (!known && i - j !== 1) continue;
        var candidate = {
          unknown: best[j].unknown + (known ? 0 : 1),
          count: best[j].count + 1,
          prev: j,
          known: known,
        };
        var current = best[i];
        if (!current || candidate.unknown < current.unknown ||
            (candidate.unknown === current.unknown && candidate.count < current.count)) {
          best[i] = candidate;
        }
      }
    }
    var pieces = [];
    for (var end = n; end > 0; end = best[end].prev) {
      pieces.unshift({ text: run.slice(best[end].prev, end), known: best[end].known });
    }
    // Glue runs of unknown characters back together: one unknown word, not many letters.
    var out = [];
    pieces.forEach(function (piece) {
      var last = out[out.length - 1];
      if (!piece.known && last && !last.known) last.text += piece.text;
      else out.push({ text: piece.text, known: piece.known });
    });
    return out.map(function (piece) { return piece.text; });
  }

  /* The query's terms: [{raw, f (folded), k (accent key), accented}] without duplicates. */
  function parseQuery(query, thaiWords, thaiPrefixes) {
    var seen = new Set();
    var terms = [];
    tokenize(query.normalize("NFC")).forEach(function (token) {
      var pieces = THAI.test(token.w) && thaiWords
        ? segmentThai(token.w, thaiWords, thaiPrefixes) : [token.w];
      pieces.forEach(function (raw) {
        if (seen.has(raw)) return;
        seen.add(raw);
        terms.push({ raw: raw, f: fold(raw), k: accentKey(raw), accented: isAccented(raw) });
      });
    });
    return terms;
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* Build the in-memory index of one language from the JSON written by hooks/search_index.py. */
  function createEngine(data) {
    var vocabulary = [];         // id -> {raw, f, k}
    var ids = new Map();         // raw -> id
    var thaiWords = new Set();
    var thaiPrefixes = new Set();

    function idsOf(text) {
      return tokenize(text).map(function (token) {
        var id = ids.get(token.w);
        if (id === undefined) {
          id = vocabulary.length;
          ids.set(token.w, id);
          vocabulary.push({ raw: token.w, f: fold(token.w), k: accentKey(token.w), df: 0 });
          if (THAI.test(token.w)) {
            thaiWords.add(token.w);
            for (var i = 2; i < token.w.length; i++) thaiPrefixes.add(token.w.slice(0, i));
          }
        }
        return id;
      });
    }

    var pages = [];
    var sections = [];
    var totalLength = 0;
    data.pages.forEach(function (page) {
      var entry = { url: page.u, title: page.t, titleIds: idsOf(page.t), sections: [] };
      page.s.forEach(function (raw) {
        var section = {
          page: entry, anchor: raw[0], heading: raw[1], text: raw[2],
          headingIds: idsOf(raw[1]), textIds: idsOf(raw[2]),
        };
        new Set(section.headingIds.concat(section.textIds, entry.titleIds)).forEach(function (id) {
          vocabulary[id].df += 1;
        });
        totalLength += section.textIds.length;
        entry.sections.push(section);
        sections.push(section);
      });
      pages.push(entry);
    });
    var averageLength = Math.max(1, totalLength / Math.max(1, sections.length));

    /* For each term, the weight of every vocabulary word it matches. */
    function weightsFor(term) {
      var weights = new Map();
      vocabulary.forEach(function (word, id) {
        var weight = 0;
        if (word.f === term.f) {
          weight = !term.accented || word.k === term.k ? 1 : 0.7;
        } else if (plural(word.f, term.f) || plural(term.f, word.f)) {
          weight = 0.95;  // invoice / invoices, facture / factures: nearly the same word
        } else if (term.f.length >= MIN_PREFIX && word.f.startsWith(term.f)) {
          // A word that only starts with the term (still typing, or another word: "hoa" in "hoạt")
          // always counts less than the term itself.
          weight = Math.min(0.8, 0.3 + 0.5 * term.f.length / word.f.length);
        }
        if (weight > 0) weights.set(id, weight);
      });
      return weights;
    }

    function plural(longer, shorter) {
      return shorter.length >= MIN_PREFIX &&
        (longer === shorter + "s" || longer === shorter + "es" || longer === shorter + "x");
    }

    function saturate(x, length) {
      var k = 1.2, b = 0.75;
      return x * (k + 1) / (x + k * (1 - b + b * length / averageLength));
    }

    function fieldHits(idsList, weights) {
      var sum = 0, max = 0;
      for (var i = 0; i < idsList.length; i++) {
        var w = weights.get(idsList[i]);
        if (w) { sum += w; if (w > max) max = w; }
      }
      return { sum: sum, max: max };
    }

    function adjacency(idsList, all, idf) {
      var bonus = 0;
      for (var t = 0; t + 1 < all.length; t++) {
        var found = 0;
        for (var i = 0; i + 1 < idsList.length && found < 2; i++) {
          var a = all[t].get(idsList[i]), b = all[t + 1].get(idsList[i + 1]);
          if (a && b) { bonus += 0.5 * (idf[t] + idf[t + 1]) * Math.min(a, b); found += 1; }
        }
      }
      return bonus;
    }

    function search(query) {
      var terms = parseQuery(query, thaiWords, thaiPrefixes);
      if (!terms.length) return { terms: terms, results: [] };
      var all = terms.map(weightsFor);
      var N = sections.length;
      var idf = all.map(function (weights) {
        var df = 0;
        weights.forEach(function (w, id) { df = Math.max(df, vocabulary[id].df); });
        return Math.log(1 + (N - df + 0.5) / (df + 0.5));
      });
      var results = [];
      pages.forEach(function (page) {
        var coverage = terms.map(function () { return 0; });
        var titleScore = 0;
        var titleCovers = true;
        all.forEach(function (weights, t) {
          var hits = fieldHits(page.titleIds, weights);
          coverage[t] = hits.max;
          titleCovers = titleCovers && hits.max >= 0.9;
          titleScore += TITLE_BOOST * idf[t] * hits.max;
        });
        titleScore += TITLE_BOOST * adjacency(page.titleIds, all, idf);
        if (titleCovers) titleScore *= 2;  // the title holds the whole query: most likely the answer
        var scored = page.sections.map(function (section) {
          var score = 0;
          all.forEach(function (weights, t) {
            var heading = fieldHits(section.headingIds, weights);
            var text = fieldHits(section.textIds, weights);
            coverage[t] = Math.max(coverage[t], heading.max, text.max);
            score += idf[t] * (HEADING_BOOST * saturate(heading.sum, averageLength) +
                               saturate(text.sum, section.textIds.length));
          });
          score += HEADING_BOOST * adjacency(section.headingIds, all, idf) +
                   adjacency(section.textIds, all, idf);
          return { section: section, score: score };
        }).filter(function (item) { return item.score > 0; })
          .sort(function (a, b) { return b.score - a.score; });
        var covered = coverage.reduce(function (sum, w) { return sum + Math.min(1, w); }, 0);
        if (!covered) return;
        // Best section in full, each further one half as much as the one before: a long page that
        // mentions a word often does not outrun the page about it.
        var score = scored.reduce(function (sum, item, i) { return sum + item.score / Math.pow(2, i); },
                                  titleScore);
        results.push({ page: page, coverage: covered, score: score, sections: scored });
      });
      results.sort(function (a, b) {
        return (b.coverage - a.coverage) || (b.score - a.score);
      });
      // Words to highlight: the term's own forms; its prefix matches only if it has no own form.
      var marks = new Set();
      all.forEach(function (weights) {
        var strong = [];
        weights.forEach(function (w, id) { if (w >= 0.9) strong.push(id); });
        (strong.length ? strong : Array.from(weights.keys())).forEach(function (id) { marks.add(id); });
      });
      return { terms: terms, marks: marks, results: results.slice(0, MAX_RESULTS) };
    }

    /* HTML of ``text`` with the words of ``marks`` (ids, from search()) in <mark>; cut to about ``length`` characters around the
       first match when ``length`` is given. */
    function highlight(text, marks, length) {
      var matched = tokenize(text).filter(function (token) { return marks.has(ids.get(token.w)); });
      var start = 0, end = text.length;
      if (length && text.length > length) {
        var first = matched.length ? matched[0].s : 0;
        start = Math.max(0, first - Math.floor(length / 3));
        if (start > 0) { var space = text.indexOf(" ", start); if (space !== -1 && space < first) start = space + 1; }
        end = Math.min(text.length, start + length);
      }
      var html = start > 0 ? "… " : "";
      var cursor = start;
      matched.forEach(function (token) {
        if (token.s < start || token.e > end) return;
        html += escapeHtml(text.slice(cursor, token.s)) + "<mark>" + escapeHtml(text.slice(token.s, token.e)) + "</mark>";
        cursor = token.e;
      });
      html += escapeHtml(text.slice(cursor, end)) + (end < text.length ? " …" : "");
      return html;
    }

    return { search: search, highlight: highlight, pages: pages, vocabulary: vocabulary };
  }

  var api = {
    fold: fold, accentKey: accentKey, tokenize: tokenize, segmentThai: segmentThai,
    parseQuery: parseQuery, createEngine: createEngine,
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  if (typeof document === "undefined") return;

  /* ---------------------------------------------------------------- the search box */
  var dialog = document.querySelector("[data-kb-search]");
  var toggle = document.getElementById("__search");
  if (!dialog || !toggle) return;
  var input = dialog.querySelector(".md-search__input");
  var output = dialog.querySelector(".md-search-result");
  var meta = output.querySelector(".md-search-result__meta");
  var list = output.querySelector(".md-search-result__list");
  var form = dialog.querySelector("form");
  var engine = null;
  var loading = null;
  var timer = null;

  function load() {
    if (!loading) {
      loading = fetch(dialog.getAttribute("data-index"))
        .then(function (response) { return response.json(); })
        .then(function (data) { engine = createEngine(data); return engine; });
    }
    return loading;
  }

  function link(page, anchor) {
    var base = dialog.getAttribute("data-base") || ".";
    return new URL(base.replace(/\/$/, "") + "/" + page.url + (anchor ? "#" + anchor : ""), location.href).href;
  }

  function article(level, title, teaser) {
    return '<article class="md-search-result__article md-typeset">' +
      (level === 1 ? '<div class="md-search-result__icon md-icon"></div>' : "") +
      "<h" + level + ">" + title + "</h" + level + ">" + (teaser ? "<p>" + teaser + "</p>" : "") +
      "</article>";
  }

  function count(n) {
    if (!n) return dialog.getAttribute("data-none");
    if (n === 1) return dialog.getAttribute("data-one");
    return dialog.getAttribute("data-other").replace("#", n);
  }

  function render(query, found) {
    var marks = found.marks || new Set();
    list.innerHTML = found.results.map(function (result) {
      var best = result.sections[0];
      var teaser = best ? engine.highlight(best.section.text, marks, 160) : "";
      var html = '<li class="md-search-result__item"><a href="' + link(result.page) +
        '" class="md-search-result__link">' +
        article(1, engine.highlight(result.page.title, marks), teaser) + "</a>";
      result.sections.slice(0, 3).forEach(function (item) {
        if (!item.section.heading) return;
        html += '<a href="' + link(result.page, item.section.anchor) + '" class="md-search-result__link">' +
          article(2, engine.highlight(item.section.heading, marks),
                  engine.highlight(item.section.text, marks, 120)) + "</a>";
      });
      return html + "</li>";
    }).join("");
    meta.textContent = count(found.results.length);
    output.setAttribute("data-query", query);
  }

  function run() {
    var query = input.value;
    if (!query.trim()) {
      list.innerHTML = "";
      meta.textContent = dialog.getAttribute("data-placeholder");
      output.setAttribute("data-query", query);
      return;
    }
    load().then(function () {
      if (input.value === query) render(query, engine.search(query));
    });
  }

  function open() {
    if (!toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    load();
  }

  input.addEventListener("focus", open);
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 60);
  });
  toggle.addEventListener("change", function () {
    if (toggle.checked) { load(); if (document.activeElement !== input) input.focus(); }
    else input.blur();
  });
  form.addEventListener("reset", function () { setTimeout(function () { run(); input.focus(); }); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var first = list.querySelector("a");
      if (first) location.href = first.href;
    } else if (event.key === "ArrowDown") {
      var target = list.querySelector("a");
      if (target) { event.preventDefault(); target.focus(); }
    }
  });
  // Material's shortcuts for its own search: "/", "s" or "f" anywhere outside a text field.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    if (event.key === "/" || event.key === "s" || event.key === "f") {
      event.preventDefault();
      input.focus();
    }
  });
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
  });
})();
