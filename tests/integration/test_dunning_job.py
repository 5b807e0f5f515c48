"""The daily dunning function against the local DynamoDB and SES."""

import re
import time
from datetime import date, timedelta

import pytest

from helpcenter import store
from helpcenter.i18n import catalog
from helpcenter.domain import AccountStatus
from tests.support.stored import stored_account, stored_message

TODAY = date.today()


@pytest.fixture
def dunning(fresh_stack):
    from dunning import handler

    return handler


# The demo accounts in dunning: billing contact, language, the notice their day is due.
IN_DUNNING = {
    "100200301": ("accounts@harbour-bakery.example", "en", "first_notice"),  # D
    "100200308": ("billing@desert-rose.example", "en", "second_notice"),  # D+2
    "100200302": ("compta@rive-gauche.example", "fr", "third_notice"),  # D+5
    "100200303": ("amministrazione@bellavista.example", "it", "suspension_warning"),  # D+23
    "100200304": ("ketoan@saigon-green.example", "vi", "cancellation"),  # D+40
    "100200305": ("finance@old-mill.example", "en", "deletion"),  # D+125: erased after its notice
}


def mails_to(stack, address: str) -> list[dict]:
    return [m for m in stack.delivered() if address in m["to"]]


def subject_pattern(lang: str, notice: str) -> re.Pattern:
    """The catalog's subject of a notice, any values in its placeholders."""
    parts = re.split(r"\{\w+\}", catalog.lookup(lang, f"emails.dunning.{notice}.subject"))
    return re.compile(".+".join(map(re.escape, parts)))


def test_start_of_day_run_sent_each_due_notice_once_in_the_accounts_language(fresh_stack):
    for number, (contact, lang, notice) in IN_DUNNING.items():
        (sent,) = mails_to(fresh_stack, contact)
        assert sent["language"] == lang, number
        assert re.fullmatch(subject_pattern(lang, notice), sent["subject"]), (number, sent["subject"])
        assert number in sent["body"] and "<html" in sent["html"]


def test_running_again_the_same_day_sends_nothing(fresh_stack, dunning):
    before = len(fresh_stack.delivered())
    assert dunning.run(TODAY) == {"nothing_due": 5}
    fresh_stack.run_dunning()  # the idempotent handler: the day's summary is replayed
    assert len(fresh_stack.delivered()) == before


def test_next_days_follow_the_timeline(fresh_stack, dunning):
    summary = dunning.run(TODAY + timedelta(days=2))
    assert summary["notified"] == 2  # D→D+2 second notice, D+2→D+4 third notice
    account, _ = stored_account("100200301")
    assert "second_notice" in account.notices_sent
    dunning.run(TODAY + timedelta(days=6))  # D+29 for the D+23 account
    account, _ = stored_account("100200303")
    assert account.status is AccountStatus.CANCELLED


def test_paid_meanwhile_is_never_touched(fresh_stack, dunning):
    account, invoices = stored_account("100200303")
    paid = [i for i in invoices if i.number == "INV-4001"][0]
    store.client().update_item(TableName=store.table_name(), Key=store.invoice_key("100200303", paid.number),
                               UpdateExpression="SET #s = :paid", ExpressionAttributeNames={"#s": "status"},
                               ExpressionAttributeValues={":paid": {"S": "paid"}})
    before = mails_to(fresh_stack, "amministrazione@bellavista.example")
    dunning.run(TODAY + timedelta(days=6))
    account_after, _ = stored_account("100200303")
    assert account_after.status is AccountStatus.SUSPENSION_WARNING  # unchanged
    assert mails_to(fresh_stack, "amministrazione@bellavista.example") == before


def test_deletion_erases_invoices_and_personal_data(fresh_stack):
    account, invoices = stored_account("100200305")
    assert account.status is AccountStatus.DELETED
    assert invoices == [] and account.billing_contacts == () and account.users == () and account.name == ""
    item = store.client().get_item(TableName=store.table_name(), Key=store.account_key("100200305"))["Item"]
    assert "users" not in item and "billing_contacts" not in item
    assert "100200305" not in set(store.account_numbers_in_dunning())


def test_a_notice_promised_during_an_ses_outage_is_sent_once_after_it(fresh_stack, dunning):
    """The step and its e-mail are written together; the deliverer retries until SES is back."""
    before = len(fresh_stack.delivered())
    fresh_stack.aws.fail_ses(60)
    assert dunning.run(TODAY + timedelta(days=2)).get("notified") == 2
    account, _ = stored_account("100200301")
    assert "second_notice" in account.notices_sent
    assert account.dunning_since is not None
    message_id = f"dunning#100200301#{account.dunning_since.isoformat()}#second_notice"
    deadline = time.monotonic() + 20
    while (stored_message(message_id).last_error != "ServiceUnavailable" and time.monotonic() < deadline):
        time.sleep(0.2)
    refused = stored_message(message_id)
    assert refused.status == "pending" and refused.attempts >= 1 and refused.last_error == "ServiceUnavailable"
    assert len(fresh_stack.aws.sent_emails()) == before  # nothing got through
    fresh_stack.aws.fail_ses(0)
    sent = fresh_stack.delivered()[before:]
    assert sorted((m["to"][0], m["language"]) for m in sent) == [
        ("accounts@harbour-bakery.example", "en"), ("billing@desert-rose.example", "en")]
    assert stored_message(message_id).status == "sent"
    assert dunning.run(TODAY + timedelta(days=2)) == {"nothing_due": 5}
    assert len(fresh_stack.delivered()) == before + 2


def test_concurrent_runs_record_each_notice_once(fresh_stack, dunning):
    from concurrent.futures import ThreadPoolExecutor

    before = len(fresh_stack.delivered())
    with ThreadPoolExecutor(8) as pool:
        summaries = list(pool.map(lambda _: dunning.run(TODAY + timedelta(days=2)), range(8)))
    assert sum(s.get("notified", 0) for s in summaries) == 2
    assert len(fresh_stack.delivered()) == before + 2
