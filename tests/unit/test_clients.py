"""The process's AWS clients: one botocore session whose loader is told which services exist."""

from __future__ import annotations

import botocore.session
import pytest

from helpcenter import clients, timeouts


def test_the_services_named_are_botocore_s_and_each_client_can_be_made():
    every = botocore.session.get_session().get_component("data_loader").list_available_services("service-2")
    assert set(clients.SERVICES) <= set(every)
    for service in clients.SERVICES:
        assert clients.session().create_client(service, region_name="eu-west-1").meta.service_model.service_name


def test_a_client_of_another_service_is_refused_where_it_is_declared():
    with pytest.raises(ValueError, match="not one of the services"):
        clients.lazy_client("kinesis")


def test_every_client_sends_the_user_agent_built_once_with_its_own_settings_kept(monkeypatch):
    """botocore rebuilds a User-Agent header twice per call unless the client's configuration names one."""
    from botocore.awsrequest import AWSPreparedRequest
    from botocore.config import Config

    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    client = clients.lazy_client("s3", Config(signature_version="s3v4"))()
    sent: list[AWSPreparedRequest] = []

    def answer(request: AWSPreparedRequest, **kwargs):
        sent.append(request)
        raise RuntimeError("not sent")  # the request as it would go out, without a network

    client.meta.events.register_first("before-send.s3.ListBuckets", answer)
    with pytest.raises(RuntimeError, match="not sent"):
        client.list_buckets()
    header = sent[0].headers["User-Agent"].decode()
    assert header.startswith(clients.session().user_agent())  # Powertools may append its own part
    assert " ua/2" not in header, "botocore built the header per call"
    assert client.meta.config.signature_version == "s3v4"
    assert client.meta.config.read_timeout == timeouts.READ_TIMEOUT_SECONDS
