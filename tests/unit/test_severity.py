"""Severity rules, table-driven against the seeds' matrices: every region at, below and above its
multi-user threshold, every product metered by something other than users, every impact."""

from __future__ import annotations

import pytest

from helpcenter.domain import Account, Plan, Region
from helpcenter.i18n.sentences import reason_sentence
from helpcenter.rules.severity import Reason, classify
from helpcenter.support import CONFIG


def sentence(reason: Reason) -> str:
    return reason_sentence("en", reason.code, reason.params)

# The thresholds of the seeds (user licences from which an account is multi-user), restated here so
# that a change to the configuration is a visible decision, not an accident.
THRESHOLDS = {
    Region.AUSTRALIA_NZ: 50,
    Region.ASIA_PACIFIC_JAPAN: 50,
    Region.INDIA: 100,
    Region.MIDDLE_EAST_AFRICA: 60,
    Region.EUROPE_UK: 60,
    Region.US_LATAM: 70,
    Region.CANADA_BRAZIL: 50,
}
NOT_USER_METERED = {"email_campaigns", "data_preparation", "website_optimisation", "writer_addon",
                    "marketing_automation"}
IMPACT_SEVERITY = {
    "outage": "S1", "login_failure": "S1", "data_integrity": "S1", "severe_delays": "S1", "critical_failure": "S1",
    "incorrect_results": "S2", "below_documentation": "S2",
    "how_to": "S3", "no_functional_impact": "S3",
    "feature_request": None, "product_limitation": None,
}
WEEKEND_IMPACTS = {"outage", "login_failure"}


def account(region: Region, licenses: int) -> Account:
    return Account(number="100200399", name="Test", plan=Plan.BUSINESS, region=region, postal_code_digest="x",
                   licenses=licenses)


def tag(impact="how_to", product="crm", acct=None, request_type="technical_support", kind=None, billing_case=False):
    kind = kind or ("account_number" if acct else None)
    return classify(request_type=request_type, product=product, impact=impact, account=acct, identifier_kind=kind,
                    billing_case=billing_case)


def test_configuration_matches_the_seeds():
    assert {region: s.threshold for region, s in CONFIG.regions.items()} == THRESHOLDS
    assert {p for p in CONFIG.products if not CONFIG.user_metered(p)} == NOT_USER_METERED
    assert {code: i.severity for code, i in CONFIG.impacts.items()} == IMPACT_SEVERITY
    assert {code for code, i in CONFIG.impacts.items() if i.weekends} == WEEKEND_IMPACTS
    assert set(CONFIG.request_types) == {
        "technical_support", "payment_extension", "trial_extension", "store_related", "upgrade", "invoice_change",
        "commission_payout", "product_management", "sales_discussion",
        "billing_question"}  # ours, not the seed's: the customers' billing cases need it


@pytest.mark.parametrize("region", list(Region))
@pytest.mark.parametrize("offset, multi_user", [(-1, False), (0, True), (1, True)])
def test_multi_user_threshold_per_region(region, offset, multi_user):
    licenses = THRESHOLDS[region] + offset
    result = tag(impact="how_to", acct=account(region, licenses))
    assert result.multi_user is multi_user
    assert result.severity == ("S1" if multi_user else "S3")
    assert result.rule == (1 if multi_user else 4)
    facts = {"licenses": licenses, "threshold": THRESHOLDS[region], "region": region.value}
    expected = Reason("multi_user_account" if multi_user else "below_multi_user_threshold", facts)
    assert result.reasons[0] == expected
    assert str(licenses) in sentence(expected) and str(THRESHOLDS[region]) in sentence(expected)


@pytest.mark.parametrize("product", sorted(NOT_USER_METERED))
@pytest.mark.parametrize("region", list(Region))
def test_products_not_metered_by_users_never_get_multi_user_s1(product, region):
    result = tag(impact="incorrect_results", product=product, acct=account(region, THRESHOLDS[region] * 10))
    assert (result.severity, result.multi_user, result.rule) == ("S2", False, 3)
    assert result.reasons[0].code == "product_not_user_metered"
    assert "not by users" in sentence(result.reasons[0])


@pytest.mark.parametrize("impact, severity", [(i, s) for i, s in IMPACT_SEVERITY.items() if s])
@pytest.mark.parametrize("licenses", [1, 1000])
def test_every_impact_below_and_above_threshold(impact, severity, licenses):
    result = tag(impact=impact, acct=account(Region.EUROPE_UK, licenses))
    if licenses >= THRESHOLDS[Region.EUROPE_UK]:
        assert (result.severity, result.rule) == ("S1", 1)
    else:
        assert (result.severity, result.rule) == (severity, {"S1": 2, "S2": 3, "S3": 4}[severity])
        assert result.reasons[-1 - (impact in WEEKEND_IMPACTS)].code == f"impact_{severity}"
    assert result.commitment is True
    assert result.weekends_count is (impact in WEEKEND_IMPACTS)
    assert (result.reasons[-1].code == "weekends_count") is (impact in WEEKEND_IMPACTS)


@pytest.mark.parametrize("impact", ["feature_request", "product_limitation"])
@pytest.mark.parametrize("licenses", [1, 1000])
def test_feature_requests_and_limitations_have_no_commitment_even_for_multi_user(impact, licenses):
    result = tag(impact=impact, acct=account(Region.INDIA, licenses))
    assert (result.severity, result.commitment, result.multi_user, result.rule) == ("S3", False, False, 0)
    assert result.reasons == (Reason("no_commitment", {"cause": impact}),)


def test_product_management_requests_have_no_commitment():
    result = tag(impact=None, request_type="product_management", acct=account(Region.INDIA, 500))
    assert (result.severity, result.commitment) == ("S3", False)
    assert "Product-management requests" in sentence(result.reasons[0])


@pytest.mark.parametrize("request_type", ["payment_extension", "upgrade", "invoice_change", "trial_extension"])
def test_non_technical_requests_follow_the_multi_user_rule(request_type):
    assert tag(impact=None, request_type=request_type, acct=account(Region.INDIA, 100)).severity == "S1"
    small = tag(impact=None, request_type=request_type, acct=account(Region.INDIA, 99))
    assert small.severity == "S3" and small.reasons[-1].code == "request_type_default"


@pytest.mark.parametrize("kind, code", [("email", "customer_not_verified"), ("organisation_id", "customer_not_verified"),
                                        (None, "no_customer_account")])
def test_customers_we_cannot_count_fall_back_to_impact(kind, code):
    result = tag(impact="data_integrity", acct=None, kind=kind)
    assert (result.severity, result.rule, result.multi_user) == ("S1", 2, False)
    assert [r.code for r in result.reasons] == [code, "impact_S1"]


def test_every_reason_reads_as_a_sentence():
    for result in (tag(acct=account(Region.INDIA, 120)), tag(product="data_preparation", acct=account(Region.INDIA, 120)),
                   tag(impact="outage", kind="email"), tag(impact="feature_request"),
                   tag(impact=None, request_type="sales_discussion")):
        for reason in result.reasons:
            message = sentence(reason)
            assert message.endswith(".") and "{" not in message and "_" not in message, message


# --- billing cases: a customer's billing contact files for its own account -----------------------------


@pytest.mark.parametrize("request_type", ["invoice_change", "payment_extension", "upgrade", "billing_question"])
def test_billing_case_without_impact_is_s3_even_for_a_multi_user_account(request_type):
    result = tag(impact=None, request_type=request_type, acct=account(Region.INDIA, 1000), billing_case=True)
    assert (result.severity, result.commitment, result.multi_user, result.rule) == ("S3", True, False, 4)
    assert [r.code for r in result.reasons] == ["billing_case", "request_type_default"]
    assert "billing case" in sentence(result.reasons[0])


@pytest.mark.parametrize("impact, severity", [(i, s) for i, s in IMPACT_SEVERITY.items() if s])
def test_billing_case_follows_the_impact_rules(impact, severity):
    result = tag(impact=impact, request_type="billing_question", acct=account(Region.EUROPE_UK, 1000),
                 billing_case=True)
    assert (result.severity, result.multi_user) == (severity, False)
    assert result.rule == {"S1": 2, "S2": 3, "S3": 4}[severity]
    assert result.reasons[0].code == "billing_case" and result.reasons[1].code == f"impact_{severity}"
    assert result.weekends_count is (impact in WEEKEND_IMPACTS)


def test_billing_case_without_commitment_still_says_it_is_a_billing_case():
    result = tag(impact="feature_request", request_type="upgrade", acct=account(Region.INDIA, 5), billing_case=True)
    assert (result.severity, result.commitment) == ("S3", False)
    assert [r.code for r in result.reasons] == ["billing_case", "no_commitment"]


def test_billing_case_reason_reads_as_a_sentence():
    message = sentence(Reason("billing_case"))
    assert message.endswith(".") and "{" not in message and "Multi-user priority" in message
