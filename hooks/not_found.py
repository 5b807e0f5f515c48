"""One 404 page per language: ``/404.html`` in the default language, ``/<lang>/404.html`` for the others.

MkDocs renders the theme's ``404.html`` once per language build and writes each to the site root, so
the last language built (Thai) used to win for every URL. Here each language's page goes to its own
folder, and its language links lead to each language's home page (a missing page has no
translation). The local stack and CloudFront pick the page by the URL's first folder
(``devstack.gateway.not_found_page``, ``/404.html``'s language redirect for CloudFront's single
error page).
"""

from __future__ import annotations

import os

from hooks.seo import build_languages

TEMPLATE = "404.html"


def home_links(config) -> list[dict]:
    """The language switcher's entries, each leading to that language's home page."""
    i18n = config["plugins"].get("i18n")
    languages, default = build_languages(config)
    names = {lang.locale: lang.name for lang in i18n.config.languages} if i18n else {}
    return [{"name": names.get(lang, lang), "lang": lang, "link": "/" if lang == default else f"/{lang}/"}
            for lang in languages]


def not_found_path(lang: str, default: str) -> str:
    """Where a language's 404 page is written, relative to the site folder."""
    return TEMPLATE if lang == default else f"{lang}/{TEMPLATE}"


def on_template_context(context, template_name, config):
    if template_name == TEMPLATE:
        languages, default = build_languages(config)
        links = home_links(config)
        # The i18n plugin sets the attribute (config.extra.alternate), which Jinja reads before the key.
        config["extra"]["alternate"] = links
        setattr(config["extra"], "alternate", links)  # noqa: B010 - the attribute, not the key (see above)
        context["hc_home"] = next(link["link"] for link in links if link["lang"] == config["theme"]["language"])
        context["hc_not_found_languages"] = {lang: "/" + not_found_path(lang, default) for lang in languages}
    return context


def on_post_template(output, template_name, config):
    if template_name != TEMPLATE:
        return output
    lang = config["theme"]["language"]
    _, default = build_languages(config)
    if lang == default:
        return output
    path = os.path.join(config["site_dir"], not_found_path(lang, default))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as page:
        page.write(output)
    return ""  # MkDocs then leaves the default language's /404.html in place
