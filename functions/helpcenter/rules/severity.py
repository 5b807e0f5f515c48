"""The severity a ticket gets the moment it is accepted, with the reasons that tagged it.

First matching rule wins:

| # | when                                                                  | severity | commitment |
| - | --------------------------------------------------------------------- | -------- | ---------- |
| 0 | feature request or product limitation (impact), or a product-management request | S3 | none |
| 1 | customer account's user licences ≥ its region's threshold, and the product is metered by users | S1 (multi-user) | yes |
| 2 | impact outage, login failure, data integrity, severe delays, critical failure | S1 | yes |
| 3 | impact incorrect results, below documentation                          | S2       | yes        |
| 4 | impact how-to, no functional impact (also: a non-technical request naming no impact) | S3 | yes |

Rule 0 comes first because feature requests and product limitations are outside the commitment
altogether, even for a multi-user account (an "S1" without deadlines would mislead). Weekend hours
count only for outages and login problems (``weekends_count``), whatever the severity. Every
classification carries reasons: the rule that matched, and why rule 1 did not when it was checked.

A customer's billing case (``billing_case=True``) follows the same table without rule 1: multi-user
priority is a promise of partner support, so a billing case is tagged by its impact alone (S3 when it
names none), and its first reason says it is a billing case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from helpcenter.domain import Account
from helpcenter.support import CONFIG, SupportConfig


@dataclass(frozen=True)
class Reason:
    """Why a ticket got its severity: a stable ``code`` and its parameters (codes of regions, products …).
    The words are the reader's catalog's (``helpcenter.i18n.sentences.reason_sentence``)."""

    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Classification:
    severity: str  # S1 | S2 | S3
    commitment: bool  # False: no response-time commitment (no deadlines)
    multi_user: bool  # rule 1 matched: also aims at resolution within 24–48 h
    weekends_count: bool  # outage or login problem: weekend hours count
    rule: int  # the rule of the table above that matched
    reasons: tuple[Reason, ...]


def is_multi_user(account: Account, config: SupportConfig = CONFIG) -> bool:
    """The account's user licences reach its region's threshold."""
    return account.licenses >= config.regions[account.region].threshold


def classify(
    *,
    request_type: str,
    product: str,
    impact: str | None,
    account: Account | None,
    identifier_kind: str | None,
    billing_case: bool = False,
    config: SupportConfig = CONFIG,
) -> Classification:
    """Severity, commitment and reasons of a ticket (see the module's table).

    ``account`` is the customer account found from an account number; ``identifier_kind`` says how the
    submitter identified the customer (``account_number``, ``email``, ``organisation_id``) or is None.
    An e-mail address or organisation id cannot be matched with the billing data here: the ticket is
    classified on its impact, and an agent checks the licences by hand.
    ``billing_case``: a customer's own billing case, which rule 1 never applies to.
    """
    kind = config.request_types[request_type]
    impact_code = impact or config.default_impact
    effect = config.impacts[impact_code]
    reasons: list[Reason] = [Reason("billing_case")] if billing_case else []

    if kind.no_commitment or effect.severity is None:  # rule 0
        cause = impact_code if effect.severity is None else request_type
        return Classification("S3", False, False, False, 0, (*reasons, Reason("no_commitment", {"cause": cause})))

    weekend = [Reason("weekends_count")] if effect.weekends else []
    if billing_case:  # rule 1 is a promise of partner support: a billing case goes by its impact alone
        pass
    elif account is not None:  # rule 1
        settings = config.regions[account.region]
        facts = {"licenses": account.licenses, "threshold": settings.threshold, "region": account.region.value}
        if not config.user_metered(product):
            reasons.append(Reason("product_not_user_metered", {"product": product, "metered_by": config.products[product]}))
        elif is_multi_user(account, config):
            reasons.append(Reason("multi_user_account", facts))
            return Classification("S1", True, True, effect.weekends, 1, (*reasons, *weekend))
        else:
            reasons.append(Reason("below_multi_user_threshold", facts))
    elif identifier_kind in ("email", "organisation_id"):
        reasons.append(Reason("customer_not_verified", {"identifier": identifier_kind}))
    else:
        reasons.append(Reason("no_customer_account"))

    if impact is None:  # a non-technical request that names no impact
        reasons.append(Reason("request_type_default", {"request_type": request_type}))
    else:
        reasons.append(Reason(f"impact_{effect.severity}", {"impact": impact_code}))
    rule = {"S1": 2, "S2": 3, "S3": 4}[effect.severity]
    return Classification(effect.severity, True, False, effect.weekends, rule, (*reasons, *weekend))
