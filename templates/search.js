// Search on a language's index page: the only script in dist/ (publisher check
// allows it on index pages only).  Progressive enhancement: the form is hidden in
// the HTML and shown here, so without JavaScript the page is the topic and A-Z lists.
// Pagefind (dist/pagefind/) picks the index of the page's language from <html lang>.
(function () {
  "use strict";
  var script = document.currentScript;
  var box = document.getElementById("search");
  var form = box && box.querySelector("form");
  if (!form || !script || !window.fetch || !window.URL) return;
  var root = new URL(".", script.src);          // dist/
  var input = form.querySelector("input[type=search]");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var strings = form.dataset;
  var pagefind = null;
  var asked = 0;
  var timer = null;
  var SHOWN = 20;

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", root).href).then(function (api) {
        return api.options({ excerptLength: 20 }).then(function () { return api; });
      });
    }
    return pagefind;
  }

  // A line of interface text; untranslated text is marked as English.
  function say(element, text, lang) {
    element.textContent = text;
    if (lang) {            // only ever "en": the interface's source, left to right
      element.lang = lang;
      element.dir = "ltr";
    } else {
      element.removeAttribute("lang");
      element.removeAttribute("dir");
    }
  }

  function link(href, text, lang) {
    var a = document.createElement("a");
    a.href = href;
    say(a, text, lang);
    return a;
  }

  function show(total, results) {
    list.textContent = "";
    results.forEach(function (data) {
      var page = new URL(data.url.replace(/^\//, ""), root);
      var item = document.createElement("li");
      var title = document.createElement("h3");
      title.appendChild(link(page.href, data.meta.title || data.url));
      item.appendChild(title);
      var excerpt = document.createElement("p");
      // Pagefind's excerpt is our own page's text, escaped, with <mark> around matches.
      excerpt.innerHTML = data.excerpt;
      item.appendChild(excerpt);
      if (data.meta.pdf) {
        var pdf = document.createElement("p");
        var a = link(new URL(data.meta.pdf, page).href, strings.pdf, strings.pdfLang);
        a.type = "application/pdf";
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = ": " + (data.meta.title || "");
        a.appendChild(hidden);
        pdf.appendChild(a);
        item.appendChild(pdf);
      }
      list.appendChild(item);
    });
    var text = total ? strings.found.replace("{n}", String(total)) : strings.none;
    say(status, text, total ? strings.foundLang : strings.noneLang);
  }

  function search() {
    var query = input.value.trim();
    var mine = ++asked;
    if (!query) {
      list.textContent = "";
      say(status, "");
      return;
    }
    load().then(function (api) {
      return api.search(query);
    }).then(function (found) {
      return Promise.all(found.results.slice(0, SHOWN).map(function (r) { return r.data(); }))
        .then(function (results) { return { total: found.results.length, results: results }; });
    }).then(function (answer) {
      if (mine === asked) show(answer.total, answer.results);   // not a late older query
    }).catch(function () {
      if (mine === asked) say(status, strings.failed, strings.failedLang);
    });
  }

  // Shown once the index answers: a site built without it keeps the lists only.
  load().then(function () { box.hidden = false; }, function () {});
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    search();
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 300);
  });
})();
