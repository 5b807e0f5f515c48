"""The API's sentences in the reader's language; the codes never change.

The reader's language is the body's ``language`` (where a route takes one), else the first site
language ``Accept-Language`` names, else the site's default. An error's ``message`` and its
``fields[].message`` come from the catalog of that language: the sentences of the form that posts to
the route (``forms.<form>.errors``, ``field_codes``, ``field_errors``) where it has one for the code,
else the API's own (``api.errors``, ``api.invalid_field``).
"""

from __future__ import annotations

from collections.abc import Sequence

from helpcenter.i18n import DEFAULT, supported
from helpcenter.i18n.catalog import MissingText, lookup

# The form that posts to each route: its catalog section words that route's refusals.
ROUTE_FORMS = {"/accounts/status": "account_status", "/invoices/lookup": "pay_invoice", "/invoices/pay": "pay_invoice",
               "/tickets": "submit_ticket", "/tickets/attachments": "submit_ticket"}


def accepted_languages(header: str | None) -> list[str]:
    """The languages of an ``Accept-Language`` header, most wanted first (RFC 9110 q-values).

    Hand-written: Babel negotiates locales but does not parse the header, and Werkzeug's parser is
    not in the Lambda package; this is the header's whole grammar we need."""
    ranked = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, parameters = part.strip().partition(";")
        quality = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(ranked)]


def reader_language(accept_language: str | None, body_language: str | None = None) -> str:
    """The site language to answer in: the body's, else the header's first supported one, else the default."""
    for candidate in (body_language, *accepted_languages(accept_language)):
        if isinstance(candidate, str) and (language := supported(candidate)):
            return language
    return DEFAULT


def _first(lang: str, keys: Sequence[str | tuple[str, ...]]) -> str | None:
    for key in keys:
        try:
            value = lookup(lang, key)
        except MissingText:
            continue
        if isinstance(value, str):
            return value
    return None


def error_message(lang: str, route: str | None, code: str) -> str | None:
    form = ROUTE_FORMS.get(route or "")
    return _first(lang, [*([f"forms.{form}.errors.{code}"] if form else []), f"api.errors.{code}"])


def field_message(lang: str, route: str | None, field: str, code: str) -> str | None:
    form = ROUTE_FORMS.get(route or "")
    keys = [("forms", form, "field_codes", f"{field}.{code}"), ("forms", form, "field_errors", field)] if form else []
    return _first(lang, keys)


def localize(body: dict, lang: str, route: str | None) -> tuple[dict, bool]:
    """The error body with its sentences in ``lang``.

    In the default language the sentences the logic raised stay: they are that language already and
    name specifics (the refused domain, the word count). In another language each comes from its
    catalog; a field with no sentence of its own gets ``api.invalid_field``. False when the code has
    no sentence in the catalogs (the body keeps the raised message, and the caller counts it)."""
    message = error_message(lang, route, body["error"])
    if lang == DEFAULT:
        return body, message is not None
    localized = {**body, "message": message or body["message"]}
    if body.get("fields"):
        localized["fields"] = [
            {**problem, "message": field_message(lang, route, problem["field"], problem.get("code", ""))
             or lookup(lang, "api.invalid_field")}
            for problem in body["fields"]]
    return localized, message is not None
