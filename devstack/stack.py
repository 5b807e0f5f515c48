"""Start and stop the whole local product: local AWS, functions, tables, data, site and API on one port.

Processes, as on AWS: the local AWS services (moto, ``devstack/emulator.py``) in one; every function
instance in its own (``devstack/functions.py``), each with only the environment the template gives
that function; this process plays API Gateway and CloudFront (``devstack/gateway.py``) and runs the
services (``devstack/services.py``: stand-ins, background loops, ``/_local/`` endpoints).
"""

from __future__ import annotations

import importlib
import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from html import escape
from pathlib import Path

from werkzeug.wrappers import Request, Response

from devstack import template as sam
from devstack.aws import LocalAws
from devstack.delivery import LOCAL_PARAMETERS, LocalDelivery
from devstack.helpdesk_standin import HelpDeskStandIn
from devstack.functions import FunctionPool, FunctionSpec
from devstack.gateway import Endpoint, Gateway
from devstack.httpserver import WSGIServer
from devstack.runtime import FUNCTIONS_DIR, LambdaContext
from devstack.services import LocalService

ROOT = Path(__file__).resolve().parents[1]
DEMO_DATA = ROOT / "data" / "demo.yaml"
QUIET_ENVIRONMENT = {
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
}
# What Lambda's Python runtime sets in every execution environment (besides credentials and region).
# No shared config or credentials file is read: a function gets only what the stack gives it.
RUNTIME_ENVIRONMENT = {"LANG": "C.UTF-8", "TZ": "UTC", "LAMBDA_TASK_ROOT": str(FUNCTIONS_DIR),
                       "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull}
DEFAULT_MAX_INSTANCES = int(os.environ.get("LOCAL_MAX_INSTANCES", "4"))  # per function


def local_parameters(environ=os.environ) -> dict[str, str]:
    """The template parameters of a local run: the sandbox, declared a demo, unless
    ``PAYMENT_PROVIDER=stripe`` asks for the local Stripe stand-in (``make serve PAYMENT_PROVIDER=stripe``)."""
    provider = environ.get("PAYMENT_PROVIDER", "sandbox").strip().lower() or "sandbox"
    return {"PaymentProvider": provider, "SandboxDemo": "yes" if provider == "sandbox" else "no"}


def build_site(site_dir: Path, environment: dict[str, str] | None = None) -> None:
    """The site into ``site_dir``; ``environment`` adds build settings (``SANDBOX_DEMO``, ``STRIPE_JS_URL``)."""
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site_dir)], cwd=ROOT,
                   check=True, env={**os.environ, **(environment or {})})


def site_settings(parameters: dict[str, str]) -> dict[str, str]:
    """The local site's build settings that follow the payment parameters: a sandbox run is a demo
    (banner, test cards); a Stripe run's pages load the stand-in Stripe.js the stack serves."""
    from devstack.stripe_standin import LOCAL_SCRIPT_PATH

    settings = {"SANDBOX_DEMO": parameters["SandboxDemo"]}
    return settings | ({"STRIPE_JS_URL": LOCAL_SCRIPT_PATH} if parameters["PaymentProvider"] == "stripe" else {})


def start_subprocess(site_dir: Path, *arguments: str, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """``python -m devstack --no-build`` started afresh in a process of its own: it and its URL, once
    its banner says it is running. ``arguments``: data files and options of ``python -m devstack``."""
    process = subprocess.Popen([sys.executable, "-m", "devstack", "--no-build", "--site-dir", str(site_dir),
                                "--port", "0", *arguments], cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env)
    banner = process.stdout
    assert banner is not None  # stdout=PIPE
    for line in banner:
        if match := re.search(r"site\s+(http://127\.0\.0\.1:\d+)/", line):
            threading.Thread(target=banner.read, daemon=True).start()  # drain the rest of the banner
            return process, match.group(1)
    raise RuntimeError(f"the local stack did not start (exit {process.wait()})")


class LocalStack:
    def __init__(self, site_dir: Path, data_files: list[Path], port: int = 8000, verbose: bool = False,
                 today: date | None = None, services: Sequence[LocalService] = (),
                 parameters: dict[str, str] | None = None, max_instances: int = DEFAULT_MAX_INSTANCES):
        self.site_dir, self.data_files, self.port, self.verbose = site_dir, data_files, port, verbose
        self.today = today
        self.services = list(services)
        self.max_instances = max_instances
        self.aws = LocalAws()
        # The help desk the tickets also go to: a stand-in of Zendesk's API and a webhook receiver.
        self.helpdesk = HelpDeskStandIn()
        service_parameters = {name: value for service in [self.helpdesk, *self.services]
                              for name, value in service.template_parameters().items()}
        self.template = sam.load(parameters={**local_parameters(), **LOCAL_PARAMETERS, **service_parameters,
                                             **(parameters or {})},
                                 queue_url_base=f"{self.aws.endpoint}/123456789012")
        # The table stream → pipe → delivery queue → deliverer path of the template, always on.
        self.delivery = LocalDelivery(self.template)
        # delivery last: it starts after, and stops before, the help desk it delivers to
        self.services = [self.helpdesk, *self.services, self.delivery]
        self.pools: dict[str, FunctionPool] = {}
        self.in_process_handlers: dict[str, Callable[[dict, LambdaContext], dict]] = {}
        self.http: WSGIServer | None = None
        self.postal_key = secrets.token_hex(32)  # this stack's postal-code digest key, in its local SSM
        self.acknowledge_key = secrets.token_hex(32)  # and the key of its acknowledge links

    def start(self) -> LocalStack:
        try:
            return self._start()
        except BaseException:
            self.stop()  # nothing left running when the start fails (a bad data file, a function's init)
            raise

    def _start(self) -> LocalStack:
        self.aws.start().configure_environment()  # this process's clients (importer, tests) use it too
        gateway = Gateway(self.template.routes, self.site_dir, self.invoke, self.endpoints())
        # bound before any function starts: the site's address is every e-mail link's (SITE_URL)
        self.http = http = WSGIServer(gateway, ("127.0.0.1", self.port))  # keep-alive, as browsers and CloudFront use
        self.port = http.server_port
        os.environ.update(self.operator_environment())
        for service in self.services:
            service.start(self)
        self.pools = {name: FunctionPool(self.function_spec(name), self.max_instances)
                      for name in self.template.functions}
        starting = [(pool, pool.start()) for pool in self.pools.values()]  # cold starts run meanwhile
        self.load_data()
        for pool, instance in starting:
            pool.adopt(instance)
        self.run_dunning()
        threading.Thread(target=http.serve_forever, daemon=True, name="gateway").start()
        for service in self.services:
            service.ready(self)
        return self

    def stop(self) -> None:
        if self.http:
            self.http.shutdown()
        for service in reversed(self.services):
            service.stop()
        for pool in self.pools.values():
            pool.stop()
        self.aws.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- functions --------------------------------------------------------------------------------

    def function_spec(self, name: str) -> FunctionSpec:
        function = self.template.functions[name]
        environment = {
            "PATH": os.environ.get("PATH", ""), **RUNTIME_ENVIRONMENT, **self.aws.environment(),
            "AWS_LAMBDA_FUNCTION_NAME": name, "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function["memory"]), "_HANDLER": function["handler"],
            **function["environment"], **self.local_values(function["environment"]),
            **({} if self.verbose else QUIET_ENVIRONMENT),
        }
        for service in self.services:
            environment.update(service.function_environment(name))
        return FunctionSpec(name, function["handler"], environment, function["timeout"], function["memory"])

    def invoke(self, function: str, event: dict) -> dict:
        """Invoke a function of the template (by logical id) as its trigger would, on an idle instance."""
        handler = self.in_process_handlers.get(function)
        if handler is not None:
            spec = self.template.functions[function]
            context = LambdaContext(function_name=function, aws_request_id=str(uuid.uuid4()),
                                    memory_limit_in_mb=spec["memory"],
                                    deadline_ms=int(time.time() * 1000) + spec["timeout"] * 1000)
            return handler(event, context)
        return self.pools[function].invoke(event)

    @contextmanager
    def in_process(self, function: str) -> Iterator[None]:
        """A test seam for fault injection: while the block runs, ``function`` runs in *this* process
        (its module imported here, the operator's environment), so a test can monkeypatch its
        client, provider, logger or environment. Its own instances serve it again afterwards; every
        other function stays in its own processes."""
        self.load_path()
        module_name, attribute = self.template.functions[function]["handler"].rsplit(".", 1)
        self.in_process_handlers[function] = getattr(importlib.import_module(module_name), attribute)
        try:
            yield
        finally:
            del self.in_process_handlers[function]

    def local_values(self, environment: dict[str, str]) -> dict[str, str]:
        """What differs locally from the template's value: the site's address (``SITE_URL``) is this stack's."""
        return {"SITE_URL": f"{self.url}/"} if "SITE_URL" in environment else {}

    def operator_environment(self) -> dict[str, str]:
        """This process's view (the importer, tests): table and bucket names, the mail sender."""
        return {**{key: value for function in self.template.functions.values()
                   for key, value in function["environment"].items() if key != "POWERTOOLS_SERVICE_NAME"},
                "SITE_URL": f"{self.url}/"}

    # --- data -------------------------------------------------------------------------------------

    def reset(self) -> None:
        """Empty local AWS, then tables, buckets, sender identity, data files and the day's dunning run again."""
        self.load_data()
        self.run_dunning()

    def load_data(self) -> None:
        with self.delivery.paused():
            self.aws.fail_ses(0)
            self.aws.reset()
            self.aws.create_tables(self.template.tables)
            self.aws.create_buckets(self.template.buckets.values())
            self.aws.create_queues(self.template.queues)
        self.aws.verify_sender(os.environ["MAIL_FROM"])
        self.load_path()
        from helpcenter import acknowledge_keys, postal_codes

        self.aws.put_secure_parameter(postal_codes.parameter_name(), self.postal_key)
        self.put_stripe_secrets()
        self.aws.put_secure_parameter(acknowledge_keys.parameter_name(), self.acknowledge_key)
        for service in self.services:
            service.aws_ready(self)
        self.load(self.data_files)

    def put_stripe_secrets(self) -> None:
        """The local Stripe stand-in's secret key and webhook signing secret in the local SSM, under the
        names the template gives the functions (read only when the provider is ``stripe``)."""
        from devstack.stripe_standin import SECRET_KEY, WEBHOOK_SECRET

        for variable, value in (("STRIPE_SECRET_PARAMETER", SECRET_KEY), ("STRIPE_WEBHOOK_SECRET_PARAMETER", WEBHOOK_SECRET)):
            names = {spec["environment"].get(variable) for spec in self.template.functions.values()}
            for name in names - {None}:
                self.aws.put_secure_parameter(name, value)

    @staticmethod
    def load_path() -> None:
        """The functions' folder on this process's path (the importer writes through their store)."""
        if str(FUNCTIONS_DIR) not in sys.path:
            sys.path.insert(0, str(FUNCTIONS_DIR))

    def load(self, files: list[Path]) -> None:
        self.load_path()
        from importer.loading import load_files, write

        write(load_files(files, self.today or date.today(), self.postal_key.encode()))

    def delivered(self, timeout: float = 30) -> list[dict]:
        """Every e-mail sent so far, once every promised message has been delivered (tests)."""
        self.delivery.drain(timeout)
        return self.aws.sent_emails()

    def run_dunning(self) -> dict:
        """What the daily schedule does on AWS: invoke the dunning function once."""
        return self.invoke("DunningFunction", {"source": "local"})

    # --- local endpoints --------------------------------------------------------------------------

    def endpoints(self) -> dict[str, Endpoint]:
        """The stack's own ``/_local/`` tools, then each service's."""
        endpoints: dict[str, Endpoint] = {"/_local/outbox": self.outbox_page, "/_local/dunning": self.dunning_endpoint,
                     "/_local/escalate": self.escalate_endpoint,
                     "/_local/feedback": self.feedback_report}
        for service in self.services:
            endpoints.update(service.endpoints())
        return endpoints

    def dunning_endpoint(self, request: Request) -> Response:
        if request.method != "POST":
            return Response("POST to run the daily dunning job now.", 405)
        return Response(json.dumps(self.run_dunning()), content_type="application/json")

    def run_escalation(self, at: str | None = None) -> dict:
        """What the 5-minute schedule does on AWS, as of ``at`` (an ISO 8601 instant) or now."""
        return self.invoke("EscalationFunction", {"source": "local", **({"at": at} if at else {})})

    def escalate_endpoint(self, request: Request) -> Response:
        """``POST /_local/escalate?at=2026-12-01T10:00:00Z``: the escalation job as of that instant."""
        if request.method != "POST":
            return Response("POST to run the escalation job (?at=<ISO 8601 instant with offset>).", 405)
        at = request.args.get("at")
        if at:
            try:
                if datetime.fromisoformat(at.replace(" ", "+")).tzinfo is None:
                    raise ValueError(at)
            except ValueError:
                return Response(json.dumps({"error": "validation_error",
                                            "message": "at must be an ISO 8601 instant with an offset."}),
                                400, content_type="application/json")
            at = at.replace(" ", "+")  # a "+" left unencoded in the query string arrives as a space
        return Response(json.dumps(self.run_escalation(at)), content_type="application/json")

    def feedback_report(self, request: Request) -> Response:
        """The writers' report of votes, comments and failed searches (``make feedback``)."""
        from helpcenter.store.feedback import feedback_items
        from tools.feedback_report import report

        return Response(report(feedback_items()), content_type="text/markdown; charset=utf-8")

    def outbox_page(self, request: Request) -> Response:
        """The e-mails the local SES captured, newest first, each as its recipient sees it: the HTML part
        (in a sandboxed frame: no script, no outside request) beside the plain-text part, with its language."""
        mails = list(reversed(self.aws.sent_emails()))
        rows = "".join(
            f"<article class='mail' lang='{escape(m['language'])}' id='mail-{escape(m['id'])}'>"
            f"<h2>{escape(m['subject'])}</h2>"
            f"<p>To: {escape(', '.join(m['to']))} · language <strong class='mail-language'>"
            f"{escape(m['language'] or '?')}</strong></p>"
            "<div class='parts'>"
            f"<iframe class='mail-html' title='HTML: {escape(m['subject'])}' sandbox srcdoc=\"{escape(m['html'])}\">"
            "</iframe>"
            f"<pre class='mail-text'>{escape(m['body'])}</pre></div></article>"
            for m in mails
        )
        html = (
            "<!doctype html><html lang='en'><meta charset='utf-8'><title>Local outbox</title>"
            "<style>body{font-family:sans-serif;max-width:80rem;margin:auto;padding:0 1rem}"
            ".parts{display:grid;grid-template-columns:1fr 1fr;gap:1rem}"
            "iframe{width:100%;height:36rem;border:1px solid #ccc}"
            "pre{white-space:pre-wrap;border:1px solid #ccc;padding:.5rem;margin:0;overflow:auto;max-height:36rem}"
            "article{border-bottom:2px solid #3f51b5;padding-bottom:1rem}</style>"
            f"<body><h1>Local outbox ({len(mails)} e-mails)</h1>"
            "<p>HTML part on the left, plain-text part on the right, as the recipient's mail program shows them.</p>"
            f"{rows or '<p>No e-mail yet.</p>'}</body></html>"
        )
        return Response(html, content_type="text/html; charset=utf-8")
