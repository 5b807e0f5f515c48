"""Every entry point empties its metric set after each invocation, whether it was published or not."""

from __future__ import annotations

import json

import pytest

from helpcenter import observability


def counting(event, context):
    observability.metrics.add_metric(name="Counted", unit="Count", value=1)
    if event.get("fail"):
        raise RuntimeError("the handler failed")
    return {}


def test_with_metrics_disabled_values_neither_pile_up_nor_print(monkeypatch, capsys):
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    handler = observability.published(counting)
    for _ in range(150):  # Powertools prints a metric's values once it holds 100
        handler({}, None)
    assert capsys.readouterr().out == ""
    assert observability.metrics.metric_set == {}


def test_with_metrics_on_each_invocation_prints_only_its_own_values(monkeypatch, capsys):
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    handler = observability.published(counting)
    for _ in range(3):
        handler({}, None)
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["Counted"] for line in printed] == [[1.0], [1.0], [1.0]]


def test_a_failed_invocation_leaves_nothing_for_the_next(monkeypatch):
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    handler = observability.published(counting)
    with pytest.raises(RuntimeError):
        handler({"fail": True}, None)
    assert observability.metrics.metric_set == {}
