/*
 * Search for the help center, in the page's language only.
 *
 * search/<lang>.json (written by hooks/search_index.py) is fetched the first time the search box
 * opens; it names the pieces of that language's index. A query fetches, for each of its words, the
 * piece of index words starting with the same two letters, chooses from their page lists the pages
 * that hold most of the query, fetches those pages and ranks them. Ranking, in order:
 *   1. how much of the query a page holds (a word typed without accents matches its accented forms,
 *      "hoa don" = "hóa đơn", "reactiver" = "réactiver"; plural and Snowball stem count as the word
 *      itself; a word that only shares a prefix, or is one typo away, counts less, so "hoa" ranks
 *      "hóa" above "hoạt");
 *   2. BM25-like weight of those words (title > heading > text), plus a bonus when the query's words
 *      stand next to each other in the page (Vietnamese syllables, multi-word phrases).
 * Thai: the index holds words separated by ZERO WIDTH SPACE; a Thai run typed without spaces is cut
 * into the index's words here (dynamic programming over the Thai vocabulary, one more piece).
 *
 * The only thing taken from Material is its markup and CSS classes (overrides/partials/search.html)
 * and the #__search checkbox that opens the dialog.
 */
(function () {
  "use strict";

  var WORD = /[\p{L}\p{N}\p{M}]+/gu;
  var MARKS = /[\u0300-\u036f]/g;
  var NOTHING_TO_FOLD = /^[\u0000-\u007f\u0E00-\u0E7F]*$/;  // ASCII and Thai: no accents, no đ
  var THAI = /[\u0E00-\u0E7F]/;
  var TITLE_BOOST = 3;
  var HEADING_BOOST = 2;
  var MIN_PREFIX = 3;
  var MAX_RESULTS = 10;
  var DOCS_PER_QUERY = 10;     // pages fetched and ranked exactly per query
  // Weight of a word matched by a term: its own form 1, the term's other accents, plural, stem...
  var ACCENT_WEIGHT = 0.7, PLURAL_WEIGHT = 0.95, STEM_WEIGHT = 0.9, TYPO_WEIGHT = 0.6;
  var STRONG = 0.9;            // at or above: the term's own family, counted as holding the term
  var TYPO_MIN_LENGTH = 5;     // one typo forgiven in words of 5 letters or more
  // Keys closer together than this are one burst (fast typing, an input method, a paste): the pages of
  // the words typed so far are fetched once the burst ends, not for every key of it. A key after a
  // longer pause searches at once, pages included.
  var BURST_MS = 50;

  /* Lower case, accents and tone marks removed, đ → d: the form used for matching. */
  function fold(word) {
    if (NOTHING_TO_FOLD.test(word)) return word.toLowerCase();
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

  /* The piece of the index that holds every word a term can match: the first two letters of its folded
     form (shard_key in hooks/search_index.py). */
  function shardKey(folded) {
    return Array.from(folded).slice(0, 2).join("");
  }

  function shardFile(key) {
    return Array.from(key).map(function (c) {
      return /^[a-z0-9]$/.test(c) ? c : "-" + c.codePointAt(0).toString(16) + "-";
    }).join("") + ".json";
  }

  /* True when a and b differ by exactly one edit: a letter added, removed or replaced, or two
     neighbours swapped. Hand-written: the engine only asks "one edit or not" of a few hundred words
     per piece, which these few lines answer without computing full edit distances. */
  function oneEditApart(a, b) {
    if (a === b || Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (a.length === b.length) {
      return a.slice(i + 1) === b.slice(i + 1) ||
        (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  function plural(longer, shorter) {
    return shorter.length >= MIN_PREFIX &&
      (longer === shorter + "s" || longer === shorter + "es" || longer === shorter + "x");
  }

  /* The accent key of an index word, worked out the first time a term needs it. */
  function keyOf(entry) {
    if (entry.k === undefined) entry.k = accentKey(entry.raw);
    return entry.k;
  }

  /* For one term, the weight of every word of its piece that it matches (raw word -> weight).
     Stems come from the build (Snowball): a term that the index holds, or its plural, brings every
     word of its stem ("remboursement" -> "rembourser"); a term of 5 letters or more with no match of its own takes the
     words one edit away and their stems ("remboursment" -> "remboursement", "rimborzo" -> "rimborso"),
     as long as the edit is not in the first two letters, which choose the piece. */
  function weightsFor(term, entries) {
    var weights = new Map();
    function give(entry, weight) {
      if (weight > (weights.get(entry.raw) || 0)) weights.set(entry.raw, weight);
    }
    function giveStems(stems, weight) {
      if (!stems.size) return;
      entries.forEach(function (entry) { if (stems.has(entry.stem)) give(entry, weight); });
    }
    var own = new Set();
    entries.forEach(function (entry) {
      if (entry.f === term.f) {
        give(entry, !term.accented || keyOf(entry) === term.k ? 1 : ACCENT_WEIGHT);
        if (entry.stem) own.add(entry.stem);
      } else if (plural(entry.f, term.f) || plural(term.f, entry.f)) {
        give(entry, PLURAL_WEIGHT);  // invoice / invoices, facture / factures: nearly the same word
        if (entry.stem) own.add(entry.stem);
      } else if (term.f.length >= MIN_PREFIX && entry.f.startsWith(term.f)) {
        // A word that only starts with the term (still typing, or another word: "hoa" in "hoạt")
        // always counts less than the term itself.
        give(entry, Math.min(0.8, 0.3 + 0.5 * term.f.length / entry.f.length));
      }
    });
    giveStems(own, STEM_WEIGHT);
    var matched = false;
    weights.forEach(function (weight) { matched = matched || weight >= STRONG; });
    if (!matched && term.f.length >= TYPO_MIN_LENGTH && !THAI.test(term.f)) {
      var typoStems = new Set();
      entries.forEach(function (entry) {
        if (entry.f.length >= TYPO_MIN_LENGTH && oneEditApart(entry.f, term.f)) {
          give(entry, TYPO_WEIGHT);
          if (entry.stem) typoStems.add(entry.stem);
        }
      });
      giveStems(typoStems, TYPO_WEIGHT * STEM_WEIGHT);
    }
    return weights;
  }

  /* How much of the query a page holds: a word of the term's own family (its forms, plural, stem)
     counts in full, a prefix or typo match in part. */
  function coverageOf(weights) {
    return weights.reduce(function (sum, w) { return sum + (w >= STRONG ? 1 : w); }, 0);
  }

  /* The words of a text, lower case, without offsets (tokenize() for highlighting keeps them). */
  function tokenWords(text) {
    return text.toLowerCase().match(WORD) || [];
  }

  /* The search engine of one language over the pieces written by hooks/search_index.py.
     ``entry`` is search/<lang>.json; ``load(path)`` returns (a promise of) the JSON of a piece under
     its folder. A query fetches the piece of each of its terms, picks the pages that hold the most of
     the query (at most DOCS_PER_QUERY), fetches those pages and ranks them exactly. */
  function createEngine(entry, load) {
    var pieces = new Map();      // shard key -> promise of [{raw, f, k, stem, df, postings}]
    var pageCache = new Map();   // page number -> promise of a prepared page
    var fileCache = new Map();   // p/ file number -> promise of its pages
    var wordsOf = new Map();     // raw word -> its entry, over every piece loaded so far
    var thaiCache = new Map();   // "words" -> promise of {words, prefixes} once a Thai run is typed
    var weightCache = new Map(); // raw term -> its weightsFor() over its piece
    var N = entry.sections;
    var averageLength = Math.max(1, entry.mean_length);
    var keys = new Set(entry.keys);

    function fetchPiece(path) { return Promise.resolve(load(entry.base + path)); }

    /* The cached promise of ``key`` in ``cache``, made once; forgotten if it fails (a lost request
       is asked again by the next query). */
    function remember(cache, key, make) {
      if (!cache.has(key)) {
        cache.set(key, make().catch(function (error) { cache.delete(key); throw error; }));
      }
      return cache.get(key);
    }

    function piece(key) {
      if (!keys.has(key)) return Promise.resolve([]);
      return remember(pieces, key, function () {
        return fetchPiece("t/" + shardFile(key)).then(function (rows) {
          return rows.map(function (row) {
            var word = { raw: row[0], f: fold(row[0]), k: undefined, df: row[1],
                         postings: row[2], stem: row[3] || "" };
            wordsOf.set(word.raw, word);
            return word;
          });
        });
      });
    }

    function page(number) {
      var perFile = entry.pages_per_file || 1;
      var file = Math.floor(number / perFile);
      return remember(pageCache, number, function () {
        return remember(fileCache, file, function () { return fetchPiece("p/" + file + ".json"); })
          .then(function (list) {
            var data = list[number % perFile];
            var prepared = { url: data.u, title: data.t, titleWords: tokenWords(data.t), sections: [] };
            data.s.forEach(function (raw) {
              prepared.sections.push({ page: prepared, anchor: raw[0], heading: raw[1], text: raw[2],
                                       headingWords: tokenWords(raw[1]), textWords: tokenWords(raw[2]) });
            });
            return prepared;
          });
      });
    }

    function thaiVocabulary(query) {
      if (!entry.thai_words || !THAI.test(query)) return Promise.resolve(null);
      return remember(thaiCache, "words", function () {
        return fetchPiece("words.json").then(function (sorted) {
          // Whether a piece starts a longer word: a binary search in the sorted list, rather than a
          // set of every prefix (which takes a long task to build for a large site).
          var prefixes = { has: function (piece) {
            var low = 0, high = sorted.length;
            while (low < high) {
              var middle = (low + high) >> 1;
              if (sorted[middle] < piece) low = middle + 1; else high = middle;
            }
            if (sorted[low] === piece) low += 1;
            return low < sorted.length && sorted[low].length > piece.length && sorted[low].startsWith(piece);
          } };
          return { words: new Set(sorted), prefixes: prefixes };
        });
      });
    }

    function termsOf(query) {
      return thaiVocabulary(query).then(function (vocabulary) {
        return parseQuery(query, vocabulary && vocabulary.words, vocabulary && vocabulary.prefixes);
      });
    }

    /* A term's matches in its piece, worked out once per term while the reader types on. */
    function termWeights(term, entries) {
      if (!weightCache.has(term.raw)) weightCache.set(term.raw, weightsFor(term, entries));
      return weightCache.get(term.raw);
    }

    /* The page numbers worth fetching: most of the query first, then a field-weighted estimate. */
    function candidates(all, idf) {
      var byPage = new Map();
      all.forEach(function (weights, t) {
        weights.forEach(function (weight, raw) {
          var postings = wordsOf.get(raw).postings;
          for (var i = 0, number = 0; i < postings.length; i += 2) {
            number += postings[i];
            var hold = byPage.get(number);
            if (!hold) {
              hold = { number: number, cover: all.map(function () { return 0; }),
                       estimate: all.map(function () { return 0; }) };
              byPage.set(number, hold);
            }
            hold.cover[t] = Math.max(hold.cover[t], weight);
            hold.estimate[t] = Math.max(hold.estimate[t], weight * Math.log(1 + postings[i + 1]));
          }
        });
      });
      return Array.from(byPage.values()).map(function (hold) {
        var estimate = hold.estimate.reduce(function (sum, e, t) { return sum + idf[t] * e; }, 0);
        return { number: hold.number, coverage: coverageOf(hold.cover), estimate: estimate };
      }).sort(function (a, b) {
        return (b.coverage - a.coverage) || (b.estimate - a.estimate) || (a.number - b.number);
      }).slice(0, DOCS_PER_QUERY).map(function (hold) { return hold.number; });
    }

    function saturate(x, length) {
      var k = 1.2, b = 0.75;
      return x * (k + 1) / (x + k * (1 - b + b * length / averageLength));
    }

    function fieldHits(list, weights) {
      var sum = 0, max = 0;
      for (var i = 0; i < list.length; i++) {
        var w = weights.get(list[i]);
        if (w) { sum += w; if (w > max) max = w; }
      }
      return { sum: sum, max: max };
    }

    function adjacency(list, all, idf) {
      var bonus = 0;
      for (var t = 0; t + 1 < all.length; t++) {
        var found = 0;
        for (var i = 0; i + 1 < list.length && found < 2; i++) {
          var a = all[t].get(list[i]), b = all[t + 1].get(list[i + 1]);
          if (a && b) { bonus += 0.5 * (idf[t] + idf[t + 1]) * Math.min(a, b); found += 1; }
        }
      }
      return bonus;
    }

    /* Ranking of the fetched pages, in order:
       1. how much of the query a page holds (coverageOf);
       2. BM25-like weight of the matched words (title > heading > text), plus a bonus when the
          query's words stand next to each other (Vietnamese syllables, multi-word phrases). */
    function rank(terms, all, idf, pages) {
      var results = [];
      pages.forEach(function (page) {
        var coverage = terms.map(function () { return 0; });
        var titleScore = 0;
        var titleCovers = true;
        all.forEach(function (weights, t) {
          var hits = fieldHits(page.titleWords, weights);
          coverage[t] = hits.max;
          titleCovers = titleCovers && hits.max >= STRONG;
          titleScore += TITLE_BOOST * idf[t] * hits.max;
        });
        titleScore += TITLE_BOOST * adjacency(page.titleWords, all, idf);
        if (titleCovers) titleScore *= 2;  // the title holds the whole query: most likely the answer
        var scored = page.sections.map(function (section) {
          var score = 0;
          all.forEach(function (weights, t) {
            var heading = fieldHits(section.headingWords, weights);
            var text = fieldHits(section.textWords, weights);
            coverage[t] = Math.max(coverage[t], heading.max, text.max);
            score += idf[t] * (HEADING_BOOST * saturate(heading.sum, averageLength) +
                               saturate(text.sum, section.textWords.length));
          });
          score += HEADING_BOOST * adjacency(section.headingWords, all, idf) +
                   adjacency(section.textWords, all, idf);
          return { section: section, score: score };
        }).filter(function (item) { return item.score > 0; })
          .sort(function (a, b) { return b.score - a.score; });
        var covered = coverageOf(coverage);
        if (!covered) return;
        // Best section in full, each further one half as much as the one before: a long page that
        // mentions a word often does not outrun the page about it.
        var score = scored.reduce(function (sum, item, i) { return sum + item.score / Math.pow(2, i); },
                                  titleScore);
        results.push({ page: page, coverage: covered, score: score, sections: scored });
      });
      return results.sort(function (a, b) {
        return (b.coverage - a.coverage) || (b.score - a.score);
      }).slice(0, MAX_RESULTS);
    }

    /* A promise of {terms, marks (raw words to highlight), results}, or of null when ``isCurrent``
       (optional) says, before pages are fetched or ranked, that the reader has typed on meanwhile.
       ``settled`` (optional) returns a promise that the search waits for before fetching pages it does
       not hold yet: the reader's burst of keys is over. */
    function search(query, isCurrent, settled) {
      function current() { return !isCurrent || isCurrent(); }
      return termsOf(query).then(function (terms) {
        if (!terms.length) return { terms: terms, marks: new Set(), results: [] };
        return Promise.all(terms.map(function (term) { return piece(shardKey(term.f)); }))
          .then(function (lists) {
            if (!current()) return null;
            var all = terms.map(function (term, t) { return termWeights(term, lists[t]); });
            var idf = all.map(function (weights) {
              var df = 0;
              weights.forEach(function (w, raw) { df = Math.max(df, wordsOf.get(raw).df); });
              return Math.log(1 + (N - df + 0.5) / (df + 0.5));
            });
            var chosen = candidates(all, idf);
            var missing = chosen.some(function (number) { return !pageCache.has(number); });
            return Promise.resolve(missing && settled ? settled() : null).then(function () {
              return current() ? Promise.all(chosen.map(page)) : null;
            }).then(function (pages) {
              if (!pages || !current()) return null;
              // Words to highlight: the term's own forms; its prefix matches only if it has no own form.
              var marks = new Set();
              all.forEach(function (weights) {
                var strong = [];
                weights.forEach(function (w, raw) { if (w >= STRONG) strong.push(raw); });
                (strong.length ? strong : Array.from(weights.keys())).forEach(function (raw) { marks.add(raw); });
              });
              return { terms: terms, marks: marks, results: rank(terms, all, idf, pages) };
            });
          });
      });
    }

    /* HTML of ``text`` with the words of ``marks`` (from search()) in <mark>; cut to about ``length``
       characters around the first match when ``length`` is given. */
    function highlight(text, marks, length) {
      var matched = tokenize(text).filter(function (token) { return marks.has(token.w); });
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

    return { search: search, highlight: highlight };
  }

  var api = {
    fold: fold, accentKey: accentKey, tokenize: tokenize, segmentThai: segmentThai,
    parseQuery: parseQuery, shardKey: shardKey, shardFile: shardFile, oneEditApart: oneEditApart,
    createEngine: createEngine,
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
  var lastKey = -Infinity;  // when the last key came
  var burstTimer = null;
  var waiting = [];         // searches waiting for the current burst of keys to end

  /* Note a key; the promise (for a key of a burst) or null (for a key after a pause) that a search
     for it waits on before fetching pages (see BURST_MS). */
  function keyPressed() {
    var now = performance.now();
    var inBurst = now - lastKey < BURST_MS;
    lastKey = now;
    clearTimeout(burstTimer);
    burstTimer = setTimeout(function () {
      waiting.splice(0).forEach(function (resolve) { resolve(); });
    }, BURST_MS);
    return inBurst ? function () { return new Promise(function (resolve) { waiting.push(resolve); }); } : null;
  }

  function fetchJson(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.json();
    });
  }

  /* The entry of the page's language; the pieces are fetched by the engine as queries need them. */
  function load() {
    if (!loading) {
      var entryUrl = new URL(dialog.getAttribute("data-index"), location.href);
      loading = fetchJson(entryUrl).then(function (entry) {
        engine = createEngine(entry, function (path) { return fetchJson(new URL(path, entryUrl)); });
        return engine;
      });
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

  function run(settled) {
    var query = input.value;
    if (!query.trim()) {
      list.innerHTML = "";
      meta.textContent = dialog.getAttribute("data-placeholder");
      output.setAttribute("data-query", query);
      return;
    }
    function isCurrent() { return input.value === query; }
    load().then(function () { return engine.search(query, isCurrent, settled); }).then(function (found) {
      if (found && isCurrent()) render(query, found);
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
  input.addEventListener("input", function () { run(keyPressed()); });
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
