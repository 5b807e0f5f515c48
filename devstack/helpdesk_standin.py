"""A local stand-in for a help desk (it is not Zendesk): the two calls of Zendesk's public Support API
that our connector makes, and a receiver of our signed webhook, each recording what it received.

Zendesk cannot be reached from a local run or from CI, so the deliverer talks to this instead (the
template's ``ZendeskUrl`` and ``WebhookUrl`` point here). It keeps Zendesk's documented behaviour
where ours relies on it: basic authentication as ``<agent e-mail>/token`` with the API token;
``POST /api/v2/tickets`` answers 201 ``{"ticket": {"id": …, …}}``; a repeated ``Idempotency-Key``
with the same body answers the first ticket (header ``x-idempotency-lookup: hit``), with another
body 400; ``GET /api/v2/tickets?external_id=…`` lists the tickets with that external id. The webhook
receiver checks ``Helpcenter-Signature`` as a real receiver would and keeps every delivery.

Faults, for tests and for trying it by hand (``/_local/helpdesk-outage``): ``outage_until`` (every
call answers 503 until then) and ``lose_answers`` (that many ticket creations succeed but answer 500,
as when the answer is lost on the way back). ``GET /_local/helpdesk`` shows what it received.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from devstack.services import LocalService

if TYPE_CHECKING:
    from devstack.stack import LocalStack

AGENT = "agent@helpcenter.example/token"
API_TOKEN = "local-standin-api-token"  # noqa: S105 - the stand-in's own fictional token, not a secret
WEBHOOK_SECRET = "local-standin-webhook-secret"  # noqa: S105 - the stand-in's own fictional secret
SIGNATURE_HEADER = "Helpcenter-Signature"
SIGNATURE_TOLERANCE_SECONDS = 300


def signed_by_us(header: str, body: bytes, now: float) -> bool:
    """The receiver's check, written from the documented scheme (not with the sender's code):
    ``t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">``, made in the last five minutes."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    if not parts.get("t", "").isdigit() or abs(now - int(parts["t"])) > SIGNATURE_TOLERANCE_SECONDS:
        return False
    expected = hmac.new(WEBHOOK_SECRET.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


def _json(value, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(value), status, headers=headers, content_type="application/json")


@dataclass
class HelpDeskState:
    tickets: list[dict] = field(default_factory=list)  # as Zendesk stores them, with their id
    webhooks: list[dict] = field(default_factory=list)  # each delivery: id, verified, payload
    refused: int = 0  # calls answered 503 during an outage (or 401)
    answers: dict[str, tuple[str, dict]] = field(default_factory=dict)  # Idempotency-Key → (body, ticket)
    outage_until: float = 0.0
    lose_answers: int = 0


class HelpDeskStandIn(LocalService):
    """The stand-in's HTTP server (its own port) as a service of the local stack."""

    def __init__(self) -> None:
        self.state = HelpDeskState()
        self.lock = threading.Lock()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.server.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread: threading.Thread | None = None

    # --- the local service ------------------------------------------------------------------------------

    def template_parameters(self) -> dict[str, str]:
        """The queue copy goes to all three channels locally, the help desk ones to this stand-in."""
        return {"TicketChannels": "email,webhook,zendesk", "ZendeskUrl": self.url, "WebhookUrl": f"{self.url}/webhook"}

    def aws_ready(self, stack: LocalStack) -> None:
        """The deliverer's secrets in the local SSM, as an operator puts them on AWS."""
        environment = stack.template.functions["DeliverMessagesFunction"]["environment"]
        stack.aws.put_secure_parameter(environment["ZENDESK_CREDENTIALS_PARAMETER"], f"{AGENT}:{API_TOKEN}")
        stack.aws.put_secure_parameter(environment["WEBHOOK_SECRET_PARAMETER"], WEBHOOK_SECRET)
        self.reset()

    def endpoints(self):
        return {"/_local/helpdesk": self.received_endpoint, "/_local/helpdesk-outage": self.outage_endpoint}

    def start(self, stack: LocalStack) -> None:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True, name="helpdesk-standin")
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()

    def reset(self) -> None:
        with self.lock:
            self.state = HelpDeskState()

    # --- local endpoints ------------------------------------------------------------------------------

    def received_endpoint(self, request: Request) -> Response:
        """``GET /_local/helpdesk``: the tickets and webhook deliveries the stand-in received."""
        with self.lock:
            state = self.state
            return _json({"stand_in": "local stand-in of Zendesk's Support API and of a webhook receiver",
                          "tickets": state.tickets, "webhooks": state.webhooks, "refused": state.refused})

    def outage_endpoint(self, request: Request) -> Response:
        """``POST /_local/helpdesk-outage?seconds=N`` (503 to every call for N s) and/or
        ``&lose_answers=K`` (the next K ticket creations succeed but answer 500)."""
        if request.method == "POST":
            try:
                seconds = float(request.args.get("seconds", "0"))
                lose = int(request.args.get("lose_answers", "0"))
            except ValueError:
                return _json({"error": "validation_error", "message": "seconds and lose_answers are numbers"}, 400)
            self.fail(seconds, lose)
        with self.lock:
            return _json({"outage_seconds_left": round(max(self.state.outage_until - time.time(), 0), 1),
                          "lose_answers": self.state.lose_answers})

    def fail(self, seconds: float, lose_answers: int = 0) -> None:
        with self.lock:
            self.state.outage_until = time.time() + min(max(seconds, 0), 3600)
            self.state.lose_answers = max(lose_answers, 0)

    # --- the stand-in's API ----------------------------------------------------------------------------

    def app(self, environ, start_response):
        request = Request(environ)
        with self.lock:
            response = self.answer(request)
        return response(environ, start_response)

    def answer(self, request: Request) -> Response:
        state = self.state
        if time.time() < state.outage_until:
            state.refused += 1
            return _json({"error": "ServiceUnavailable"}, 503)
        if request.path == "/webhook" and request.method == "POST":
            return self.receive_webhook(request)
        if request.path.rstrip("/").removesuffix(".json") != "/api/v2/tickets":
            return _json({"error": "InvalidEndpoint"}, 404)
        if request.headers.get("Authorization") != "Basic " + base64.b64encode(f"{AGENT}:{API_TOKEN}".encode()).decode():
            state.refused += 1
            return _json({"error": "Couldn't authenticate you"}, 401)
        if request.method == "GET":
            external_id = request.args.get("external_id")
            return _json({"tickets": [t for t in state.tickets if t["external_id"] == external_id]})
        if request.method == "POST":
            return self.create_ticket(request)
        return _json({"error": "InvalidEndpoint"}, 405)

    def create_ticket(self, request: Request) -> Response:
        state = self.state
        body = request.get_data(as_text=True)
        key = request.headers.get("Idempotency-Key")
        if key and key in state.answers:
            first_body, ticket = state.answers[key]
            if first_body != body:
                return _json({"error": "IdempotentRequestError",
                              "description": "Idempotency key reused with a different payload"}, 400)
            return _json({"ticket": ticket}, 201, {"x-idempotency-lookup": "hit"})
        fields = (json.loads(body) or {}).get("ticket") or {}
        if not fields.get("subject") or not (fields.get("comment") or {}).get("body"):
            return _json({"error": "RecordInvalid", "description": "subject and comment are required"}, 422)
        ticket = {**fields, "id": len(state.tickets) + 1, "status": "new",
                  "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        state.tickets.append(ticket)
        if key:
            state.answers[key] = (body, ticket)
        if state.lose_answers:
            state.lose_answers -= 1
            return _json({"error": "InternalError"}, 500)  # created, but the caller never learns it
        return _json({"ticket": ticket}, 201, {"x-idempotency-lookup": "miss"})

    def receive_webhook(self, request: Request) -> Response:
        body = request.get_data()
        verified = signed_by_us(request.headers.get(SIGNATURE_HEADER, ""), body, time.time())
        self.state.webhooks.append({"id": request.headers.get("Idempotency-Key"), "verified": verified,
                                    "payload": json.loads(body) if verified else None})
        return _json({"received": verified}, 200 if verified else 400)
