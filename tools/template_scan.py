"""Translate the SAM template as ``sam deploy`` would, then lint and scan what CloudFormation receives.

``python tools/template_scan.py`` writes ``.local/scan/translated.json`` and runs cfn-lint on the SAM
source and on the translation, and checkov (in its own virtual environment, ``make tools``) on the
translation. It prints every checkov skip with its reason and exits non-zero on any lint error or
failed check. The tests call the same functions (tests/integration/test_infra_template.py).

Two facts of SAM the scan corrects for: Metadata of an ``AWS::Serverless::Api`` lands on the
generated RestApi, not on the Stage that stage-level checks look at, so it is copied onto the stage;
and SAM has no Globals for Metadata, so the template's ``Metadata.FunctionScanSkips`` are added to
every translated function (see the template).
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "infra" / "template.yaml"
OUTPUT = ROOT / ".local" / "scan" / "translated.json"
CHECKOV = ROOT / ".local" / "tools" / "checkov" / "bin" / "checkov"
CFN_LINT = Path(sys.executable).parent / "cfn-lint"
PLACEHOLDER_CODE = "s3://artifacts/functions.zip"


def translate(template: dict | None = None) -> dict:
    """The CloudFormation document SAM's transform makes of the template (CodeUri pointed at S3)."""
    from samtranslator.public.translator import ManagedPolicyLoader
    from samtranslator.translator.transform import transform

    sys.path.insert(0, str(ROOT))
    from devstack import template as sam

    document = copy.deepcopy(template) if template is not None else sam.read(TEMPLATE)
    for resource in document["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = PLACEHOLDER_CODE
    document.setdefault("Globals", {}).setdefault("Function", {}).pop("CodeUri", None)

    class OfflinePolicies(ManagedPolicyLoader):  # managed policies by ARN only: no IAM call
        def load(self):
            return {}

    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")  # pseudo-parameters need a region
    translated = transform(document, {}, OfflinePolicies(None))
    _carry_scan_metadata(document, translated)
    return translated


def _skips(resource: dict) -> list:
    return resource.setdefault("Metadata", {}).setdefault("checkov", {}).setdefault("skip", [])


def _carry_scan_metadata(source: dict, translated: dict) -> None:
    resources = translated["Resources"]
    function_skips = source.get("Metadata", {}).get("FunctionScanSkips", {})
    for logical_id, resource in source["Resources"].items():
        if resource["Type"] == "AWS::Serverless::Api":
            stages = [r for r in resources.values() if r["Type"] == "AWS::ApiGateway::Stage"
                      and r["Properties"].get("RestApiId") == {"Ref": logical_id}]
            for stage in stages:
                _skips(stage).extend(resource.get("Metadata", {}).get("checkov", {}).get("skip", []))
        if resource["Type"] == "AWS::Serverless::Function":
            events = resource["Properties"].get("Events", {}).values()
            skips = list(function_skips.get("all", []))
            if events and all(event["Type"] == "Api" for event in events):
                skips += function_skips.get("synchronous", [])
            _skips(resources[logical_id]).extend(skips)


def write_translation(path: Path = OUTPUT) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(translate(), indent=1), encoding="utf-8")
    return path


def cfn_lint(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CFN_LINT), str(path)], capture_output=True, text=True)


def checkov(path: Path) -> dict:
    """checkov's JSON report of one CloudFormation file (raises if checkov is not installed)."""
    if not CHECKOV.exists():
        raise FileNotFoundError(f"{CHECKOV} is missing: run `make tools` (make test does)")
    result = subprocess.run(
        [str(CHECKOV), "--skip-download", "--framework", "cloudformation", "--output", "json",
         "-f", str(path)],
        capture_output=True, text=True, env={**os.environ, "LOG_LEVEL": "ERROR"},
    )
    if not result.stdout.strip().startswith(("{", "[")):
        raise RuntimeError(f"checkov gave no report (exit {result.returncode}): {result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    return report[0] if isinstance(report, list) else report


def summary(report: dict) -> tuple[list[str], list[str]]:
    """(failed checks, skips with their reasons), one line each."""
    results = report.get("results", {})
    failed = [f"{c['check_id']} {c['resource']}: {c['check_name']}" for c in results.get("failed_checks", [])]
    skipped = [f"{c['check_id']} {c['resource']}: {c.get('check_result', {}).get('suppress_comment', '')}"
               for c in results.get("skipped_checks", [])]
    return failed, skipped


def main() -> int:
    path = write_translation()
    status = 0
    for target in (TEMPLATE, path):
        lint = cfn_lint(target)
        print(f"cfn-lint {target.relative_to(ROOT)}: {'ok' if lint.returncode == 0 else 'FAILED'}")
        if lint.returncode:
            print(lint.stdout + lint.stderr)
            status = 1
    report = checkov(path)
    failed, skipped = summary(report)
    counts = report.get("summary", {})
    print(f"checkov {path.relative_to(ROOT)}: {counts.get('passed', 0)} passed, {len(failed)} failed, "
          f"{len(skipped)} skipped with a reason")
    for line in skipped:
        print(f"  skip {line.strip()}")
    for line in failed:
        print(f"  FAILED {line}")
    unexplained = [line for line in skipped if line.rstrip().endswith(":")]
    if failed or unexplained:
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
