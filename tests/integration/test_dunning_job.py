"""The daily dunning function against the local DynamoDB and SES."""

import io
import time
from datetime import date, timedelta

import pytest

from helpcenter import api, mail, store
from helpcenter.domain import AccountStatus

TODAY = date.today()


@pytest.fixture
def dunning(fresh_stack):
    from dunning import handler

    return handler


def subjects(stack) -> list[str]:
    return [m["subject"] for m in stack.delivered()]


def test_start_of_day_run_sent_each_due_notice_once(fresh_stack):
    sent = subjects(fresh_stack)
    # five accounts in dunning get their latest notice; the D+125 account is erased after its notice
    assert sent.count(mail.DUNNING_SUBJECTS["first_notice"]) == 1
    assert sent.count(mail.DUNNING_SUBJECTS["second_notice"]) == 1
    assert sent.count(mail.DUNNING_SUBJECTS["third_notice"]) == 1
    assert sent.count(mail.DUNNING_SUBJECTS["suspension_warning"]) == 1
    assert sent.count(mail.DUNNING_SUBJECTS["cancellation"]) == 1
    assert sent.count(mail.DUNNING_SUBJECTS["deletion"]) == 1


def test_running_again_the_same_day_sends_nothing(fresh_stack, dunning):
    before = len(fresh_stack.delivered())
    assert dunning.run(TODAY) == {"nothing_due": 5}
    fresh_stack.run_dunning()  # the idempotent handler: the day's summary is replayed
    assert len(fresh_stack.delivered()) == before


def test_next_days_follow_the_timeline(fresh_stack, dunning):
    summary = dunning.run(TODAY + timedelta(days=2))
    assert summary["notified"] == 2  # D→D+2 second notice, D+2→D+4 third notice
    account, _ = store.get_account_with_invoices("100200301")
    assert "second_notice" in account.notices_sent
    dunning.run(TODAY + timedelta(days=6))  # D+29 for the D+23 account
    account, _ = store.get_account_with_invoices("100200303")
    assert account.status is AccountStatus.CANCELLED


def test_paid_meanwhile_is_never_touched(fresh_stack, dunning):
    account, invoices = store.get_account_with_invoices("100200303")
    paid = [i for i in invoices if i.number == "INV-4001"][0]
    store.client().update_item(TableName=store.table_name(), Key=store.invoice_key("100200303", paid.number),
                               UpdateExpression="SET #s = :paid", ExpressionAttributeNames={"#s": "status"},
                               ExpressionAttributeValues={":paid": {"S": "paid"}})
    before = subjects(fresh_stack)
    dunning.run(TODAY + timedelta(days=6))
    account_after, _ = store.get_account_with_invoices("100200303")
    assert account_after.status is AccountStatus.SUSPENSION_WARNING  # unchanged
    assert subjects(fresh_stack).count(mail.DUNNING_SUBJECTS["cancellation"]) == before.count(
        mail.DUNNING_SUBJECTS["cancellation"])


def test_deletion_erases_invoices_and_personal_data(fresh_stack):
    account, invoices = store.get_account_with_invoices("100200305")
    assert account.status is AccountStatus.DELETED
    assert invoices == [] and account.billing_contacts == () and account.users == () and account.name == ""
    item = store.client().get_item(TableName=store.table_name(), Key=store.account_key("100200305"))["Item"]
    assert "users" not in item and "billing_contacts" not in item
    assert "100200305" not in set(store.account_numbers_in_dunning())


def test_a_notice_promised_during_an_ses_outage_is_sent_once_after_it(fresh_stack, dunning, monkeypatch):
    """The step and its e-mail are written together; the deliverer retries until SES is back."""
    log = io.StringIO()
    monkeypatch.setattr(api.logger.registered_handler, "stream", log)
    before = len(fresh_stack.delivered())
    fresh_stack.aws.fail_ses(60)
    assert dunning.run(TODAY + timedelta(days=2)).get("notified") == 2
    account, _ = store.get_account_with_invoices("100200301")
    assert "second_notice" in account.notices_sent
    deadline = time.monotonic() + 20
    while "ServiceUnavailable" not in log.getvalue() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(fresh_stack.aws.sent_emails()) == before  # nothing got through
    fresh_stack.aws.fail_ses(0)
    sent = fresh_stack.delivered()[before:]
    assert sorted(m["subject"] for m in sent) == sorted([mail.DUNNING_SUBJECTS["second_notice"],
                                                        mail.DUNNING_SUBJECTS["third_notice"]])
    logged = log.getvalue()
    assert "message not sent" in logged and "@" not in logged  # no addresses in logs
    assert dunning.run(TODAY + timedelta(days=2)) == {"nothing_due": 5}


def test_concurrent_runs_record_each_notice_once(fresh_stack, dunning):
    from concurrent.futures import ThreadPoolExecutor

    before = len(fresh_stack.delivered())
    with ThreadPoolExecutor(8) as pool:
        summaries = list(pool.map(lambda _: dunning.run(TODAY + timedelta(days=2)), range(8)))
    assert sum(s.get("notified", 0) for s in summaries) == 2
    assert len(fresh_stack.delivered()) == before + 2
