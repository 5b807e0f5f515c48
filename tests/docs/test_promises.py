"""The articles promise only what the product has: statuses by the names the status page shows,
channels with the audiences the rules give, and third-party channels only where they are configured."""

from __future__ import annotations

import re

import pytest

from helpcenter.domain import AccountStatus
from helpcenter.i18n import catalog
from helpcenter.rules.plans import THIRD_PARTY_CHANNELS
from hooks import placeholders
from hooks.reader_text import texts
from tests.docs.markdown_pages import DOCS, LANGUAGES

CODE = re.compile(r"^```.*?^```", re.S | re.M)
STATUS_CODES = [status.value for status in AccountStatus]
# Words that name a third-party channel in an article, per language: an article using one must carry
# the channel's {{ third_party:… }} placeholder, which says what to do when it is not configured.
MENTIONS = {
    "chatbot": {"en": r"chatbot", "vi": r"chatbot", "it": r"chatbot", "fr": r"chatbot", "th": r"แชทบอท"},
    "live_chat": {"en": r"live chat", "vi": r"trò chuyện trực tiếp", "it": r"chat dal vivo",
                  "fr": r"chat en direct", "th": r"แชทสด"},
    "partner_widget": {"en": r"widget", "vi": r"tiện ích hỗ trợ đối tác", "it": r"widget", "fr": r"widget",
                       "th": r"วิดเจ็ต"},
}
# The product's own in-app widget (inside the vendor's application, not this help center).
IN_APP = re.compile(r"^### .*\{#in-app-widget\}\n(?:(?!^##).*\n)*", re.M)
PAGES = {lang: sorted((DOCS / lang).rglob("*.md")) for lang in LANGUAGES}


def prose(path) -> str:
    return IN_APP.sub("", CODE.sub("", path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_article_shows_a_raw_status_code(lang):
    """Statuses are written {{ status:past_due }}: the catalog's name, as on the status page."""
    found = [f"{path.relative_to(DOCS)}: {match.group(0)}" for path in PAGES[lang]
             for match in re.finditer(rf"`({'|'.join(STATUS_CODES)})`|\b(past_due|suspension_warning)\b",
                                      placeholders.STATUS.sub("", prose(path)))]
    assert not found, found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_status_placeholder_names_a_status(lang):
    named = {m.group(1) for path in PAGES[lang] for m in placeholders.STATUS.finditer(prose(path))}
    assert named and named <= set(STATUS_CODES)
    page = placeholders.expand("{{ status:past_due }}", brand="B", api_base="/api", lang=lang)
    assert page == catalog.text(lang, "statuses.past_due")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("channel", sorted(MENTIONS))
def test_an_article_naming_a_third_party_channel_says_what_to_do_without_it(lang, channel):
    pattern = re.compile(MENTIONS[channel][lang], re.I)
    for path in PAGES[lang]:
        text = prose(path)
        if pattern.search(text):
            assert f"{{{{ third_party:{channel} }}}}" in text, f"{path.relative_to(DOCS)} names {channel}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("channel", sorted(THIRD_PARTY_CHANNELS))
def test_a_third_party_channel_is_a_link_only_when_configured(lang, channel):
    words = texts(lang)
    missing = placeholders.render_third_party(channel, lang, third_party={})
    assert missing == words[f"third_party_{channel}_missing"] and "](" not in missing
    url = f"https://widget.example.com/{lang}"
    shown = placeholders.render_third_party(channel, lang, third_party={channel: {lang: url}})
    assert shown == f"[{words[f'third_party_{channel}_open']}]({url}){{ .md-button }}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_contact_options_table_offers_configured_channels_only(lang):
    bare = placeholders.render_contact_options(lang, third_party={})
    full = placeholders.render_contact_options(lang, third_party={c: {} for c in THIRD_PARTY_CHANNELS})
    for channel in ("chatbot", "live_chat"):
        name = catalog.text(lang, f"channels.{channel}")
        assert name.lower() not in bare.lower() and name.lower() in full.lower(), channel
    for audience in catalog.lookup(lang, "channel_audiences").values():
        assert audience.lower() in full.lower()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_severity_article_lists_the_rules_in_the_order_they_are_checked(lang):
    """Rule 0 (feature requests, limitations: no commitment) comes before multi-user priority, as in
    ``helpcenter.rules.severity``; then the impacts from S1 down to S3."""
    text = (DOCS / lang / "partners" / "severity-and-response-times.md").read_text(encoding="utf-8")
    section = text[text.index("{#how-assigned}"):text.index("{#not-covered}")]
    items = re.split(r"^\d\. ", section, flags=re.M)[1:]
    assert len(items) == 5
    assert "(#not-covered)" in items[0] and "**S3**" in items[0]
    assert "priority-support.md" in items[1] and "**S1**" in items[1]
    assert ["**S1**" in items[2], "**S2**" in items[3], "**S3**" in items[4]] == [True, True, True]
