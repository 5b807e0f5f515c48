"""support.yml is validated against its schema: a typo, a missing label or a dangling reference fails
loudly, and every configured code has the wording its reasons need."""

from __future__ import annotations

import copy
import typing

import pytest
import yaml
from pydantic import ValidationError

from helpcenter import support
from helpcenter.i18n import DEFAULT, LANGUAGES
from helpcenter.i18n.catalog import lookup
from helpcenter.i18n.sentences import reason_sentence
from helpcenter.rules import severity
from helpcenter.support_schema import SUPPORT_FILE, MeteredBy, read

DOCUMENT = yaml.safe_load(SUPPORT_FILE.read_text(encoding="utf-8"))


def broken(change) -> dict:
    document = copy.deepcopy(DOCUMENT)
    change(document)
    return document


def test_the_shipped_file_is_valid():
    assert read().limits.description_min_words == support.CONFIG.limits["description_min_words"]


@pytest.mark.parametrize("change, named", [
    (lambda d: d["request_types"]["upgrade"].update(customer_requried=True), "customer_requried"),
    (lambda d: d["limits"].update(tickets_per_partner_per_our=3), "tickets_per_partner_per_our"),
    (lambda d: d["products"]["crm"].update(label={"en": "CRM"}), "label"),  # words live in the catalogs
    (lambda d: d["impacts"]["outage"].update(severity="S4"), "severity"),
    (lambda d: d["regions"].pop("india"), "india"),
    (lambda d: d["regions"]["india"]["escalation"].pop(3), "levels 2, 3 and 4"),
    (lambda d: d["regions"]["india"].update(time_zone="Asia/Atlantis"), "Asia/Atlantis"),
    (lambda d: d.update(billing_queue="nowhere"), "nowhere"),
    (lambda d: d.update(default_impact="boredom"), "boredom"),
    (lambda d: d["targets"]["S2"].update(diagnosis=[48, 24]), "earliest"),
    (lambda d: d["products"]["mail"].update(metered_by="mailboxes"), "metered_by"),
    (lambda d: d["regions"]["india"]["escalation"][2][0].update(language="de"), "site's languages"),
    (lambda d: d["help_desk"]["zendesk"]["custom_fields"].pop("diagnose_by"), "missing diagnose_by"),
    (lambda d: d["help_desk"]["zendesk"]["custom_fields"].update(acknowledge_token=1000000001), "repeated"),
    (lambda d: d["help_desk"]["zendesk"]["custom_fields"].update(acknowledge_tokn=1000000009), "acknowledge_tokn"),
])
def test_a_bad_file_is_refused_naming_the_problem(change, named):
    with pytest.raises(ValidationError) as error:
        support.parse(broken(change))
    assert named in str(error.value)


def test_every_metering_has_its_wording():
    assert set(typing.get_args(MeteredBy)) == set(lookup(DEFAULT, "metered_by"))


def test_every_code_without_commitment_has_its_wording():
    config = support.CONFIG
    no_commitment = {code for code, impact in config.impacts.items() if impact.severity is None}
    no_commitment |= {code for code, kind in config.request_types.items() if kind.no_commitment}
    assert no_commitment <= set(lookup(DEFAULT, "causes"))


@pytest.mark.parametrize("request_type", sorted(support.CONFIG.request_types))
@pytest.mark.parametrize("impact", sorted(support.CONFIG.impacts))
def test_every_reason_of_every_configured_combination_renders(request_type, impact):
    for product in support.CONFIG.products:
        verdict = severity.classify(request_type=request_type, product=product, impact=impact, account=None,
                                    identifier_kind=None)
        assert all(reason_sentence(lang, reason.code, reason.params) for reason in verdict.reasons
                   for lang in LANGUAGES)
