"""Start and stop the whole local product: local AWS, tables, data, site and API on one port."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import date
from html import escape
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from devstack import template as sam
from devstack.aws import LocalAws
from devstack.delivery import LocalDelivery
from devstack.gateway import Gateway, LambdaContext

ROOT = Path(__file__).resolve().parents[1]
DEMO_DATA = ROOT / "data" / "demo.yaml"
QUIET_ENVIRONMENT = {
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
}


# Local retries of undelivered messages: 2 s doubling to 15 s (AWS: 30 s to 15 min), so that an SES
# outage of a minute or two is survived (ten attempts span ~100 s) and recovery shows within seconds.
LOCAL_RETRY_BACKOFF = "2,15"


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


def build_site(site_dir: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site_dir)], cwd=ROOT, check=True
    )


class LocalStack:
    def __init__(self, site_dir: Path, data_files: list[Path], port: int = 8000, verbose: bool = False,
                 today: date | None = None):
        self.site_dir, self.data_files, self.port, self.verbose = site_dir, data_files, port, verbose
        self.today = today
        self.aws = LocalAws()
        self.template = sam.load(queue_url_base=f"{self.aws.endpoint}/123456789012")
        self.delivery: LocalDelivery | None = None
        self.http = None

    def start(self) -> LocalStack:
        sys.path.insert(0, str(ROOT / "functions"))
        self.aws.start()
        for function in self.template.functions.values():
            os.environ.update({k: v for k, v in function["environment"].items() if k != "POWERTOOLS_SERVICE_NAME"})
        if not self.verbose:
            os.environ.update(QUIET_ENVIRONMENT)
        os.environ["RETRY_BACKOFF_SECONDS"] = LOCAL_RETRY_BACKOFF
        queue_urls = {name: f"{self.aws.endpoint}/123456789012/{q['QueueName']}" for name, q in self.template.queues.items()}
        self.delivery = LocalDelivery(self.aws.endpoint, os.environ["TABLE_NAME"], queue_urls["DeliveryQueue"],
                                      queue_urls["DeliveryDeadLetterQueue"])
        self.reset()
        self.delivery.start()
        gateway = Gateway(self.template.routes, self.site_dir, extra_endpoints={
            "/_local/outbox": self.outbox_page,
            "/_local/dunning": self.dunning_endpoint,
            "/_local/ses-outage": self.ses_outage_endpoint,
        })
        self.http = make_server("127.0.0.1", self.port, gateway, threaded=True, request_handler=QuietHandler)
        self.port = self.http.server_port
        threading.Thread(target=self.http.serve_forever, daemon=True, name="gateway").start()
        return self

    def reset(self) -> None:
        """Empty local AWS, then tables, buckets, sender identity, data files and the day's dunning run again."""
        self.aws.fail_ses(0)
        self.aws.reset()
        self.delivery.reset()
        self.aws.create_tables(self.template.tables)
        self.aws.create_buckets(self.template.buckets.values())
        self.aws.create_queues(self.template.queues)
        self.aws.verify_sender(os.environ["MAIL_FROM"])
        self.load(self.data_files)
        self.run_dunning()

    def stop(self) -> None:
        if self.http:
            self.http.shutdown()
        if self.delivery:
            self.delivery.stop()
        self.aws.stop()

    def delivered(self, timeout: float = 30) -> list[dict]:
        """Every e-mail sent so far, once every promised message has been delivered (tests)."""
        self.delivery.drain(timeout)
        return self.aws.sent_emails()

    def ses_outage_endpoint(self, request: Request) -> Response:
        """``POST /_local/ses-outage?seconds=60`` makes SES refuse to send for that long (``seconds=0``
        ends it); ``GET`` tells how long is left and how many messages wait or are dead."""
        import json

        if request.method == "POST":
            try:
                seconds = float(request.args.get("seconds", "60"))
            except ValueError:
                return Response(json.dumps({"error": "validation_error", "message": "seconds must be a number"}),
                                400, content_type="application/json")
            self.aws.fail_ses(min(max(seconds, 0), 3600))
        elif request.method != "GET":
            return Response("GET or POST ?seconds=<n>", 405)
        state = {"outage_seconds_left": round(self.aws.ses_outage_left, 1),
                 "waiting": self.delivery.in_flight(), "dead_letters": self.delivery.dead_letters()}
        return Response(json.dumps(state), content_type="application/json")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def load(self, files: list[Path]) -> None:
        from importer.__main__ import load_files, write

        write(load_files(files, self.today or date.today()))

    def run_dunning(self) -> dict:
        """What the daily schedule does on AWS: invoke the dunning handler once."""
        from dunning import handler

        context = LambdaContext(function_name="DunningFunction", aws_request_id="local-dunning", deadline_ms=int(time.time() * 1000) + 300_000)
        return handler.lambda_handler({"source": "local"}, context)

    def dunning_endpoint(self, request: Request) -> Response:
        if request.method != "POST":
            return Response("POST to run the daily dunning job now.", 405)
        import json

        return Response(json.dumps(self.run_dunning()), content_type="application/json")

    def outbox_page(self, request: Request) -> Response:
        """The e-mails the local SES captured, newest first."""
        rows = "".join(
            f"<article><h2>{escape(m['subject'])}</h2><p>To: {escape(', '.join(m['to']))}</p>"
            f"<pre>{escape(m['body'])}</pre></article>"
            for m in reversed(self.aws.sent_emails())
        )
        html = (
            "<!doctype html><html lang='en'><meta charset='utf-8'><title>Local outbox</title>"
            "<body style='font-family:sans-serif;max-width:50rem;margin:auto'>"
            f"<h1>Local outbox ({len(self.aws.sent_emails())} e-mails)</h1>{rows or '<p>No e-mail yet.</p>'}</body></html>"
        )
        return Response(html, content_type="text/html; charset=utf-8")
