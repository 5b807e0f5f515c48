// Suggests, once, the page in the reader's browser language when it is another of the site's
// languages: a small notice in that language's own words (hooks/reader_text.py renders the offers),
// with a link and a "No, thanks". Shown or dismissed, it is remembered and not shown again.
(function () {
  var KEY = "hc-language-suggestion";
  var data = document.getElementById("hc-language-offers");
  if (!data) return;
  try {
    if (localStorage.getItem(KEY)) return;
  } catch (error) {
    return;  // no storage: it could not be remembered, so it is not offered
  }
  var offers = JSON.parse(data.textContent);
  var page = document.documentElement.lang;
  var wanted = (navigator.languages || [navigator.language || ""]).map(function (tag) {
    return String(tag).toLowerCase().split("-")[0];
  });
  var lang = wanted.find(function (code) { return code === page || offers[code]; });
  if (!lang || lang === page) return;
  var offer = offers[lang];
  localStorage.setItem(KEY, lang);

  var box = document.createElement("aside");
  box.className = "hc-language-suggestion";
  box.lang = lang;
  box.setAttribute("aria-label", offer.label);
  var text = document.createElement("p");
  text.textContent = offer.text + " ";
  var link = document.createElement("a");
  link.href = offer.url;
  link.hreflang = lang;
  link.className = "md-button md-button--primary";
  link.textContent = offer.switch;
  var dismiss = document.createElement("button");
  dismiss.type = "button";
  dismiss.className = "md-button";
  dismiss.textContent = offer.dismiss;
  dismiss.addEventListener("click", function () {
    localStorage.setItem(KEY, "dismissed");
    box.remove();
  });
  box.append(text, link, dismiss);
  var main = document.querySelector(".md-main__inner") || document.body;
  main.parentNode.insertBefore(box, main);
})();
