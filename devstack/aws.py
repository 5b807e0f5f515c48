"""A local DynamoDB and SES: moto's server on 127.0.0.1, one request at a time.

moto's conditional writes are not atomic across threads, so every request to it goes through one
lock: conditions then hold under concurrent callers exactly as they do on DynamoDB.
"""

from __future__ import annotations

import io
import os
import threading
import time

import boto3
from moto.core import DEFAULT_ACCOUNT_ID
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

REGION = "us-east-1"


class QuietRequestHandler(MotoRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


SES_OUTAGE_BODY = (b"<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code>"
                   b"<Message>Local SES outage (POST /_local/ses-outage)</Message></Error>"
                   b"<RequestId>local-outage</RequestId></ErrorResponse>")


class SerializedApp:
    """WSGI wrapper that lets one request at a time into moto, and can make SES refuse to send
    (``outage_until``, epoch seconds): ``SendEmail`` then answers 503 ServiceUnavailable, as SES does
    when it is down, so the deliverer's retries can be seen working."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.outage_until = 0.0

    def _is_refused_send(self, environ) -> bool:
        if time.time() >= self.outage_until or "/ses/aws4_request" not in environ.get("HTTP_AUTHORIZATION", ""):
            return False
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        return b"Action=SendEmail" in body or b"Action=SendRawEmail" in body

    def __call__(self, environ, start_response):
        if self._is_refused_send(environ):
            start_response("503 Service Unavailable", [("Content-Type", "text/xml")])
            return [SES_OUTAGE_BODY]
        with self.lock:
            return list(self.app(environ, start_response))


class LocalAws:
    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.app = SerializedApp(DomainDispatcherApplication(create_backend_app))
        self.server = make_server(host, port, self.app, threaded=True, request_handler=QuietRequestHandler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True, name="moto")

    @property
    def endpoint(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> LocalAws:
        self.thread.start()
        self.configure_environment()
        return self

    def stop(self) -> None:
        self.server.shutdown()

    def configure_environment(self) -> None:
        """Point every boto3 client of this process (and its children) at the local services."""
        os.environ.update(
            AWS_ENDPOINT_URL=self.endpoint,
            AWS_ACCESS_KEY_ID="local",
            AWS_SECRET_ACCESS_KEY="local",
            AWS_DEFAULT_REGION=REGION,
            AWS_REGION=REGION,
        )
        os.environ.pop("AWS_PROFILE", None)

    def reset(self) -> None:
        """Forget every table, item and e-mail (moto's reset endpoint)."""
        import urllib.request

        urllib.request.urlopen(urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST")).read()

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
        self.app.outage_until = time.time() + seconds

    @property
    def ses_outage_left(self) -> float:
        return max(self.app.outage_until - time.time(), 0.0)

    def verify_sender(self, address: str) -> None:
        boto3.client("ses", endpoint_url=self.endpoint, region_name=REGION).verify_email_identity(EmailAddress=address)

    @staticmethod
    def sent_emails() -> list[dict]:
        """Every e-mail sent through the local SES, oldest first."""
        from moto.ses.models import ses_backends

        return [
            {"id": m.id, "source": m.source, "to": list(m.destinations.get("ToAddresses", [])),
             "subject": m.subject, "body": m.body}
            for m in ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages
        ]
