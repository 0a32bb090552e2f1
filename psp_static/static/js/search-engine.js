// Text search over the clearinghouse's packed lunr index (lunr.js, loaded on first use): the
// engine the finder and the site search call. Nothing is fetched until the first query.
//   pspSearch.open(indexUrl, lunrUrl) -> engine
//   engine.query(text) -> Promise<{scores, order, words, terms, suggestion} | null>  (null: superseded)
//   engine.marks(text, result) -> [[start, end], ...], the words of ``text`` the result matched
(function () {
  "use strict";

  var K1 = 1.2;
  var B = 0.75;
  var WORD = /[^\s-]+/g;  // lunr's tokenizer splits on whitespace and hyphens

  // Rebuilds the structure lunr.Index.load expects from the packed postings, with the BM25
  // arithmetic of lunr's builder (search_index.py describes the packed form).
  function unpack(p) {
    var fields = p.fields.map(function (f) { return f[0]; });
    var boosts = {};
    p.fields.forEach(function (f) { boosts[f[0]] = f[1]; });
    var docs = p.docs.map(String);
    var freq = {};
    fields.forEach(function (f) { freq[f] = {}; });
    var inverted = [];
    var idf = [];
    p.terms.forEach(function (term, i) {
      var posting = { _index: i };
      var withTerm = 0;
      fields.forEach(function (f, fi) {
        var ref = 0;
        var bucket = {};
        p.postings[i][fi].forEach(function (entry) {
          ref += typeof entry === "number" ? entry : entry[0];
          var key = String(ref);
          bucket[key] = {};
          (freq[f][key] || (freq[f][key] = [])).push([i, typeof entry === "number" ? 1 : entry[1]]);
        });
        posting[f] = bucket;
        withTerm += p.postings[i][fi].length;
      });
      inverted.push([term, posting]);
      idf.push(Math.log(1 + Math.abs((docs.length - withTerm + 0.5) / (withTerm + 0.5))));
    });
    var vectors = [];
    fields.forEach(function (f) { vectors.push.apply(vectors, fieldVectors(f, docs, freq[f], idf, boosts[f])); });
    return { version: p.version, fields: fields, fieldVectors: vectors, invertedIndex: inverted, pipeline: ["stemmer"] };
  }

  function fieldVectors(field, docs, freq, idf, boost) {
    var lengths = {};
    var total = 0;
    docs.forEach(function (ref) {
      var length = 0;
      (freq[ref] || []).forEach(function (pair) { length += pair[1]; });
      lengths[ref] = length;
      total += length;
    });
    var average = docs.length ? total / docs.length : 0;
    return docs.map(function (ref) {
      var elements = [];
      (freq[ref] || []).forEach(function (pair) {
        var norm = K1 * (1 - B + B * (lengths[ref] / average)) + pair[1];
        elements.push(pair[0], Math.round(idf[pair[0]] * ((K1 + 1) * pair[1]) / norm * boost * 1000) / 1000);
      });
      return [field + "/" + ref, elements];
    });
  }

  // The stems lunr's query pipeline makes of ``text`` (trimmed, stop words dropped).
  function stems(text) {
    var lunr = window.lunr;
    return lunr.tokenizer(text)
      .map(function (token) { return lunr.trimmer(token); })
      .filter(function (token) { return token && token.toString() && lunr.stopWordFilter(token); })
      .map(function (token) { return lunr.stemmer(token).toString(); });
  }

  // Edit distance of a and b, or limit + 1 once it is sure to exceed ``limit``.
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var row = [];
    for (var j = 0; j <= b.length; j++) row.push(j);
    for (var i = 1; i <= a.length; i++) {
      var previous = row[0];
      row[0] = i;
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var here = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1));
        previous = here;
        best = Math.min(best, row[j]);
      }
      if (best > limit) return limit + 1;
    }
    return row[b.length];
  }

  function Engine(indexUrl, lunrUrl) {
    this.indexUrl = indexUrl;
    this.lunrUrl = lunrUrl;
    this.loading = null;
    this.index = null;
    this.words = {};  // stem -> a word of the index that makes it, for suggestions
    this.latest = 0;
  }

  Engine.prototype.ready = function () {
    var engine = this;
    if (!this.loading) {
      this.loading = window.pspUtil.script(this.lunrUrl)
        .then(function () { return window.pspUtil.json(engine.indexUrl); })
        .then(function (packed) {
          engine.index = window.lunr.Index.load(unpack(packed));
          engine.terms = packed.terms;
        });
    }
    return this.loading;
  };

  // The known term nearest to ``stem`` (within 2 edits) that finds something, or null.
  Engine.prototype.nearest = function (stem) {
    var best = null;
    var bestDistance = 3;
    this.terms.forEach(function (term) {
      var d = distance(stem, term, bestDistance - 1);
      if (d < bestDistance && d > 0) { best = term; bestDistance = d; }
    });
    return best;
  };

  Engine.prototype.run = function (text) {
    var words = stems(text);
    var result = { scores: {}, order: [], words: words, terms: {}, suggestion: null };
    if (!words.length) return result;
    var lunr = window.lunr;
    this.index.query(function (q) {
      words.forEach(function (term) {
        q.term(term, { wildcard: lunr.Query.wildcard.TRAILING, presence: lunr.Query.presence.REQUIRED, usePipeline: false });
      });
    }).forEach(function (match) {
      result.scores[match.ref] = match.score;
      result.order.push(match.ref);
    });
    words.forEach(function (word) { result.terms[word] = "prefix"; });
    if (!result.order.length) {
      var engine = this;
      var fixed = words.map(function (word) { return engine.nearest(word) || word; });
      if (fixed.join(" ") !== words.join(" ")) result.suggestion = fixed.join(" ");
    }
    return result;
  };

  Engine.prototype.query = function (text) {
    var ticket = ++this.latest;
    var engine = this;
    return this.ready().then(function () { return ticket === engine.latest ? engine.run(text) : null; });
  };

  // Ranges of the words in ``text`` whose stem starts with one of the result's query stems.
  Engine.prototype.marks = function (text, result) {
    var ranges = [];
    if (!result || !result.words.length || !window.lunr) return ranges;
    var match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(text))) {
      var word = match[0].replace(/^\W+/, "");
      var start = match.index + match[0].length - word.length;
      word = word.replace(/\W+$/, "");
      var stem = window.lunr.stemmer(new window.lunr.Token(word.toLowerCase())).toString();
      var hit = result.words.some(function (w) { return stem.indexOf(w) === 0 || word.toLowerCase().indexOf(w) === 0; });
      if (word && hit) ranges.push([start, start + word.length]);
    }
    return ranges;
  };

  window.pspSearch = { open: function (indexUrl, lunrUrl) { return new Engine(indexUrl, lunrUrl); } };
})();
