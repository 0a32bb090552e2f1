// Text search over a prebuilt lunr index (built by lunr.py, see psp_static/search_index.py), used
// by the clearinghouse finder and, through the same API, by site-wide search:
//
//   var engine = window.pspSearch.open(manifestUrl, lunrUrl);  // nothing is fetched yet
//   engine.ready()       -> Promise, resolved once the engine can answer
//   engine.query(text)   -> Promise<Result | null>, null when a newer query superseded this one
//   engine.marks(text, result) -> [[start, end], ...], the words of `text` the result matched
//
// Result: {scores: {ref: score}, order: [ref, ...] best first, words: [word as typed, ...],
//          terms: {index term: "exact" | "prefix" | "fuzzy" | "synonym"}, suggestion: string | null,
//          ms: time spent searching once the data was there}
(function () {
  "use strict";

  var K1 = 1.2;
  var B = 0.75;
  var files = {};  // url -> Promise of its JSON, shared by every engine on the page

  function isLocal(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/";
  }

  function json(url) {
    if (!files[url]) {
      files[url] = isLocal(url) ? fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("Could not load " + url + " (" + response.status + ")");
        return response.json();
      }) : Promise.reject(new Error("refusing " + url));
      files[url].catch(function () { delete files[url]; });  // a failed fetch may be retried later
    }
    return files[url];
  }

  function script(url) {
    if (!files[url]) {
      files[url] = new Promise(function (resolve, reject) {
        if (!isLocal(url)) { reject(new Error("refusing " + url)); return; }
        var tag = document.createElement("script");
        tag.src = url;
        tag.onload = resolve;
        tag.onerror = function () { reject(new Error("Could not load " + url)); };
        document.head.appendChild(tag);
      });
    }
    return files[url];
  }

  // The packed index back into the structure lunr.Index.load expects, with the BM25 arithmetic of
  // lunr's builder, so scores equal those lunr.py computes (tests/lunr_twin.py mirrors this).
  function unpack(p) {
    var fields = p.fields.map(function (f) { return f[0]; });
    var boosts = {};
    p.fields.forEach(function (f) { boosts[f[0]] = f[1]; });
    var docs = p.docs.map(String);
    var count = docs.length;
    var freq = {};
    fields.forEach(function (f) { freq[f] = {}; });
    var inverted = [];
    var idf = [];
    p.terms.forEach(function (term, i) {
      var posting = { _index: i };
      var withTerm = 0;
      fields.forEach(function (f, fi) {
        var number = 0;
        var bucket = {};
        p.postings[i][fi].forEach(function (entry) {
          var delta = typeof entry === "number" ? entry : entry[0];
          var tf = typeof entry === "number" ? 1 : entry[1];
          number += delta;
          var key = docs[number - 1];
          bucket[key] = {};
          (freq[f][key] || (freq[f][key] = [])).push([i, tf]);
        });
        posting[f] = bucket;
        withTerm += p.postings[i][fi].length;
      });
      inverted.push([term, posting]);
      var x = (count - withTerm + 0.5) / (withTerm + 0.5);
      idf.push(Math.log(1 + Math.abs(x)));
    });
    var vectors = [];
    fields.forEach(function (f) {
      var lengths = {};
      var total = 0;
      docs.forEach(function (ref) {
        var length = 0;
        (freq[f][ref] || []).forEach(function (pair) { length += pair[1]; });
        lengths[ref] = length;
        total += length;
      });
      var average = count ? total / count : 0;
      docs.forEach(function (ref) {
        var elements = [];
        (freq[f][ref] || []).forEach(function (pair) {
          var tf = pair[1];
          var norm = K1 * (1 - B + B * (lengths[ref] / average)) + tf;
          elements.push(pair[0], Math.round(idf[pair[0]] * ((K1 + 1) * tf) / norm * boosts[f] * 1000) / 1000);
        });
        vectors.push([f + "/" + ref, elements]);
      });
    });
    return { version: p.version, fields: fields, fieldVectors: vectors, invertedIndex: inverted, pipeline: ["stemmer"] };
  }

  // The words of `text` lunr would search for: [{word: as typed, term: stem, start, end}, ...].
  function words(text) {
    var lunr = window.lunr;
    var found = [];
    lunr.tokenizer(text).forEach(function (token) {
      var raw = token.toString();
      var trimmed = lunr.trimmer(token.clone()).toString();
      if (!trimmed || !lunr.stopWordFilter(token.clone(function () { return trimmed; }))) return;
      var start = token.metadata.position[0] + Math.max(0, raw.indexOf(trimmed));
      var typed = text.slice(start, start + trimmed.length);
      found.push({ word: typed, term: lunr.stemmer(new lunr.Token(trimmed)).toString(), start: start, end: start + trimmed.length });
    });
    return found;
  }

  function open(manifestUrl, lunrUrl) {
    var index = null;
    var loading = null;
    var latest = 0;

    function ready() {
      if (!loading) {
        loading = script(lunrUrl)
          .then(function () { return json(manifestUrl); })
          .then(function (packed) { index = window.lunr.Index.load(unpack(packed)); });
        loading.catch(function () { loading = null; });
      }
      return loading;
    }

    // Every word required, each matching any index term it begins (lunr's trailing wildcard).
    function search(text) {
      var started = performance.now();
      var typed = words(text);
      var result = { scores: {}, order: [], words: typed.map(function (w) { return w.word; }), terms: {}, suggestion: null };
      if (typed.length) {
        var hits = index.query(function (q) {
          typed.forEach(function (w) {
            q.term(w.term, {
              wildcard: window.lunr.Query.wildcard.TRAILING,
              presence: window.lunr.Query.presence.REQUIRED,
              usePipeline: false
            });
          });
        });
        var stems = {};
        typed.forEach(function (w) { stems[w.term] = true; });
        hits.forEach(function (hit) {
          result.scores[hit.ref] = hit.score;
          result.order.push(hit.ref);
          Object.keys(hit.matchData.metadata).forEach(function (term) {
            result.terms[term] = stems[term] ? "exact" : "prefix";
          });
        });
      }
      result.ms = performance.now() - started;
      return result;
    }

    function query(text) {
      var mine = ++latest;
      return ready().then(function () { return mine === latest ? search(text) : null; });
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
