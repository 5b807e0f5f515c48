"""``python -m tests.integration.fault_probe MODE FUNCTION``: invoke each route of one function, as
API Gateway would, with DynamoDB unreachable (``refused``: nothing listens on its port) or hanging
(``hanging``: a socket that accepts connections and never answers), everything else up (a function
that checks a signature first reads the local stand-in's signing secret from a local SSM: the fault
is DynamoDB's, not the secret's). Prints one JSON line per route:
status, headers, body and seconds taken. Run in its own process, with only that function's
environment from the template, so nothing else in the test session is touched."""

from __future__ import annotations

import importlib
import json
import os
import socket
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def refused_endpoint() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"  # closed again: connections are refused


def hanging_endpoint() -> str:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held = []

    def accept_and_hold():
        while True:
            connection, _ = server.accept()
            held.append(connection)  # never read, never answered

    threading.Thread(target=accept_and_hold, daemon=True).start()
    return f"http://127.0.0.1:{server.getsockname()[1]}"


def local_ssm(environment: dict[str, str]) -> dict[str, str]:
    """A local SSM (moto) holding the Stripe webhook signing secret, when the function reads one."""
    name = environment.get("STRIPE_WEBHOOK_SECRET_PARAMETER")
    if not name:
        return {}
    import boto3
    from moto.server import ThreadedMotoServer

    from devstack.stripe_standin import WEBHOOK_SECRET

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    endpoint = f"http://127.0.0.1:{server.get_host_and_port()[1]}"
    boto3.client("ssm", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="fault",
                 aws_secret_access_key="fault").put_parameter(Name=name, Value=WEBHOOK_SECRET, Type="SecureString")
    return {"AWS_ENDPOINT_URL_SSM": endpoint}


def main(mode: str, function: str) -> None:
    sys.path[:0] = [str(ROOT / "functions"), str(ROOT)]
    from devstack import template as sam
    from devstack.runtime import LambdaContext

    from tests.support.examples import example_event

    template = sam.load()
    endpoint = refused_endpoint() if mode == "refused" else hanging_endpoint()
    os.environ.update(template.functions[function]["environment"])
    os.environ.update(AWS_ENDPOINT_URL_DYNAMODB=endpoint, AWS_ACCESS_KEY_ID="fault", AWS_SECRET_ACCESS_KEY="fault",
                      AWS_DEFAULT_REGION="us-east-1", POWERTOOLS_METRICS_DISABLED="true",
                      POWERTOOLS_TRACE_DISABLED="true", POWERTOOLS_LOG_LEVEL="CRITICAL")
    os.environ.update(local_ssm(template.functions[function]["environment"]))
    module_name, handler_name = template.functions[function]["handler"].rsplit(".", 1)
    handler = getattr(importlib.import_module(module_name), handler_name)
    for route in (r for r in template.routes if r.function == function):
        event = example_event(route)
        context = LambdaContext(function_name=function, aws_request_id=str(uuid.uuid4()),
                                deadline_ms=int(time.time() * 1000) + 30_000)
        started = time.perf_counter()
        answer = handler(event, context)
        headers = {**(answer.get("headers") or {}),
                   **{key: values[0] for key, values in (answer.get("multiValueHeaders") or {}).items()}}
        print(json.dumps({"method": route.method, "path": route.path, "status": answer["statusCode"],
                          "headers": headers, "body": answer.get("body"),
                          "seconds": round(time.perf_counter() - started, 3)}), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
