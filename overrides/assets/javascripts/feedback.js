// Readers' feedback, sent anonymously to POST {api}/feedback (functions/feedback):
// * "Was this helpful?" at the end of each article: pick Yes or No, add an optional comment, send.
//   The answer is remembered in this browser (localStorage), so the question is not asked again.
// * A search that found nothing: the query is counted once it has stood unchanged for a moment.
(function () {
  var script = document.currentScript;
  var api = script && script.dataset.api;
  var lang = (script && script.dataset.lang) || document.documentElement.lang;
  if (!api) return;

  function send(body) {
    return fetch(api, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    }).then(function (response) { return response.ok; }, function () { return false; });
  }

  function remembered(key, value) {
    try {
      if (value !== undefined) localStorage.setItem(key, value);
      return localStorage.getItem(key);
    } catch (error) {
      return null; // storage refused (private mode): the question is simply asked again
    }
  }

  var box = document.querySelector(".hc-feedback");
  if (box) {
    var page = box.dataset.page;
    var memory = "hc-feedback:" + lang + ":" + page;
    var form = box.querySelector("form");
    var status = box.querySelector(".hc-feedback__status");
    var buttons = box.querySelectorAll("[data-helpful]");
    var helpful = null;
    var done = function (ok) {
      status.textContent = ok ? status.dataset.thanks : status.dataset.failed;
      if (!ok) return;
      remembered(memory, "sent");
      box.querySelector(".hc-feedback__vote").hidden = true;
      form.hidden = true;
      status.focus();
    };
    if (remembered(memory) === "sent") {
      box.querySelector(".hc-feedback__vote").hidden = true;
      status.textContent = status.dataset.thanks;
    }
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        helpful = button.dataset.helpful === "true";
        buttons.forEach(function (other) { other.setAttribute("aria-pressed", String(other === button)); });
        form.hidden = false;
        form.elements.comment.focus();
      });
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (helpful === null) return;
      var comment = form.elements.comment.value.trim();
      var body = { kind: "vote", lang: lang, page: page, helpful: helpful };
      if (comment) body.comment = comment;
      form.querySelector("button[type=submit]").disabled = true;
      send(body).then(function (ok) {
        form.querySelector("button[type=submit]").disabled = false;
        done(ok);
      });
    });
  }

  // Searches that found nothing: the search script marks its result list with data-query and lists
  // nothing for a query without results. Counted once per query and page view.
  var results = document.getElementById("kb-search-results");
  if (!results) return;
  var counted = {};
  var timer = null;
  new MutationObserver(function () {
    clearTimeout(timer);
    var query = (results.getAttribute("data-query") || "").trim();
    if (query.length < 3 || counted[query]) return;
    timer = setTimeout(function () {
      var still = (results.getAttribute("data-query") || "").trim() === query;
      if (!still || results.querySelector(".md-search-result__item")) return;
      counted[query] = true;
      send({ kind: "search", lang: lang, query: query });
    }, 1500);
  }).observe(results, { attributes: true, attributeFilter: ["data-query"], childList: true, subtree: true });
})();
