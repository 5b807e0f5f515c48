"""Keys of the single table and the mapping between its items and the domain records.

| item                 | pk                        | sk                                | notes |
| -------------------- | ------------------------- | --------------------------------- | ----- |
| account              | ``ACCOUNT#<no>``          | ``#ACCOUNT``                      | plan, region, postal-code digest, contacts, users, dunning state, ``language``, ``payment_seq`` |
| invoice              | ``ACCOUNT#<no>``          | ``INVOICE#<no>``                  | amount in minor units + currency, due date, status, payment attributes |
| partner              | ``PARTNER#<domain>``      | ``#PARTNER``                      | registered e-mail domain, tier, data-center group, ``customers`` (account numbers), ``language`` |
| partner counter      | ``COUNTER#PARTNER#<domain>`` | ``COUNTER#<name>#<window start>`` | ``count``; TTL ``expires_at`` |
| billing-case counter | ``COUNTER#BILLING#<account no>`` | ``COUNTER#<name>#<window start>`` | the same, for a customer account |
| ticket               | ``TICKET#<id>``           | ``#TICKET``                       | the ticket as accepted |
| sandbox charge       | ``SANDBOX#<key>``         | ``#CHARGE``                       | the sandbox provider's charges (``helpcenter.payments.sandbox``) |

The partition prefixes are the ``dynamodb:LeadingKeys`` of each function's IAM policy in
``infra/template.yaml``, and each module of this package serves one of those policies. Counters have
partitions of their own (``COUNTER#…``), so a function that counts may not write the records it counts
for (the ticket function cannot change a partner or an account).
"""

from __future__ import annotations

from datetime import date

from helpcenter.domain import (
    DEFAULT_LANGUAGE,
    Account,
    AccountStatus,
    Invoice,
    InvoiceStatus,
    Partner,
    PartnerTier,
    Plan,
    Region,
    Role,
)
from helpcenter.money import Money
from helpcenter.store.codec import deserialize

DUNNING_INDEX = "dunning"
DUNNING_PARTITION = "DUNNING"


def account_key(number: str) -> dict:
    return {"pk": {"S": f"ACCOUNT#{number}"}, "sk": {"S": "#ACCOUNT"}}


def invoice_key(account_number: str, invoice_number: str) -> dict:
    return {"pk": {"S": f"ACCOUNT#{account_number}"}, "sk": {"S": f"INVOICE#{invoice_number}"}}


def partner_key(domain: str) -> dict:
    return {"pk": {"S": f"PARTNER#{domain}"}, "sk": {"S": "#PARTNER"}}


def partner_counter_partition(domain: str) -> str:
    return f"COUNTER#PARTNER#{domain}"


def billing_counter_partition(account_number: str) -> str:
    return f"COUNTER#BILLING#{account_number}"


def ticket_key(ticket_id: str) -> dict:
    return {"pk": {"S": f"TICKET#{ticket_id}"}, "sk": {"S": "#TICKET"}}


def account_item(account: Account) -> dict:
    item = {
        **deserialize(account_key(account.number)),
        "type": "account",
        "number": account.number,
        "name": account.name,
        "plan": account.plan.value,
        "region": account.region.value,
        "postal_code_digest": account.postal_code_digest,
        "licenses": account.licenses,
        "billing_contacts": list(account.billing_contacts),
        "users": [{"email": email, "role": role.value} for email, role in account.users],
        "status": account.status.value,
        "dunning_since": account.dunning_since.isoformat() if account.dunning_since else None,
        "notices_sent": set(account.notices_sent) or None,
        "language": account.language,
    }
    if account.dunning_since and account.status is not AccountStatus.DELETED:
        item["dunning_pk"] = DUNNING_PARTITION
        item["dunning_sk"] = f"{account.dunning_since.isoformat()}#{account.number}"
    return item


def account_from_item(item: dict) -> Account:
    return Account(
        number=item["number"],
        name=item.get("name", ""),
        plan=Plan(item["plan"]),
        region=Region(item["region"]),
        postal_code_digest=item["postal_code_digest"],
        licenses=int(item.get("licenses", 1)),
        billing_contacts=tuple(item.get("billing_contacts", ())),
        users=tuple((user["email"], Role(user["role"])) for user in item.get("users", ())),
        status=AccountStatus(item["status"]),
        dunning_since=date.fromisoformat(item["dunning_since"]) if item.get("dunning_since") else None,
        notices_sent=frozenset(item.get("notices_sent", ())),
        language=item.get("language") or DEFAULT_LANGUAGE,
    )


def invoice_item(invoice: Invoice) -> dict:
    return {
        **deserialize(invoice_key(invoice.account_number, invoice.number)),
        "type": "invoice",
        "number": invoice.number,
        "account_number": invoice.account_number,
        "amount_minor": invoice.amount.minor,
        "currency": invoice.amount.currency,
        "credit_minor": invoice.credit.minor if invoice.credit else None,
        "due_date": invoice.due_date.isoformat(),
        "status": invoice.status.value,
    }


def invoice_from_item(item: dict) -> Invoice:
    currency = item["currency"]
    credit = item.get("credit_minor")
    return Invoice(
        number=item["number"],
        account_number=item["account_number"],
        amount=Money(int(item["amount_minor"]), currency),
        due_date=date.fromisoformat(item["due_date"]),
        status=InvoiceStatus(item["status"]),
        credit=Money(int(credit), currency) if credit is not None else None,
    )


def partner_item(partner: Partner) -> dict:
    return {
        **deserialize(partner_key(partner.domain)),
        "type": "partner",
        "domain": partner.domain,
        "name": partner.name,
        "tier": partner.tier.value,
        "data_center": partner.data_center,
        "region": partner.region.value,
        "customers": set(partner.customers) or None,
        "language": partner.language,
    }


def partner_from_item(item: dict) -> Partner:
    return Partner(
        domain=item["domain"],
        name=item["name"],
        tier=PartnerTier(item["tier"]),
        data_center=item["data_center"],
        region=Region(item["region"]),
        customers=frozenset(item.get("customers", ())),
        language=item.get("language") or DEFAULT_LANGUAGE,
    )
