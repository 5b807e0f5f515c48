"""The daily dunning function against the local DynamoDB and SES."""

import io
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
    return [m["subject"] for m in stack.aws.sent_emails()]


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
    before = len(fresh_stack.aws.sent_emails())
    assert dunning.run(TODAY) == {"nothing_due": 5}
    fresh_stack.run_dunning()  # the idempotent handler: the day's summary is replayed
    assert len(fresh_stack.aws.sent_emails()) == before


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


def test_failed_email_is_retried_next_run(fresh_stack, dunning, monkeypatch):
    def broken(to, *args, **kwargs):
        raise ConnectionError(f"SES refused {to[0]}")

    log = io.StringIO()
    monkeypatch.setattr(api.logger.registered_handler, "stream", log)
    monkeypatch.setattr(mail, "send", broken)
    assert dunning.run(TODAY + timedelta(days=2)).get("failed") == 2
    logged = log.getvalue()
    assert "notice not sent" in logged and "ConnectionError" in logged
    assert "@" not in logged  # the error's message quotes an address: never logged
    account, _ = store.get_account_with_invoices("100200301")
    assert "second_notice" not in account.notices_sent
    monkeypatch.undo()
    assert dunning.run(TODAY + timedelta(days=2)).get("notified") == 2


def test_concurrent_runs_record_each_notice_once(fresh_stack, dunning):
    from concurrent.futures import ThreadPoolExecutor

    before = len(fresh_stack.aws.sent_emails())
    with ThreadPoolExecutor(8) as pool:
        summaries = list(pool.map(lambda _: dunning.run(TODAY + timedelta(days=2)), range(8)))
    assert sum(s.get("notified", 0) for s in summaries) == 2
    assert len(fresh_stack.aws.sent_emails()) == before + 2
