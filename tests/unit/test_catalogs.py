"""The text catalogs: every key, placeholder and plural form in every language; no fallback."""

from __future__ import annotations

import pytest

from helpcenter import i18n, support
from helpcenter.domain import AccountStatus, Plan
from helpcenter.i18n import catalog, sentences
from helpcenter.rules import dunning
from helpcenter.rules.plans import support_channels
from helpcenter.support import SEVERITIES
from helpcenter.support_schema import read
from hooks import form_strings


def test_every_language_has_every_key_and_placeholder():
    assert catalog.completeness_problems(catalog.load_all(), i18n.DEFAULT) == []


@pytest.mark.parametrize("lang", [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT])
def test_deleting_any_key_of_a_translation_is_caught(lang):
    catalogs = catalog.load_all()
    for path in catalog.flatten(catalogs[lang]):
        trimmed = {**catalogs, lang: _without(catalogs[lang], path)}
        problems = catalog.completeness_problems(trimmed, i18n.DEFAULT)
        assert f"{lang}: missing {catalog.dotted(path)}" in problems, path


def _without(tree: dict, path: tuple[str, ...]) -> dict:
    copy = dict(tree)
    if len(path) > 1:
        copy[path[0]] = _without(copy[path[0]], path[1:])
    else:
        del copy[path[0]]
    return copy


def test_a_changed_placeholder_an_empty_message_and_a_short_list_are_caught():
    catalogs = catalog.load_all()
    broken = {**catalogs["fr"], "forms": {**catalogs["fr"]["forms"], "submit_ticket": {
        **catalogs["fr"]["forms"]["submit_ticket"],
        "result_title": "Ticket {identifiant} accepté",
        "sending": " ",
        "deadline_columns": ["Objectif"],
    }}}
    problems = catalog.completeness_problems({**catalogs, "fr": broken}, "en")
    assert "fr: forms.submit_ticket.result_title has placeholders ['identifiant'], en has ['id']" in problems
    assert "fr: forms.submit_ticket.sending is empty" in problems
    assert "fr: forms.submit_ticket.deadline_columns has 1 items, en has 3" in problems


def test_plural_forms_follow_each_languages_cldr_rule():
    catalogs = {"en": {"days": {"one": "{count} day", "other": "{count} days"}},
                "fr": {"days": {"other": "{count} jours"}},
                "th": {"days": {"other": "{count} วัน"}}}
    assert catalog.completeness_problems(catalogs, "en") == ["fr: days lacks the plural forms ['one']"]


def test_no_fallback_to_another_language():
    with pytest.raises(catalog.MissingText):
        catalog.text("vi", "forms.no_such_form.title")
    with pytest.raises(catalog.MissingText):
        catalog.catalog("es")


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("form", sorted(form_strings.SHARED))
def test_each_form_gets_its_strings_in_each_language(form, lang):
    strings = form_strings.form_strings(form, lang)
    assert strings["errors"]["generic"] and strings["invalid_field"]
    element = form_strings.strings_element(form, lang)
    assert "</script>" not in element.split(">", 1)[1].rsplit("</script>", 1)[0]
    assert catalog.text(lang, "forms.needs_javascript") in element.replace("&#x27;", "'")


def test_strings_element_cannot_be_closed_by_a_message():
    assert form_strings.script_json({"x": "</script><script>alert(1)</script>"}).count("<") == 0


@pytest.mark.parametrize("kind", sentences.LABEL_KINDS)
def test_every_configured_code_has_a_label_and_no_label_is_left_over(kind):
    codes = set(getattr(read(), kind))
    assert set(catalog.lookup(i18n.DEFAULT, f"labels.{kind}")) == codes  # same keys in every language: above


def test_every_channel_plan_status_and_severity_has_its_words():
    config = support.CONFIG
    channels = {c for tier in config.channels.values() for c in tier} | {
        c for plan in Plan for c in support_channels(plan)}
    assert channels <= set(catalog.lookup(i18n.DEFAULT, "channels"))
    assert {plan.value for plan in Plan} == set(catalog.lookup(i18n.DEFAULT, "plans"))
    assert {status.value for status in AccountStatus} == set(catalog.lookup(i18n.DEFAULT, "statuses"))
    assert set(SEVERITIES) == set(catalog.lookup(i18n.DEFAULT, "severities"))
    assert set(config.queues) == set(catalog.lookup(i18n.DEFAULT, "queues"))
    assert {step.event for step in dunning.STEPS} == set(catalog.lookup(i18n.DEFAULT, "dunning_events"))
