"""The OpenAPI document is the contract: schemathesis generates requests from it (valid and invalid,
stateless: examples, coverage and fuzzing phases) against the local stack and checks every answer:
never a 5xx, a documented status, content type and headers, a body that matches the documented
schema. The seed is fixed so a failure reproduces; the figures are printed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from devstack import template as sam

ROOT = Path(__file__).resolve().parents[2]
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
CASES_PER_OPERATION = 100
CHECKS = ["not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_headers_conformance", "response_schema_conformance"]


@pytest.fixture
def isolated(fresh_stack):
    """Fuzzing pays invoices, files tickets and locks account numbers: demo data anew afterwards."""
    yield fresh_stack
    fresh_stack.reset()


def test_the_api_keeps_its_documented_contract(isolated, tmp_path):
    document = subprocess.run([sys.executable, "-m", "devstack.openapi"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout
    schema = tmp_path / "openapi.json"
    schema.write_text(document)
    report = tmp_path / "report.json"
    result = subprocess.run(
        [str(SCHEMATHESIS), "run", str(schema), "--url", f"{isolated.url}/api", "--checks", ",".join(CHECKS),
         "--max-examples", str(CASES_PER_OPERATION), "--seed", "20261201", "--generation-database", "none",
         "--phases", "examples,coverage,fuzzing", "--request-timeout", "30", "--no-color",
         "--report", "json", "--report-json-path", str(report)],
        cwd=tmp_path, capture_output=True, text=True, timeout=1800,
    )
    outcome = json.loads(report.read_text())
    cases = outcome["test_cases"]
    print(f"schemathesis: {cases['generated']} cases over {outcome['operations']['tested']} operations, "
          f"{cases['with_failures']} with failures, {len(outcome['errors'])} errors, "
          f"{outcome['running_time']:.0f} s")
    assert result.returncode == 0, result.stdout[-6000:]
    assert outcome["operations"]["tested"] == len(sam.load().routes)
    assert cases["with_failures"] == 0 and not outcome["errors"]
    assert cases["generated"] >= 10 * len(sam.load().routes)
