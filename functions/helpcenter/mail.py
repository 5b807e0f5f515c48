"""Outgoing e-mail through SES (captured by the local stack). Addresses are never logged."""

from __future__ import annotations

import os

import boto3

_client = None

DUNNING_SUBJECTS = {
    "first_notice": "We could not charge your card",
    "second_notice": "Second reminder: your payment failed",
    "third_notice": "Third reminder: please update your payment method",
    "suspension_warning": "Your account will be cancelled in 8 days",
    "cancellation": "Your account has been cancelled for non-payment",
    "deletion": "Your account data has been deleted",
}


def client():
    global _client
    if _client is None:
        _client = boto3.client("ses")
    return _client


def sender() -> str:
    return os.environ.get("MAIL_FROM", "billing@helpcenter.example")


def send(to: list[str], subject: str, text: str) -> None:
    if not to:
        return
    client().send_email(
        Source=sender(),
        Destination={"ToAddresses": list(to)},
        Message={"Subject": {"Data": subject, "Charset": "UTF-8"}, "Body": {"Text": {"Data": text, "Charset": "UTF-8"}}},
    )


def dunning_text(notice: str, account_name: str, status_page: str) -> str:
    return (
        f"Hello {account_name},\n\n{DUNNING_SUBJECTS[notice]}.\n\n"
        f"See your account status, outstanding invoices and the next dates at {status_page}\n"
        "You can pay an overdue invoice with the invoice number and account number printed on it.\n"
    )
