"""What the SAM template promises for express payment: routes, least privilege, rate limits."""

from __future__ import annotations

from devstack import template as sam
from tests.integration.template_parts import policy_statements as statements, resources


def test_one_function_serves_both_routes():
    routes = {(r.method, r.path): r.function for r in sam.load().routes}
    assert routes[("POST", "/invoices/lookup")] == routes[("POST", "/invoices/pay")] == "PayInvoiceFunction"


def test_the_pay_function_may_do_only_what_it_does():
    function = resources()["PayInvoiceFunction"]["Properties"]
    granted = {action for policy in function["Policies"] for s in statements(policy["Statement"])
               for action in s["Action"]}
    assert granted == {
        "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:UpdateItem",  # reads, claim, TransactWriteItems
        "dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:DeleteItem",  # idempotency records; sandbox charges
        "ssm:GetParameter",  # the Stripe secret key (Powertools Parameters)
    }  # no ses:SendEmail: the confirmation goes to the outbox with the payment
    by_action: dict[str, list[dict]] = {}
    for policy in function["Policies"]:
        for s in statements(policy["Statement"]):
            for action in s["Action"]:
                by_action.setdefault(action, []).append(s)
    # the help-center table only under account keys (and sandbox charges), never a scan or a delete
    for s in by_action["dynamodb:Query"] + by_action["dynamodb:UpdateItem"]:
        if s["Resource"] == {"Fn::GetAtt": ["HelpCenterTable", "Arn"]}:  # accounts, or failed look-up counters
            assert s["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"] in (["ACCOUNT#*"],
                                                                                          ["COUNTER#LOOKUP#*"])
    assert by_action["dynamodb:DeleteItem"][0]["Resource"] == {"Fn::GetAtt": ["IdempotencyTable", "Arn"]}
    (ssm,) = by_action["ssm:GetParameter"]
    assert "${StripeSecretParameter}" in ssm["Resource"]["Fn::Sub"]
    outbox = [s for s in by_action["dynamodb:PutItem"]
              if s.get("Condition", {}).get("ForAllValues:StringLike", {}).get("dynamodb:LeadingKeys") == ["OUTBOX#*"]]
    assert len(outbox) == 1


def test_invoice_routes_are_throttled_and_rate_limited_per_client():
    template = resources()
    settings = {(s["ResourcePath"], s["HttpMethod"]): s for s in template["Api"]["Properties"]["MethodSettings"]}
    for path in ("/~1invoices~1lookup", "/~1invoices~1pay"):
        assert settings[(path, "POST")]["ThrottlingRateLimit"] < settings[("/*", "*")]["ThrottlingRateLimit"]
    acl = template["ApiWebAcl"]["Properties"]
    assert acl["Scope"] == "REGIONAL"
    rate_rules = [rule for rule in acl["Rules"] if "RateBasedStatement" in rule["Statement"]]
    for rule in rate_rules:
        rate = rule["Statement"]["RateBasedStatement"]
        paths = {s["ByteMatchStatement"]["SearchString"]
                 for s in rate["ScopeDownStatement"]["OrStatement"]["Statements"]}
        assert "/invoices/" in paths
        assert "Block" in rule["Action"]
    keys = {rule["Statement"]["RateBasedStatement"]["AggregateKeyType"] for rule in rate_rules}
    assert keys == {"CUSTOM_KEYS", "IP"}
    association = template["ApiWebAclAssociation"]["Properties"]
    assert "/stages/${Api.Stage}" in association["ResourceArn"]["Fn::Sub"]
    # behind CloudFront the viewer's address reaches the API in the header the viewer rule counts
    assert "x-viewer-ip" in template["StripApiPrefix"]["Properties"]["FunctionCode"]
