"""What the ticket function relies on in the SAM template: routes, least privilege, the attachments bucket."""

from __future__ import annotations

from devstack import template as sam
from tests.integration.template_parts import resources


def test_ticket_routes_come_from_the_template():
    routes = {(r.method, r.path): r.function for r in sam.load().routes}
    assert routes[("POST", "/tickets")] == routes[("POST", "/tickets/attachments")] == "SubmitTicketFunction"
    assert sam.load().functions["SubmitTicketFunction"]["environment"]["ATTACHMENTS_BUCKET"] == "attachmentsbucket"


def test_attachments_bucket_is_private_encrypted_and_expires():
    bucket = resources()["AttachmentsBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    rule = bucket["LifecycleConfiguration"]["Rules"][0]
    assert rule["Status"] == "Enabled" and rule["ExpirationInDays"] > 0
    assert bucket["CorsConfiguration"]["CorsRules"][0]["AllowedMethods"] == ["POST"]
    policy = resources()["AttachmentsBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]
    assert policy["Effect"] == "Deny" and policy["Condition"]["Bool"]["aws:SecureTransport"] == "false"


def test_ticket_function_touches_only_its_items_and_uploads():
    statements = resources()["SubmitTicketFunction"]["Properties"]["Policies"][0]["Statement"]
    for statement in statements:
        if any(action.startswith("dynamodb:") for action in statement["Action"]):
            keys = statement["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"]
            assert all(key.endswith("#*") for key in keys)
        if any(action.startswith("s3:") for action in statement["Action"]):
            assert statement["Resource"] == {"Fn::Sub": "${AttachmentsBucket.Arn}/uploads/*"}
    writes = {a for s in statements for a in s["Action"] if a in ("dynamodb:PutItem", "dynamodb:UpdateItem")}
    assert writes == {"dynamodb:PutItem", "dynamodb:UpdateItem"}


def test_ticket_routes_are_throttled():
    settings = resources()["Api"]["Properties"]["MethodSettings"]
    paths = {s["ResourcePath"] for s in settings if "ThrottlingRateLimit" in s}
    assert {"/~1tickets", "/~1tickets~1attachments"} <= paths
