from datetime import date, timedelta

from helpcenter.domain import Account, AccountStatus, Invoice, InvoiceStatus, Plan, Region
from helpcenter.money import Money
from helpcenter.rules.plans import support_channels
from helpcenter.rules.status import status_report

D = date(2026, 1, 5)


def account(plan=Plan.BUSINESS, **changes):
    values = dict(number="100200300", name="Acme", plan=plan, region=Region.INDIA, postal_code_digest="x",
                  dunning_since=D)
    return Account(**{**values, **changes})


def test_suspension_warning_report():
    invoices = [
        Invoice("INV-2", "100200300", Money(5900, "EUR"), D + timedelta(days=30)),
        Invoice("INV-1", "100200300", Money(5900, "EUR"), D, credit=Money(900, "EUR")),
        Invoice("INV-0", "100200300", Money(5900, "EUR"), D - timedelta(days=30), InvoiceStatus.PAID),
    ]
    report = status_report(account(), invoices, D + timedelta(days=23))
    assert report["status"] == "suspension_warning"
    assert report["next_event"] == {"event": "cancellation", "date": "2026-02-03"}
    assert report["deletion_date"] == "2026-05-04"
    assert [i["invoice_number"] for i in report["outstanding_invoices"]] == ["INV-1", "INV-2"]
    assert report["outstanding_invoices"][0]["amount_due"] == "50.00"
    assert [s["reached"] for s in report["timeline"]] == [True, True, True, True, False, False]
    assert "phone" in report["support_channels"]


def test_active_account_has_no_next_event_or_timeline():
    report = status_report(account(dunning_since=None), [], D)
    assert report["status"] == "active" and report["next_event"] is None
    assert report["deletion_date"] is None and report["timeline"] == []


def test_overdue_deletion_is_announced_until_the_job_erases():
    invoices = [Invoice("INV-1", "100200300", Money(100, "USD"), D)]
    report = status_report(account(), invoices, D + timedelta(days=125))
    assert report["status"] == "cancelled"
    assert report["next_event"]["event"] == "deletion"


def test_deleted_account_offers_no_channels():
    report = status_report(account(status=AccountStatus.DELETED), [], D + timedelta(days=130))
    assert report["status"] == "deleted" and report["support_channels"] == []


def test_channels_by_plan():
    assert "live_chat" not in support_channels(Plan.FREE) and "phone" not in support_channels(Plan.FREE)
    assert "live_chat" in support_channels(Plan.PRO, {"live_chat"}) and "phone" not in support_channels(Plan.PRO)
    for plan in (Plan.BUSINESS, Plan.EDUCATION, Plan.ENTERPRISE, Plan.API):
        assert "phone" in support_channels(plan)
    for plan in Plan:
        assert {"report_abuse", "billing_discrepancy", "contact_sales"} <= set(support_channels(plan))


def test_masked_name_and_postal_code_check():
    from helpcenter.domain import postal_code_digest

    key = b"k" * 32
    acct = Account("100200300", "Lotus Trading Co.", Plan.PRO, Region.INDIA,
                   postal_code_digest("100200300", "M5V 2T6", key))
    assert acct.masked_name == "Lo*** Tr***** Co."
    assert acct.postal_code_matches("m5v-2t6", (key,)) and not acct.postal_code_matches("M5V 2T7", (key,))
