"""The SAM template as CloudFormation receives it (translated by aws-sam-translator): cfn-lint, checkov,
and the properties we rely on. Every rule here is written over all resources of a kind, so a function,
queue or table added later is held to it without touching this file."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from devstack import template as sam
from tests.integration.template_parts import policy_statements
from tools import template_scan

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "infra" / "template.yaml"


@pytest.fixture(scope="module")
def translated(tmp_path_factory) -> dict:
    """The template after the SAM transform (CodeUri pointed at S3), written to a file for the tools."""
    document = template_scan.translate()
    path = tmp_path_factory.mktemp("cfn") / "translated.json"
    path.write_text(json.dumps(document))
    return {"path": path, "document": document}


def resources_of(document: dict, kind: str) -> dict:
    return {k: v for k, v in document["Resources"].items() if v["Type"] == kind}


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def test_cfn_lint_passes_on_the_sam_template():
    result = template_scan.cfn_lint(TEMPLATE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cfn_lint_passes_on_the_translated_template(translated):
    result = template_scan.cfn_lint(translated["path"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_checkov_finds_no_unexplained_failure(translated):
    report = template_scan.checkov(translated["path"])
    failed, skipped = template_scan.summary(report)
    print(f"checkov: {report['summary']['passed']} passed, {len(failed)} failed, {len(skipped)} skipped")
    assert failed == []
    assert report["summary"]["parsing_errors"] == 0
    for line in skipped:  # every skip carries its reason in the resource's Metadata
        assert len(line.split(": ", 1)[1].strip()) > 40, line


def role_statements(document: dict):
    """(role, statement) for every inline policy statement of every IAM role."""
    for name, role in resources_of(document, "AWS::IAM::Role").items():
        for policy in role["Properties"].get("Policies", []):
            for statement in policy_statements(as_list(policy["PolicyDocument"]["Statement"])):
                yield name, statement


def test_no_wildcard_actions_or_resources(translated):
    for name, statement in role_statements(translated["document"]):
        assert all("*" not in action for action in as_list(statement["Action"])), (name, statement)
        assert statement.get("Resource") not in ("*", ["*"]), (name, statement)


def test_every_table_action_is_bound_to_key_prefixes(translated):
    """DynamoDB item actions name the partitions they may touch (dynamodb:LeadingKeys), never all."""
    checked = 0
    for name, statement in role_statements(translated["document"]):
        actions = [a for a in as_list(statement["Action"]) if a.startswith("dynamodb:")]
        if not actions or all("/stream/" in json.dumps(r) or "StreamArn" in json.dumps(r)  # the table's stream
                                  for r in as_list(statement["Resource"])):
            continue
        keys = statement.get("Condition", {}).get("ForAllValues:StringLike", {}).get("dynamodb:LeadingKeys")
        assert keys, f"{name}: {actions} on {statement['Resource']} has no dynamodb:LeadingKeys condition"
        assert all(key.rstrip("*") for key in keys), (name, keys)
        checked += 1
    assert checked >= 4


WRITE_ACTIONS = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"}


def test_no_function_may_write_a_partner_record(translated):
    """Partners come from the import only; the ticket function counts per partner in a partition of
    its own (``COUNTER#PARTNER#``), never in the partner's."""
    for name, statement in role_statements(translated["document"]):
        if WRITE_ACTIONS & set(as_list(statement["Action"])):
            keys = statement.get("Condition", {}).get("ForAllValues:StringLike", {}).get("dynamodb:LeadingKeys", [])
            assert not [key for key in keys if fnmatch.fnmatchcase("PARTNER#northwind.example", key)], (name, keys)


def test_every_mail_permission_is_bound_to_the_sender_address(translated):
    for name, statement in role_statements(translated["document"]):
        if any(action.startswith("ses:Send") for action in as_list(statement["Action"])):
            assert statement["Condition"]["StringEquals"]["ses:FromAddress"] == {"Ref": "MailFrom"}, name


def test_tables_have_point_in_time_recovery_and_encryption(translated):
    tables = resources_of(translated["document"], "AWS::DynamoDB::Table")
    assert len(tables) >= 2
    for table in tables.values():
        assert table["Properties"]["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
        assert table["Properties"]["SSESpecification"]["SSEEnabled"] is True


def alarms(document: dict) -> dict:
    return resources_of(document, "AWS::CloudWatch::Alarm")


def test_every_alarm_notifies_the_topic_named_by_a_parameter(translated):
    document = translated["document"]
    assert document["Resources"]["AlarmTopic"]["Properties"]["TopicName"] == {"Ref": "AlarmTopicName"}
    assert alarms(document)
    for name, alarm in alarms(document).items():
        assert {"Ref": "AlarmTopic"} in alarm["Properties"]["AlarmActions"], name


def test_every_function_has_an_errors_and_a_throttles_alarm(translated):
    document = translated["document"]
    watched = {(a["Properties"].get("MetricName"), json.dumps(a["Properties"].get("Dimensions")))
               for a in alarms(document).values() if a["Properties"].get("Namespace") == "AWS/Lambda"}
    for function in resources_of(document, "AWS::Lambda::Function"):
        dimensions = json.dumps([{"Name": "FunctionName", "Value": {"Ref": function}}])
        for metric in ("Errors", "Throttles"):
            assert (metric, dimensions) in watched, f"add a {function}{metric}Alarm (see the others)"


def dead_letter_targets(node) -> set[str]:
    """Logical ids of the queues named as dead-letter or on-failure targets anywhere below ``node``."""
    found = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("DeadLetterConfig", "RedrivePolicy", "OnFailure"):
                found |= set(re.findall(r'"Fn::GetAtt": \["(\w+)", "Arn"\]', json.dumps(value)))
            found |= dead_letter_targets(value)
    elif isinstance(node, list):
        for value in node:
            found |= dead_letter_targets(value)
    return found


def test_every_dead_letter_queue_has_a_depth_alarm(translated):
    document = translated["document"]
    targets = dead_letter_targets(document["Resources"])
    assert "DunningDeadLetterQueue" in targets
    watched = {a["Properties"]["Dimensions"][0]["Value"]["Fn::GetAtt"][0]
               for a in alarms(document).values()
               if a["Properties"].get("MetricName") == "ApproximateNumberOfMessagesVisible"}
    assert targets <= watched, f"add a depth alarm for {sorted(targets - watched)}"


def test_alarms_read_only_metrics_the_code_emits(translated):
    """A custom metric an alarm or the dashboard reads is one some function emits (no silent alarm)."""
    document = translated["document"]
    read = set()
    for alarm in alarms(document).values():
        properties = alarm["Properties"]
        if properties.get("Namespace") == "HelpCenter":
            read.add(properties["MetricName"])
        for query in properties.get("Metrics", []):
            read |= set(re.findall(r"SUM\((\w+)\) FROM HelpCenter", query.get("Expression", "")))
    read |= set(re.findall(r"SUM\((\w+)\) FROM HelpCenter", json.dumps(document["Resources"]["Dashboard"])))
    code = "\n".join(path.read_text() for path in (ROOT / "functions").rglob("*.py"))
    emitted = set(re.findall(r'add_metric\(name="(\w+)"', code))
    assert read and read <= emitted, sorted(read - emitted)


def test_every_alarm_has_a_runbook_entry(translated):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    runbook = readme[readme.index("## Runbook"):]
    for name in alarms(translated["document"]):
        entry = re.sub(r"^\w+Function(Errors|Throttles)Alarm$", r"<Function>\1Alarm", name)
        assert f"`{entry}`" in runbook, f"README runbook: say what {name} means and what to do"


def test_every_function_logs_to_a_group_with_retention(translated):
    document = translated["document"]
    for name, function in resources_of(document, "AWS::Lambda::Function").items():
        group = function["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
        assert document["Resources"][group]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}, name
        assert function["Properties"]["TracingConfig"] == {"Mode": "Active"}


def test_api_and_cloudfront_keep_access_logs(translated):
    resources = translated["document"]["Resources"]
    (stage,) = resources_of(translated["document"], "AWS::ApiGateway::Stage").values()
    log_group = stage["Properties"]["AccessLogSetting"]["DestinationArn"]["Fn::GetAtt"][0]
    assert resources[log_group]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    assert "$context.requestId" in stage["Properties"]["AccessLogSetting"]["Format"]
    distribution = resources["SiteDistribution"]["Properties"]["DistributionConfig"]
    assert distribution["Logging"]["Bucket"] == {"Fn::GetAtt": ["LogsBucket", "DomainName"]}
    for name, bucket in resources_of(translated["document"], "AWS::S3::Bucket").items():
        if name != "LogsBucket":
            assert bucket["Properties"]["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": "LogsBucket"}


def test_buckets_are_private_and_versioned(translated):
    for name, bucket in resources_of(translated["document"], "AWS::S3::Bucket").items():
        assert all(bucket["Properties"]["PublicAccessBlockConfiguration"].values()), name
        assert bucket["Properties"]["VersioningConfiguration"] == {"Status": "Enabled"}, name


def test_viewers_get_tls_1_2_or_later_only(translated):
    distribution = translated["document"]["Resources"]["SiteDistribution"]["Properties"]["DistributionConfig"]
    assert distribution["ViewerCertificate"]["MinimumProtocolVersion"] == "TLSv1.2_2021"
    assert distribution["ViewerCertificate"]["SslSupportMethod"] == "sni-only"
    behaviors = [distribution["DefaultCacheBehavior"], *distribution["CacheBehaviors"]]
    assert {b["ViewerProtocolPolicy"] for b in behaviors} <= {"redirect-to-https", "https-only"}
    (api_origin,) = [o for o in distribution["Origins"] if o["Id"] == "api"]
    assert api_origin["CustomOriginConfig"]["OriginSSLProtocols"] == ["TLSv1.2"]


def test_the_api_answers_only_requests_through_cloudfront(translated):
    """CloudFront adds the origin secret; the API's web ACL blocks, first of all, any request without it,
    so the per-viewer rate rule's x-viewer-ip (set by the CloudFront function) cannot be forged."""
    resources = translated["document"]["Resources"]
    distribution = resources["SiteDistribution"]["Properties"]["DistributionConfig"]
    (api_origin,) = [o for o in distribution["Origins"] if o["Id"] == "api"]
    (header,) = api_origin["OriginCustomHeaders"]
    rules = sorted(resources["ApiWebAcl"]["Properties"]["Rules"], key=lambda rule: rule["Priority"])
    gate = rules[0]
    assert "Block" in gate["Action"]
    match = gate["Statement"]["NotStatement"]["Statement"]["ByteMatchStatement"]
    assert match["FieldToMatch"] == {"SingleHeader": {"Name": header["HeaderName"]}}
    assert match["PositionalConstraint"] == "EXACTLY" and match["SearchString"] == header["HeaderValue"]
    assert "OriginVerifySecret" in header["HeaderValue"]["Fn::Sub"]
    association = resources["ApiWebAclAssociation"]["Properties"]
    assert association["WebACLArn"] == {"Fn::GetAtt": ["ApiWebAcl", "Arn"]}
    assert "/stages/" in json.dumps(association["ResourceArn"])
    logging = resources["ApiWebAclLogging"]["Properties"]
    assert {"SingleHeader": {"Name": header["HeaderName"]}} in logging["RedactedFields"]


def test_lookups_are_rate_limited_per_viewer(translated):
    resources = translated["document"]["Resources"]
    rules = {rule["Name"]: rule for rule in resources["ApiWebAcl"]["Properties"]["Rules"]}
    rate = rules["lookups-per-viewer"]["Statement"]["RateBasedStatement"]
    assert rate["CustomKeys"] == [{"Header": {"Name": "x-viewer-ip",
                                              "TextTransformations": [{"Priority": 0, "Type": "NONE"}]}}]
    paths = {s["ByteMatchStatement"]["SearchString"] for s in rate["ScopeDownStatement"]["OrStatement"]["Statements"]}
    assert paths == {"/invoices/", "/accounts/status"}
    assert "x-viewer-ip" in resources["StripApiPrefix"]["Properties"]["FunctionCode"]


def test_routes_and_schedule(translated):
    routes = {(r.method, r.path) for r in sam.load().routes}
    assert ("POST", "/accounts/status") in routes
    schedules = resources_of(translated["document"], "AWS::Scheduler::Schedule")
    assert any("cron" in s["Properties"]["ScheduleExpression"] for s in schedules.values())


def test_site_bucket_is_private_and_served_through_cloudfront(translated):
    document = translated["document"]
    bucket = document["Resources"]["SiteBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    distribution = document["Resources"]["SiteDistribution"]["Properties"]["DistributionConfig"]
    assert {b["PathPattern"] for b in distribution["CacheBehaviors"]} >= {"/api/*"}


def test_lambda_requirements_pin_the_tested_versions():
    """functions/requirements.txt (what `sam build` installs) matches the development lock."""
    def pins(path: Path) -> dict[str, str]:
        lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
        return dict(line.split("==") for line in lines if "==" in line)

    runtime, locked = pins(ROOT / "functions" / "requirements.txt"), pins(ROOT / "requirements.lock")
    assert {"aws-lambda-powertools", "pydantic", "stripe", "pyyaml"} <= set(runtime)
    assert {name: version for name, version in runtime.items() if locked.get(name) != version} == {}


def test_sam_validate_lint_accepts_the_template():
    """What `sam deploy` checks first, with the SAM CLI from PyPI (its own virtual environment)."""
    sam_cli = ROOT / ".local" / "tools" / "sam" / "bin" / "sam"
    assert sam_cli.exists(), "run `make tools` (make test does)"
    result = subprocess.run(
        [str(sam_cli), "validate", "--lint", "--template-file", str(TEMPLATE)],
        capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "SAM_CLI_TELEMETRY": "0", "AWS_DEFAULT_REGION": "us-east-1"},
    )
    assert result.returncode == 0 and "is a valid SAM Template" in result.stdout, result.stdout + result.stderr
