"""Every function's init runs without garbage collection and freezes what it created
(``helpcenter.coldstart``): begun first in the function's package, finished on the handler module's
last line."""

from __future__ import annotations

import ast
import gc
from pathlib import Path

import pytest

from devstack import template as sam
from helpcenter import coldstart

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
HANDLERS = sorted({spec["handler"].rsplit(".", 1)[0] for spec in sam.load().functions.values()})


def calls(statement: ast.stmt) -> str:
    return ast.unparse(statement.value) if isinstance(statement, ast.Expr) else ""


@pytest.mark.parametrize("module", HANDLERS)
def test_the_function_package_begins_and_its_handler_finishes_init(module):
    package, _ = module.split(".", 1)
    first = ast.parse((FUNCTIONS / package / "__init__.py").read_text()).body
    assert [ast.unparse(s) for s in first[:1]] == ["from helpcenter import coldstart"], package
    assert calls(first[1]) == "coldstart.begin()", package
    handler = ast.parse((FUNCTIONS / Path(*module.split("."))).with_suffix(".py").read_text()).body
    assert calls(handler[-1]) == "coldstart.finished()", module


def test_collection_is_off_during_init_and_init_is_frozen_after(monkeypatch):
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "AnyFunction")
    frozen = gc.get_freeze_count()
    try:
        coldstart.begin()
        assert not gc.isenabled()
        created = [[n] for n in range(1000)]
        coldstart.finished()
        assert gc.isenabled() and gc.get_freeze_count() >= frozen + len(created)
    finally:
        gc.enable()
        gc.unfreeze()


def test_outside_lambda_the_collector_is_left_alone(monkeypatch):
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    frozen = gc.get_freeze_count()
    coldstart.begin()
    assert gc.isenabled()
    coldstart.finished()
    assert gc.get_freeze_count() == frozen


def test_signing_a_link_loads_no_e_mail_renderer():
    """The ticket intake and the ticket status sign acknowledge links on their requests: Jinja2 and
    Babel (the e-mail renderer's, ~40 ms of CPU to import) stay out of those functions."""
    import subprocess
    import sys

    code = ("import sys; from datetime import datetime, timezone; from helpcenter import acknowledge_keys;"
            "acknowledge_keys.signing_key = lambda: b'k' * 32;"
            "acknowledge_keys.link('T-7KQ2MZ4DXA', datetime.now(timezone.utc));"
            "print(sorted(m for m in ('jinja2', 'babel') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], cwd=FUNCTIONS, capture_output=True, text=True, check=True,
                            env={"SITE_URL": "https://help.example.com/", "PATH": ""})
    assert loaded.stdout.strip() == "[]"
