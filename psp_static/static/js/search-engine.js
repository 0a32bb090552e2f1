// Text search over a prebuilt lunr index, fetched piece by piece (built by psp_static/lunr_index.py,
// which explains the files). Used by the clearinghouse finder and by site-wide search:
//
//   var engine = window.pspSearch.open(manifestUrl, lunrUrl);  // nothing is fetched yet
//   engine.ready()       -> Promise, resolved once the engine can answer
//   engine.query(text)   -> Promise<Result | null>, null when a newer query superseded this one
//   engine.marks(text, result) -> [[start, end], ...], the words of `text` the result matched
//
// Result: {scores: {ref: score}, order: [ref, ...] best first, words: [word as typed, ...],
//          terms: {index term: "exact" | "prefix" | "fuzzy" | "synonym"},
//          suggestion: the query with each unknown word replaced by the nearest known one, when
//                      nothing matched without typo tolerance (else null),
//          loose: {ref: true} for results found only through typo tolerance,
//          ms: time spent searching once the data was there}
//
// Every word is required. A word matches the index terms it begins (lunr's trailing wildcard; words
// of one or two letters match only themselves, so a first keystroke does not fetch a whole letter)
// and, from four letters, terms one edit away (two from seven letters), assuming the first letter
// is right: that keeps typo candidates in the file of terms the word's letter already needs.
// Results matched without typos score exactly as lunr.js would score the same index and query
// (tests hold them to lunr.py's); results that needed a typo come after all of them.
(function () {
  "use strict";

  var FUZZY_WEIGHT = 0.5;  // a typo candidate counts half as much as a word typed right
  var FUZZY_MAX = 8;       // typo candidates kept per word: the nearest and most common
  var MAX_WORDS = 30;      // words are tracked as bits of one number

  // Files are fetched once per page and shared by every engine (a failed fetch may be retried).
  var json = window.pspUtil.json;
  var script = window.pspUtil.script;

  // The words of `text` lunr would search for: [{word: as typed, term: stem, start, end}, ...].
  function words(text) {
    var lunr = window.lunr;
    var found = [];
    lunr.tokenizer(text).forEach(function (token) {
      var raw = token.toString();
      var trimmed = lunr.trimmer(token.clone()).toString();
      if (!trimmed || !lunr.stopWordFilter(new lunr.Token(trimmed))) return;
      var start = token.metadata.position[0] + Math.max(0, raw.indexOf(trimmed));
      found.push({
        word: text.slice(start, start + trimmed.length),
        term: lunr.stemmer(new lunr.Token(trimmed)).toString(),
        start: start,
        end: start + trimmed.length
      });
    });
    return found;
  }

  // Edits (insert, delete, replace, swap two neighbours) from a to b, or limit + 1 if more.
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var before = null;
    var previous = [];
    var row;
    for (var j = 0; j <= b.length; j++) previous.push(j);
    for (var i = 1; i <= a.length; i++) {
      row = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1;
        var value = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
        if (before && i > 1 && j > 1 && a.charAt(i - 1) === b.charAt(j - 2) && a.charAt(i - 2) === b.charAt(j - 1)) {
          value = Math.min(value, before[j - 2] + 1);
        }
        row.push(value);
        best = Math.min(best, value);
      }
      if (best > limit) return limit + 1;
      before = previous;
      previous = row;
    }
    return previous[b.length];
  }

  function allowance(word) {
    return word.length >= 7 ? 2 : word.length >= 4 ? 1 : 0;
  }

  // The first index in sorted `list` whose key is >= `key`.
  function lowerBound(list, key, get) {
    var low = 0;
    var high = list.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (get(list[middle]) < key) low = middle + 1; else high = middle;
    }
    return low;
  }

  function magnitude(vector) {
    var sum = 0;
    Object.keys(vector).forEach(function (t) { sum += vector[t] * vector[t]; });
    return Math.sqrt(sum);
  }

  var RANK = { exact: 3, prefix: 2, synonym: 1, fuzzy: 0 };

  // Scores as lunr.Index.prototype.query computes them for one required clause per word: each
  // field scores (query vector . field vector) / |query vector|, where the query vector holds, for
  // each index term a word expanded to, the number of words that expanded to it (lunr sums clause
  // boosts of 1), and the field vector holds the elements the chunks carry. Typo candidates join
  // only the second tier's query vector, at FUZZY_WEIGHT.
  function score(fieldCount, refs, sets, rows) {
    var strict = {};
    var loose = {};
    var terms = {};
    sets.forEach(function (set) {
      Object.keys(set).forEach(function (t) {
        if (!rows[t]) return;
        if (!terms[t] || RANK[set[t]] > RANK[terms[t]]) terms[t] = set[t];
        var weight = set[t] === "fuzzy" ? FUZZY_WEIGHT : 1;
        loose[t] = (loose[t] || 0) + weight;
        if (set[t] !== "fuzzy") strict[t] = (strict[t] || 0) + 1;
      });
    });
    var n = refs.length;
    var strictBits = new Int32Array(n);
    var anyBits = new Int32Array(n);
    var dots = new Float64Array(n * fieldCount);
    var looseDots = new Float64Array(n);
    sets.forEach(function (set, w) {
      Object.keys(set).forEach(function (t) {
        if (!rows[t]) return;
        rows[t].forEach(function (list) {
          for (var k = 0, pos = -1; k < list.length; k += 2) {
            pos += list[k];
            anyBits[pos] |= 1 << w;
            if (set[t] !== "fuzzy") strictBits[pos] |= 1 << w;
          }
        });
      });
    });
    Object.keys(terms).forEach(function (t) {
      rows[t].forEach(function (list, f) {
        for (var k = 0, pos = -1; k < list.length; k += 2) {
          pos += list[k];
          var element = list[k + 1] / 1000;  // exactly lunr's round(score, 3)
          if (strict[t]) dots[pos * fieldCount + f] += strict[t] * element;
          looseDots[pos] += loose[t] * element;
        }
      });
    });
    return rank(refs, fieldCount, sets.length, strictBits, anyBits, dots, looseDots, magnitude(strict), magnitude(loose), terms);
  }

  function rank(refs, fieldCount, wordCount, strictBits, anyBits, dots, looseDots, strictNorm, looseNorm, terms) {
    var all = wordCount >= 31 ? -1 : (1 << wordCount) - 1;
    var result = { scores: {}, order: [], words: [], terms: terms, suggestion: null, loose: {} };
    var strictHits = [];
    var looseHits = [];
    var lowest = Infinity;
    var highestLoose = 0;
    for (var pos = 0; pos < refs.length; pos++) {
      if (!wordCount || anyBits[pos] !== all) continue;
      if (strictBits[pos] === all) {
        var value = 0;
        for (var f = 0; f < fieldCount; f++) value += dots[pos * fieldCount + f] / strictNorm;
        strictHits.push([refs[pos], value]);
        lowest = Math.min(lowest, value);
      } else {
        var raw = looseDots[pos] / looseNorm;
        looseHits.push([refs[pos], raw]);
        highestLoose = Math.max(highestLoose, raw);
      }
    }
    // Results that needed a typo go after every result that did not: scaled below the lowest.
    var scale = strictHits.length && highestLoose ? lowest / (2 * highestLoose) : 1;
    looseHits.forEach(function (hit) { hit[1] *= scale; result.loose[hit[0]] = true; });
    var byScore = function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0); };
    strictHits.sort(byScore).concat(looseHits.sort(byScore)).forEach(function (hit) {
      result.scores[hit[0]] = hit[1];
      result.order.push(hit[0]);
    });
    return result;
  }

  function open(manifestUrl, lunrUrl) {
    var folder = String(manifestUrl).slice(0, String(manifestUrl).lastIndexOf("/") + 1);
    var manifest = null;
    var refs = null;
    var shards = {};  // first character -> file name
    var loading = null;
    var latest = 0;

    function part(name) {
      return /^[\w.-]+$/.test(name) ? json(folder + name) : Promise.reject(new Error("refusing " + name));
    }

    function ready() {
      if (!loading) {
        loading = Promise.all([script(lunrUrl), json(manifestUrl)]).then(function (loaded) {
          manifest = loaded[1];
          shards = {};
          manifest.vocabulary.forEach(function (pair) { shards[pair[0]] = pair[1]; });
          if (manifest.ids) {
            var id = 0;
            refs = manifest.ids.map(function (delta) { id += delta; return String(id); });
          } else {
            refs = manifest.refs.map(String);
          }
        });
        loading.catch(function () { loading = null; });
      }
      return loading;
    }

    function vocabulary(first) {
      return shards[first] ? part(shards[first]) : Promise.resolve({ terms: [], df: [], spell: {} });
    }

    // {term: kind} for one word: the terms it begins, and typo candidates.
    function candidates(word, shard) {
      var found = {};
      var terms = shard.terms;
      var term = word.term;
      var i = lowerBound(terms, term, function (t) { return t; });
      if (term.length < 3) {
        if (terms[i] === term) found[term] = "exact";
      } else {
        for (; i < terms.length && terms[i].lastIndexOf(term, 0) === 0; i++) {
          found[terms[i]] = terms[i] === term ? "exact" : "prefix";
        }
      }
      var limit = allowance(word.word);
      if (!limit) return found;
      nearest(term, shard, limit, FUZZY_MAX).forEach(function (t) { if (!found[t]) found[t] = "fuzzy"; });
      return found;
    }

    // Up to `most` terms of `shard` at most `limit` edits from `term` (not `term` itself), nearest
    // and most common first.
    function nearest(term, shard, limit, most) {
      var near = [];
      shard.terms.forEach(function (t, i) {
        if (t === term) return;
        var d = distance(term, t, limit);
        if (d <= limit) near.push([d, -shard.df[i], t]);
      });
      near.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : 1); });
      return near.slice(0, most).map(function (entry) { return entry[2]; });
    }

    function chunkOf(term) {
      var i = lowerBound(manifest.chunks, term, function (c) { return c[0]; });
      return manifest.chunks[i] && manifest.chunks[i][0] === term ? i : i - 1;
    }

    // {term: [per field: [delta, element, ...]]} for `terms`, fetching only the chunks they are in.
    function postings(terms) {
      var wanted = {};
      terms.forEach(function (t) { var c = chunkOf(t); if (c >= 0) wanted[c] = true; });
      return Promise.all(Object.keys(wanted).map(function (c) { return part(manifest.chunks[c][1]); }))
        .then(function (chunks) {
          var rows = {};
          chunks.forEach(function (chunk) {
            chunk.terms.forEach(function (t, i) { rows[t] = chunk.postings[i]; });
          });
          return rows;
        });
    }

    function query(text) {
      var mine = ++latest;
      var typed = null;
      var sets = null;
      var vocab = null;
      return ready().then(function () {
        if (mine !== latest) return null;
        typed = words(text).slice(0, MAX_WORDS);
        var firsts = typed.map(function (w) { return w.term.charAt(0); });
        return Promise.all(firsts.map(vocabulary));
      }).then(function (shardsOfWords) {
        if (mine !== latest) return null;
        vocab = shardsOfWords;
        sets = typed.map(function (w, i) { return candidates(w, shardsOfWords[i]); });
        var all = {};
        sets.forEach(function (set) { Object.keys(set).forEach(function (t) { all[t] = true; }); });
        return postings(Object.keys(all));
      }).then(function (rows) {
        if (mine !== latest || !rows) return null;  // superseded: what was fetched stays cached
        var started = performance.now();
        var result = score(manifest.fields.length, refs, sets, rows);
        result.words = typed.map(function (w) { return w.word; });
        synonyms(typed, result.terms);
        if (!result.order.length || result.loose[result.order[0]]) {
          result.suggestion = suggest(text, typed, sets, vocab);
        }
        result.ms = performance.now() - started;
        return result;
      });
    }

    // Text with each word that begins no known term replaced by the nearest known word, or null.
    function suggest(text, typed, sets, vocab) {
      var changed = false;
      var out = text;
      for (var i = typed.length - 1; i >= 0; i--) {
        var known = Object.keys(sets[i]).some(function (t) { return sets[i][t] !== "fuzzy"; });
        if (known) continue;
        var best = nearest(typed[i].term, vocab[i], Math.max(2, allowance(typed[i].word)), 1)[0];
        if (!best) return null;
        var spelled = vocab[i].spell[best] || best;
        out = out.slice(0, typed[i].start) + spelled + out.slice(typed[i].end);
        changed = true;
      }
      return changed ? out : null;
    }

    // Index terms of the synonym groups the query names, for highlighting ("LPR" marks
    // "license plate reader"); the index holds the synonyms themselves (see lunr_terms.py).
    function synonyms(typed, terms) {
      var named = typed.map(function (w) { return w.term; }).join(" ");
      (manifest.synonyms || []).forEach(function (group) {
        var members = group.map(function (member) {
          return words(member).map(function (w) { return w.term; }).join(" ");
        });
        var hit = members.some(function (m) { return m && (" " + named + " ").indexOf(" " + m + " ") >= 0; });
        if (!hit) return;
        members.forEach(function (m) {
          m.split(" ").forEach(function (t) { if (t && !terms[t]) terms[t] = "synonym"; });
        });
      });
    }

    function marks(text, result) {
      if (!window.lunr || !result) return [];
      return words(text)
        .filter(function (w) { return Object.prototype.hasOwnProperty.call(result.terms, w.term); })
        .map(function (w) { return [w.start, w.end]; });
    }

    return { ready: ready, query: query, marks: marks };
  }

  window.pspSearch = { open: open };
})();
