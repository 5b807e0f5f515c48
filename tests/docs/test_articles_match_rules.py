"""What the partner articles promise is what the rules do: one set of numbers, in every language."""

import re

import pytest

from helpcenter.domain import Region
from helpcenter.support import CONFIG
from helpcenter.rules import dunning
from tests.docs.markdown_pages import DOCS, LANGUAGES, read
from tests.support.text import found

REGION_ORDER = ["australia_nz", "asia_pacific_japan", "india", "middle_east_africa", "europe_uk", "us_latam",
                "canada_brazil"]


def table_cells(page) -> list[list[list[str]]]:
    """Every Markdown table of a page as rows of cells (header and separator dropped)."""
    tables, current = [], []
    for line in page.body.splitlines() + [""]:
        if line.lstrip().startswith("|"):
            current.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif current:
            tables.append(current[2:])
            current = []
    return tables


@pytest.mark.parametrize("lang", LANGUAGES)
def test_multi_user_thresholds_match_the_rules(lang):
    table = table_cells(read(DOCS / lang / "partners" / "priority-support.md"))[0]
    stated = [int(found(r"\d+", row[-1]).group()) for row in table]
    assert stated == [CONFIG.regions[Region(region)].threshold for region in REGION_ORDER]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_response_targets_match_the_rules(lang):
    tables = table_cells(read(DOCS / lang / "partners" / "severity-and-response-times.md"))
    targets = next(t for t in tables if [row[0] for row in t] == ["S1", "S2", "S3"] and len(t[0]) == 3)
    for row in targets:
        config = CONFIG.targets[row[0]]
        assert re.search(rf"\b{config.acknowledgement[0]}–{config.acknowledgement[1]}\b", row[1])
        diagnosis = config.diagnosis if config.diagnosis[1] < 72 else (config.diagnosis[0] // 24, config.diagnosis[1] // 24)
        assert re.search(rf"\b{diagnosis[0]}–{diagnosis[1]}\b", row[2]), (row, diagnosis)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_suspension_timeline_matches_the_dunning_rule(lang):
    table = table_cells(read(DOCS / lang / "billing" / "suspension.md"))[0]
    days = [0 if row[0].strip("*") == "D" else int(found(r"D\+(\d+)", row[0]).group(1)) for row in table]
    assert days == [step.offset_days for step in dunning.STEPS]
    assert [found(r"\{\{ status:(\w+) \}\}", row[-1]).group(1) for row in table] == [s.status.value for s in dunning.STEPS]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_refund_article_states_the_refund_policy(lang):
    from helpcenter.rules import refunds

    body = read(DOCS / lang / "billing" / "refunds.md").body
    low, high = refunds.REFUND_ARRIVAL_BUSINESS_DAYS
    window_rows = [row for row in table_cells(read(DOCS / lang / "billing" / "refunds.md"))[0]
                   if re.search(rf"(?<!\d){refunds.REFUND_WINDOW_DAYS}(?!\d)", row[0])]
    assert len(window_rows) == 2, "the window appears in the refunded and the not-refunded rows"
    assert f"{low}–{high}" in body


@pytest.mark.parametrize("lang", LANGUAGES)
def test_payment_error_article_explains_every_decline_reason(lang):
    from helpcenter.payments import DECLINE_REASONS

    declined = table_cells(read(DOCS / lang / "billing" / "payment-errors.md"))[0]
    assert {row[0].strip("`") for row in declined} == set(DECLINE_REASONS)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_billing_roles_give_members_the_channels_of_the_phone_plans(lang):
    from helpcenter.rules.plans import MEMBER_BILLING_CASE_PLANS, PHONE_PLANS

    member = table_cells(read(DOCS / lang / "billing" / "billing-roles.md"))[0][-1]
    for cell in member[-2:]:
        assert all(plan.value.capitalize() in cell or plan.value.upper() in cell
                   for plan in PHONE_PLANS | MEMBER_BILLING_CASE_PLANS), cell
