"""Outgoing e-mail through SES (captured by the local stack). Addresses are never logged.

What an e-mail says is rendered by ``helpcenter.i18n.emails.render`` in the recipient's language; this
module only wraps the result as one MIME message, ``multipart/alternative`` with a plain-text and an
HTML part and the ``Content-Language`` of the recipient, and hands it to SES (``SendRawEmail``:
``SendEmail`` cannot set the language header).
"""

from __future__ import annotations

import os
from email.message import EmailMessage
from email.policy import SMTP

from helpcenter.clients import lazy_client
from helpcenter.i18n.emails import Email
from helpcenter.observability import metrics

client = lazy_client("ses")


def sender() -> str:
    return os.environ.get("MAIL_FROM", "billing@helpcenter.example")


def mime(to: list[str], email: Email) -> bytes:
    """The message as its recipients' mail programs receive it."""
    message = EmailMessage(policy=SMTP)
    message["From"] = sender()
    message["To"] = ", ".join(to)
    message["Subject"] = email.subject
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    message["Content-Language"] = email.language  # after the parts: setting content clears Content-* headers
    return message.as_bytes()


def send(to: list[str], email: Email) -> str | None:
    """One message to ``to`` (the addresses are its ``To`` header; SES reads the recipients from it);
    returns SES's message id (None when there is nobody to send to). A failure is counted
    (``EmailsNotSent``, EmailFailuresAlarm) and raised."""
    if not to:
        return None
    try:
        answer = client().send_raw_email(Source=sender(), RawMessage={"Data": mime(list(to), email)})
    except Exception:
        metrics.add_metric(name="EmailsNotSent", unit="Count", value=1)
        raise
    return answer.get("MessageId")
