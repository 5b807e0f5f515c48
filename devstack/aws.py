"""A local DynamoDB, SES and S3: moto's server in its own process (``devstack/emulator.py``).

This process binds the port and hands the listening socket to the emulator, so the endpoint is known
at once and a call made while moto still imports simply waits in the socket's backlog.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import boto3

from devstack.emulator import PLAIN_MOTO, REGION, SENT_EMAILS_PATH, SES_OUTAGE_PATH

EMULATOR = Path(__file__).resolve().with_name("emulator.py")
LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"}


class LocalAws:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, plain_moto: bool = False):
        self.socket = socket.create_server((host, port), backlog=128)
        self.process: subprocess.Popen | None = None
        self.plain_moto = plain_moto  # moto as shipped, without the emulator's faster paths: the reference

    @property
    def endpoint(self) -> str:
        host, port = self.socket.getsockname()[:2]
        return f"http://{host}:{port}"

    def start(self) -> LocalAws:
        self.process = subprocess.Popen(
            [sys.executable, str(EMULATOR), str(self.socket.fileno())], pass_fds=[self.socket.fileno()],
            env={"PATH": os.environ.get("PATH", ""), "MOTO_ALLOW_NONEXISTENT_REGION": "false",
                 **({PLAIN_MOTO: "1"} if self.plain_moto else {})})
        return self

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(10)
        self.socket.close()

    def environment(self) -> dict[str, str]:
        """What a process needs to use the local services instead of AWS."""
        return {"AWS_ENDPOINT_URL": self.endpoint, "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION,
                **LOCAL_CREDENTIALS}

    def configure_environment(self) -> None:
        """Point the boto3 clients of this process (the importer, tests) at the local services."""
        os.environ.update(self.environment())
        os.environ.pop("AWS_PROFILE", None)

    def _post(self, path: str, data: bytes = b"") -> bytes:
        request = urllib.request.Request(f"{self.endpoint}{path}", data=data, method="POST")
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.read()

    def reset(self) -> None:
        """Forget every table, item and e-mail (moto's reset endpoint)."""
        self._post("/moto-api/reset")

    def create_tables(self, tables: dict[str, dict]) -> None:
        dynamodb = boto3.client("dynamodb", endpoint_url=self.endpoint, region_name=REGION)
        existing = set(dynamodb.list_tables()["TableNames"])
        for arguments in tables.values():
            if arguments["TableName"] not in existing:
                dynamodb.create_table(**arguments)

    def create_buckets(self, names) -> None:
        s3 = boto3.client("s3", endpoint_url=self.endpoint, region_name=REGION)
        existing = {bucket["Name"] for bucket in s3.list_buckets().get("Buckets", [])}
        for name in set(names) - existing:
            s3.create_bucket(Bucket=name)

    def create_queues(self, queues: dict[str, dict]) -> None:
        """The template's queues (dead-letter queues first, so redrive policies find their target)."""
        sqs = boto3.client("sqs", endpoint_url=self.endpoint, region_name=REGION)
        for arguments in queues.values():
            sqs.create_queue(**arguments)

    def fail_ses(self, seconds: float) -> None:
        """Make SES refuse every send for ``seconds`` from now (0: recover now)."""
        self._post(f"{SES_OUTAGE_PATH}?seconds={seconds}")

    @property
    def ses_outage_left(self) -> float:
        with urllib.request.urlopen(f"{self.endpoint}{SES_OUTAGE_PATH}", timeout=60) as response:
            return float(json.loads(response.read())["seconds_left"])
    def put_secure_parameter(self, name: str, value: str) -> None:
        boto3.client("ssm", endpoint_url=self.endpoint, region_name=REGION).put_parameter(
            Name=name, Value=value, Type="SecureString", Overwrite=True)

    def verify_sender(self, address: str) -> None:
        boto3.client("ses", endpoint_url=self.endpoint, region_name=REGION).verify_email_identity(EmailAddress=address)

    def sent_emails(self) -> list[dict]:
        """Every e-mail sent through the local SES, oldest first."""
        with urllib.request.urlopen(f"{self.endpoint}{SENT_EMAILS_PATH}", timeout=60) as response:
            return json.loads(response.read())
