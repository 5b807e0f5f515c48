"""The SAM template: cfn-lint on the source and on its translation, and properties we rely on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from devstack import template as sam
from tests.integration.template_parts import policy_statements

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "infra" / "template.yaml"


@pytest.fixture(scope="module")
def translated(tmp_path_factory) -> dict:
    """The template as CloudFormation sees it after the SAM transform (CodeUri pointed at S3)."""
    from samtranslator.translator.transform import transform
    from samtranslator.public.translator import ManagedPolicyLoader

    document = sam.read()
    for resource in document["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = "s3://artifacts/functions.zip"
    document.setdefault("Globals", {}).setdefault("Function", {}).pop("CodeUri", None)

    class OfflinePolicies(ManagedPolicyLoader):
        def load(self):
            return {}

    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")  # pseudo-parameters need a region
    output = transform(document, {}, OfflinePolicies(None))
    path = tmp_path_factory.mktemp("cfn") / "translated.json"
    path.write_text(json.dumps(output))
    return {"path": path, "document": output}


def cfn_lint(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "cfn-lint"), str(path)], capture_output=True, text=True)


def test_cfn_lint_passes_on_the_sam_template():
    result = cfn_lint(TEMPLATE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cfn_lint_passes_on_the_translated_template(translated):
    result = cfn_lint(translated["path"])
    assert result.returncode == 0, result.stdout + result.stderr


def resources_of(document: dict, kind: str) -> dict:
    return {k: v for k, v in document["Resources"].items() if v["Type"] == kind}


def test_tables_have_point_in_time_recovery_and_encryption(translated):
    tables = resources_of(translated["document"], "AWS::DynamoDB::Table")
    assert len(tables) >= 2
    for table in tables.values():
        assert table["Properties"]["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
        assert table["Properties"]["SSESpecification"]["SSEEnabled"] is True


def test_every_function_has_least_privilege_policies(translated):
    roles = resources_of(translated["document"], "AWS::IAM::Role")
    assert roles
    for name, role in roles.items():
        for policy in role["Properties"].get("Policies", []):
            for statement in policy_statements(policy["PolicyDocument"]["Statement"]):
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                assert all("*" not in action for action in actions), (name, actions)
                assert statement.get("Resource") not in ("*", ["*"]), (name, statement)


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
