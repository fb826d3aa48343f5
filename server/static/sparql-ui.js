/* osce-kg query editor: puts YASQE (vendored in /static/yasgui/) over the query textarea.
 * Completion comes only from this server's /sparql/terms.json (our ontology and the prefixes we
 * use): YASQE's prefix.cc list and LOV look-ups are replaced. Running a query submits the form
 * (GET /sparql?query=…), so the page URL is always the share link and works without this file. */
(function () {
  "use strict";
  var script = document.currentScript;
  var termsUrl = script && script.dataset.terms || "/sparql/terms.json";

  function ready(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  function isLocalName(s) { return /^[A-Za-z_][\w-]*$/.test(s) || s === ""; }

  /* The IRI a typed token means: YASQE expands declared prefixes itself; a prefix we know but the
   * query has not declared yet is expanded here. */
  function expand(text, prefixes) {
    var m = /^([A-Za-z][\w-]*)?:(.*)$/.exec(text);
    if (m && prefixes[m[1] || ""] !== undefined) return prefixes[m[1] || ""] + m[2];
    return text.replace(/^</, "").replace(/>$/, "");
  }

  /* A suggested IRI as it will be inserted: a prefixed name when the query or our list has a
   * prefix for it (an undeclared one is declared by YASQE's prefix completer on insertion). */
  function shorten(iri, declared, known) {
    var lists = [declared, known];
    for (var i = 0; i < lists.length; i++) {
      for (var p in lists[i]) {
        var ns = lists[i][p];
        if (ns && iri.indexOf(ns) === 0 && isLocalName(iri.slice(ns.length))) return p + ":" + iri.slice(ns.length);
      }
    }
    return "<" + iri + ">";
  }

  function termCompleter(Yasqe, name, iris, prefixes) {
    var base = Yasqe.Autocompleters[name] || {};
    return Object.assign({}, base, {
      name: name,
      bulk: false,
      autoShow: true,
      persistenceId: null,
      get: function (yasqe, token) {
        var typed = (token && (token.autocompletionString || token.string) || "").trim();
        if (!typed || typed[0] === "?" || typed[0] === "$") return Promise.resolve([]);
        var wanted = expand(typed, prefixes);
        return Promise.resolve(iris.filter(function (iri) { return iri.indexOf(wanted) === 0; }).slice(0, 100));
      },
      postProcessSuggestion: function (yasqe, token, suggestion) {
        return shorten(suggestion, yasqe.getPrefixesFromQuery(), prefixes);
      }
    });
  }

  function configure(Yasqe, terms) {
    var prefixes = terms.prefixes || {};
    var declarations = Object.keys(prefixes).sort().map(function (p) { return p + ": <" + prefixes[p] + ">"; });
    var prefixConf = Object.assign({}, Yasqe.Autocompleters.prefixes, {
      name: "prefixes", persistenceId: null, get: function () { return Promise.resolve(declarations); }
    });
    Yasqe.registerAutocompleter(prefixConf);
    Yasqe.registerAutocompleter(termCompleter(Yasqe, "property", terms.properties || [], prefixes));
    Yasqe.registerAutocompleter(termCompleter(Yasqe, "class", terms.classes || [], prefixes));
    return ["variables", "prefixes", "property", "class"];
  }

  function start(terms) {
    var Yasqe = window.Yasqe;
    var form = document.getElementById("query-form");
    var textarea = document.getElementById("query");
    if (!Yasqe || !form || !textarea) return;
    var completers = terms ? configure(Yasqe, terms) : ["variables"];
    var holder = document.createElement("div");
    holder.className = "editor";
    textarea.parentNode.insertBefore(holder, textarea);
    var submit = function () { textarea.value = yasqe.getValue(); form.requestSubmit ? form.requestSubmit() : form.submit(); };
    var yasqe = new Yasqe(holder, {
      value: textarea.value,
      autocompleters: completers,
      prefixCcApi: null,
      persistenceId: null,
      consumeShareLink: null,
      createShareableLink: null,
      showQueryButton: false,
      resizeable: true,
      editorHeight: "320px",
      requestConfig: { endpoint: form.getAttribute("action") || "/sparql", method: "GET" },
      extraKeys: { "Ctrl-Enter": submit, "Cmd-Enter": submit }
    });
    textarea.hidden = true;
    textarea.setAttribute("aria-hidden", "true");
    var input = yasqe.getInputField();
    input.id = "query-editor";
    input.setAttribute("aria-label", "SPARQL query");
    input.setAttribute("aria-describedby", "editor-help");
    var label = document.querySelector('label[for="query"]');
    if (label) label.setAttribute("for", "query-editor");
    yasqe.on("change", function () { textarea.value = yasqe.getValue(); });
    form.addEventListener("submit", function () { textarea.value = yasqe.getValue(); });
    window.osceQueryEditor = yasqe;

    var examples = {};
    try {
      JSON.parse(document.getElementById("example-queries").textContent).forEach(function (q) { examples[q.name] = q; });
    } catch (e) { /* the picker still works as a form */ }
    var picker = document.getElementById("example");
    var loadButton = document.getElementById("load-example");
    if (picker) {
      picker.addEventListener("change", function () {
        var q = examples[picker.value];
        if (!q) return;
        yasqe.setValue(q.query);
        textarea.value = q.query;
        yasqe.focus();
      });
      if (loadButton) loadButton.hidden = true;
    }
    var share = document.getElementById("share-link");
    if (share) share.addEventListener("focus", function () { share.select(); });
  }

  ready(function () {
    fetch(termsUrl, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("terms: HTTP " + r.status); return r.json(); })
      .then(start, function (e) { console.warn("query editor without completion:", e); start(null); });
  });
})();
