"""`make serve DATA=bad.yaml` (python -m devstack bad.yaml) refuses a bad data file with the importer's
``file:line: path: message`` list and exit status 2, before anything starts, never with a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def serve(*data_files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "devstack", "--no-build", "--port", "0", *map(str, data_files)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_unknown_field_bad_yaml_and_missing_file_are_listed_without_traceback(tmp_path):
    unknown_field = tmp_path / "unknown.yaml"
    unknown_field.write_text('accounts:\n  - number: "100200999"\n    name: X\n    plan: pro\n'
                             '    region: europe_uk\n    postal_code: "10115"\n    colour: red\n')
    broken = tmp_path / "bad.yaml"
    broken.write_text("accounts: [\n")
    result = serve(unknown_field, broken, tmp_path / "missing.yaml")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert lines[0] == "Refused, nothing was written:"
    assert f"  {unknown_field}:7: accounts.0.colour: Extra inputs are not permitted" in lines
    assert any(line.startswith(f"  {broken}:") and "not valid YAML/JSON" in line for line in lines)
    assert any(line.startswith(f"  {tmp_path / 'missing.yaml'}: cannot read") for line in lines)
    assert "Help center running" not in result.stdout
