"""The process's AWS clients: one botocore session whose loader is told which services exist."""

from __future__ import annotations

import botocore.session
import pytest

from helpcenter import clients


def test_the_services_named_are_botocore_s_and_each_client_can_be_made():
    every = botocore.session.get_session().get_component("data_loader").list_available_services("service-2")
    assert set(clients.SERVICES) <= set(every)
    for service in clients.SERVICES:
        assert clients.session().create_client(service, region_name="eu-west-1").meta.service_model.service_name


def test_a_client_of_another_service_is_refused_where_it_is_declared():
    with pytest.raises(ValueError, match="not one of the services"):
        clients.lazy_client("kinesis")
