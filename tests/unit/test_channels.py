"""Support channels: third-party ones only where configured, and who may use each from one rule.

The status page, the ticket confirmation, the e-mails and the articles all word a channel from the
catalog's name plus the audience the rule gives (``plans.channel_audience``): a test here catches a
label that states its own audience again, or an audience that disagrees with who may open a case.
"""

from __future__ import annotations

import copy
import re

import pytest
import yaml
from pydantic import ValidationError

from helpcenter.domain import Account, Plan, Region, Role
from helpcenter.i18n import LANGUAGES, catalog
from helpcenter.i18n.sentences import channel_label
from helpcenter.rules import tickets
from helpcenter.rules.plans import (
    BILLING_PEOPLE_CHANNELS, THIRD_PARTY_CHANNELS, Audience, channel_audience, support_channels)
from helpcenter.support import CONFIG, parse
from helpcenter.support_schema import SUPPORT_FILE

DOCUMENT = yaml.safe_load(SUPPORT_FILE.read_text(encoding="utf-8"))
URLS = {lang: f"https://chat.example.com/{lang}" for lang in LANGUAGES}


def configured(**channels) -> dict:
    document = copy.deepcopy(DOCUMENT)
    document["third_party_channels"] = channels
    return document


@pytest.mark.parametrize("plan", list(Plan))
def test_no_third_party_channel_is_offered_unless_configured(plan):
    assert not set(support_channels(plan)) & THIRD_PARTY_CHANNELS
    assert not set(support_channels(plan, CONFIG.third_party)) - set(support_channels(plan, THIRD_PARTY_CHANNELS))
    for tier in CONFIG.channels:
        assert not set(tickets.channels_for(tier, parse(configured()))) & THIRD_PARTY_CHANNELS


def test_a_configured_channel_is_offered_with_its_address_per_language():
    config = parse(configured(chatbot={"url": URLS}, partner_widget={"url": URLS}))
    assert "chatbot" in support_channels(Plan.FREE, config.third_party)
    assert "live_chat" not in support_channels(Plan.PRO, config.third_party)
    assert "partner_widget" in tickets.channels_for(next(iter(config.channels)), config)
    assert config.third_party["chatbot"]["th"] == "https://chat.example.com/th"


@pytest.mark.parametrize("spec, named", [
    ({"chatbot": {"url": {"en": "https://chat.example.com/"}}}, "one address per site language"),
    ({"chatbot": {"url": {**URLS, "fr": "http://chat.example.com/"}}}, "https://"),
    ({"videos": {"url": URLS}}, "videos"),
    ({"chatbot": {"url": URLS, "embed": "<script>"}}, "embed"),
])
def test_a_wrong_third_party_channel_is_refused(spec, named):
    with pytest.raises(ValidationError, match=re.escape(named)):
        parse(configured(**spec))


@pytest.mark.parametrize("plan", list(Plan))
def test_the_audience_of_billing_channels_is_who_may_open_a_billing_case(plan):
    """A member may use the billing channels exactly where a member may open a billing case."""
    member = Account(number="100200300", name="Acme", plan=plan, region=Region.INDIA, postal_code_digest="x",
                     users=(("member@acme.example", Role.MEMBER),))
    for channel in set(support_channels(plan, THIRD_PARTY_CHANNELS)) & BILLING_PEOPLE_CHANNELS:
        members_too = channel_audience(plan, channel) is Audience.BILLING_ROLES_AND_MEMBERS
        assert members_too is tickets.acts_for_billing("member@acme.example", member), (plan, channel)
    assert channel_audience(plan, "knowledge_base") is Audience.EVERYONE


@pytest.mark.parametrize("lang", LANGUAGES)
def test_channel_names_do_not_state_an_audience_of_their_own(lang):
    """Who may use a channel comes from the rule; a name that says it again would contradict it."""
    owners = {re.split(r"[,\s]", phrase)[0] for phrase in catalog.lookup(lang, "channel_audiences").values()}
    for code, name in catalog.lookup(lang, "channels").items():
        assert "(" not in name and not any(word in name.lower() for word in owners), (code, name)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_channel_label_names_its_audience_for_the_plan(lang):
    pro, business = channel_label(lang, "billing_case", "pro"), channel_label(lang, "billing_case", "business")
    roles, members = (catalog.text(lang, f"channel_audiences.{a}") for a in ("billing_roles", "billing_roles_and_members"))
    assert roles in pro and members in business
    assert channel_label(lang, "billing_case") == catalog.text(lang, "channels.billing_case")
