"""Outgoing e-mail through SES (captured by the local stack). Addresses are never logged."""

from __future__ import annotations

import os

import botocore.session

from helpcenter.observability import metrics
from helpcenter.timeouts import aws_config
from helpcenter.rules import dunning

_client = None

DUNNING_SUBJECTS = {
    "first_notice": "We could not charge your card",
    "second_notice": "Second reminder: your payment failed",
    "third_notice": "Third reminder: please update your payment method",
    "suspension_warning": "Your account will be cancelled in "
                          f"{dunning.days_between('suspension_warning', 'cancellation')} days",
    "cancellation": "Your account has been cancelled for non-payment",
    "deletion": "Your account data has been deleted",
}


def client():
    global _client
    if _client is None:
        _client = botocore.session.get_session().create_client("ses", config=aws_config())
    return _client


def sender() -> str:
    return os.environ.get("MAIL_FROM", "billing@helpcenter.example")


def send(to: list[str], subject: str, text: str) -> str | None:
    """Send one e-mail; returns SES's message id (None when there is nobody to send to). A failure is
    counted (``EmailsNotSent``, EmailFailuresAlarm) and raised."""
    if not to:
        return None
    try:
        answer = client().send_email(
            Source=sender(),
            Destination={"ToAddresses": list(to)},
            Message={"Subject": {"Data": subject, "Charset": "UTF-8"},
                     "Body": {"Text": {"Data": text, "Charset": "UTF-8"}}},
        )
    except Exception:
        metrics.add_metric(name="EmailsNotSent", unit="Count", value=1)
        raise
    return answer.get("MessageId")


def dunning_text(notice: str, account_name: str, status_page: str) -> str:
    return (
        f"Hello {account_name},\n\n{DUNNING_SUBJECTS[notice]}.\n\n"
        f"See your account status, outstanding invoices and the next dates at {status_page}\n"
        "You can pay an overdue invoice with the invoice number and account number printed on it.\n"
    )


PAYMENT_SUBJECT = "Payment received for invoice {invoice_number}"


def payment_text(account_name: str, invoice_number: str, amount: str, currency: str, payment_id: str,
                 reactivated: bool, status_page: str) -> str:
    """The confirmation every billing contact gets after an express payment."""
    lines = [
        f"Hello {account_name},",
        "",
        f"We received {amount} {currency} for invoice {invoice_number}. Thank you.",
        f"Payment reference: {payment_id}",
        "",
    ]
    if reactivated:
        lines += ["No overdue invoice remains: your account is active again.", ""]
    lines.append(f"See your account status and any other open invoices at {status_page}")
    return "\n".join(lines) + "\n"


# --- tickets -----------------------------------------------------------------------------------------

CHANNEL_NAMES = {
    # partner tiers
    "ticket": "Ticket form of the help center",
    "partner_widget": "Partner support widget in the help center",
    "critical_issue_dashboard": "Critical-issue dashboard",
    "chat": "Chat support",
    "toll_free_phone": "Toll-free phone support (number in the partner support widget)",
    "success_manager_call": "Call with your partner success manager",
    # customer plans (helpcenter.rules.plans)
    "knowledge_base": "Knowledge base",
    "videos": "Video tutorials",
    "chatbot": "Chatbot",
    "report_abuse": "Report abuse",
    "billing_discrepancy": "Report a billing discrepancy",
    "contact_sales": "Contact sales",
    "live_chat": "Live chat (owners and admins)",
    "billing_case": "Online billing case (the Submit a ticket form)",
    "phone": "Billing phone line",
}


def _deadline_lines(ticket: dict) -> list[str]:
    targets = ticket.get("targets")
    if not targets:
        return ["Response targets: none. Feature requests and product limitations carry no response-time "
                "commitment; we pass them on to the team concerned."]
    zone = ticket["time_zone"]
    lines = [f"Deadlines (business hours, Monday to Friday, {zone}"
             + ("; weekend hours count for this ticket" if ticket["weekends_count"] else "") + "):"]
    for name, label in (("acknowledgement", "Acknowledgement"), ("diagnosis", "Diagnosis"),
                        ("resolution", "Resolution aim (multi-user account)")):
        window = targets.get(name)
        if window:
            lines.append(f"  {label}: between {window['earliest']} and {window['latest']}")
    return lines


def ticket_confirmation_text(ticket: dict) -> str:
    """What the requester gets: ticket id, severity, reasons, deadlines, channels, escalation (partners)."""
    billing = ticket.get("kind") == "billing"
    lines = [
        "Hello,",
        "",
        f"We have accepted your {'billing case' if billing else 'ticket'} {ticket['ticket_id']} "
        f"({ticket['request_type_label']}, {ticket['product_label']}).",
        "",
        f"Severity: {ticket['severity']}" + ("" if ticket["commitment"] else " (no response-time commitment)"),
        "Why:",
        *(f"  - {reason['message']}" for reason in ticket["reasons"]),
        "",
        *_deadline_lines(ticket),
        "",
        "Support channels of your plan:" if billing else "How to reach partner support with your tier:",
        *(f"  - {CHANNEL_NAMES.get(channel, channel)}" for channel in ticket["channels"]),
    ]
    if ticket["escalation"]:
        lines += ["", "If a target is missed you can escalate, one level at a time:"]
    for level in ticket["escalation"]:
        contacts = ", ".join(
            f"{c['name']}{' (' + c['area'] + ')' if c.get('area') else ''} <{c['email']}>" for c in level["contacts"]
        )
        lines.append(f"  {level['level']}. {contacts}")
    lines += ["", f"Please quote {ticket['ticket_id']} in every message about this request."]
    return "\n".join(lines) + "\n"


def ticket_queue_text(ticket: dict) -> str:
    """The notification to the support queue (the requester's details are in the stored ticket)."""
    if ticket.get("kind") == "billing":
        who = (f"Billing case from a billing contact or user of account {ticket['account_number']} "
               f"({ticket['plan']} plan, region {ticket['region']})")
    else:
        who = (f"Partner: {ticket['partner_name']} ({ticket['partner_domain']}, {ticket['partner_tier']}, "
               f"data center {ticket['data_center']})")
    lines = [
        f"New ticket {ticket['ticket_id']} — {ticket['severity']}" + (" (multi-user account)" if ticket["multi_user"] else ""),
        who,
        f"Requester: {ticket['requester_email']}",
        f"Customer account: {ticket.get('customer_account') or '—'}",
        f"Request type: {ticket['request_type_label']}; product: {ticket['product_label']}; "
        f"impact: {ticket.get('impact_label') or '—'}",
        "Reasons:",
        *(f"  - {reason['message']}" for reason in ticket["reasons"]),
        *_deadline_lines(ticket),
        f"Reproducible: {'yes — ' + (ticket.get('reproduction_details') or '') if ticket['reproducible'] else 'no'}",
        f"Attachments: {len(ticket.get('attachments') or [])}",
        "",
        "Description:",
        ticket["description"],
    ]
    if ticket.get("troubleshooting"):
        lines += ["", "Troubleshooting already done:", ticket["troubleshooting"]]
    return "\n".join(lines) + "\n"


def how_to_flood_text(partner_name: str, domain: str, count: int, hours: int) -> str:
    """To the partner's account manager: many basic how-to tickets in a short time."""
    return (
        f"{partner_name} ({domain}) has sent {count} basic how-to tickets in the last {hours} hours.\n\n"
        "Please reach out to the partner: deeper product knowledge would let its team answer such questions "
        "itself, and keep partner support free for requests that affect customers' business.\n"
    )


# --- rendering: a message's facts → subject and text ----------------------------------------------------


def _ticket_queue(facts: dict) -> tuple[str, str]:
    source = (f"billing case, account {facts['account_number']}" if facts.get("kind") == "billing"
              else facts["partner_name"])
    return (f"[{facts['severity']}] {facts['ticket_id']} {facts['request_type_label']} — {source}",
            ticket_queue_text(facts))


def _ticket_confirmation(facts: dict) -> tuple[str, str]:
    what = "Billing case" if facts.get("kind") == "billing" else "Ticket"
    return f"{what} {facts['ticket_id']} accepted: severity {facts['severity']}", ticket_confirmation_text(facts)


def _how_to_flood(facts: dict) -> tuple[str, str]:
    return (f"Partner flagged: many how-to tickets from {facts['partner_name']}",
            how_to_flood_text(facts["partner_name"], facts["partner_domain"], facts["count"], facts["window_hours"]))


def _payment_confirmation(facts: dict) -> tuple[str, str]:
    return (PAYMENT_SUBJECT.format(invoice_number=facts["invoice_number"]),
            payment_text(facts["account_name"], facts["invoice_number"], facts["amount"], facts["currency"],
                         facts["payment_id"], facts["reactivated"], facts["status_page"]))


def _dunning_notice(facts: dict) -> tuple[str, str]:
    notice = facts["notice"]
    return DUNNING_SUBJECTS[notice], dunning_text(notice, facts["account_name"], facts["status_page"])


RENDERERS = {
    "ticket_queue": _ticket_queue,
    "ticket_confirmation": _ticket_confirmation,
    "how_to_flood": _how_to_flood,
    "payment_confirmation": _payment_confirmation,
    "dunning_notice": _dunning_notice,
}


def render(kind: str, facts: dict, language: str = "en") -> tuple[str, str]:
    """Subject and text of a message of ``kind`` about ``facts``, in ``language``."""
    return RENDERERS[kind](facts)
