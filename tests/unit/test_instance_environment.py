"""A function instance's environment is the function's alone; coverage.py's request is passed on only
when a test run makes one (its .pth file then measures the instance)."""

from __future__ import annotations

from devstack.functions import COVERAGE_VARIABLES, instance_environment


def test_without_coverage_an_instance_gets_the_functions_environment_as_it_is(monkeypatch):
    for name in COVERAGE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    function = {"TABLE_NAME": "HelpCenter"}
    assert instance_environment(function) is function


def test_under_coverage_an_instance_is_measured_too(monkeypatch):
    for name in COVERAGE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COVERAGE_PROCESS_CONFIG", ":data:abc")
    monkeypatch.setenv("COVERAGE_FILE", ".coverage")  # relative to the tests' folder: not passed on
    assert instance_environment({"TABLE_NAME": "HelpCenter"}) == {"TABLE_NAME": "HelpCenter",
                                                                 "COVERAGE_PROCESS_CONFIG": ":data:abc"}
