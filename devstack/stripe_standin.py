"""A local stand-in for Stripe (it is not Stripe): the PaymentIntents part of Stripe's public API that
the official ``stripe`` SDK and Stripe.js use, a stand-in Stripe.js (``stripe_standin.js``), a test
bank's 3-D Secure challenge, and signed webhooks.

Stripe cannot be reached from a local run or from CI, so the real SDK talks to this instead
(``stripe.api_base`` / ``STRIPE_API_BASE``). It keeps Stripe's documented behaviour where ours relies
on it: form-encoded parameters; a secret key (``sk_…``) for the server and a publishable key
(``pk_…``) for the browser; POST idempotency by the ``Idempotency-Key`` header (the first answer is
replayed, another body with the same key is refused with ``idempotency_error``); card errors as 402;
PaymentIntent statuses and their events; webhooks signed with Stripe's scheme
(``Stripe-Signature: t=<unix time>,v1=<HMAC-SHA256 of "<t>.<body>">``), so
``stripe.Webhook.construct_event`` verifies them; retries of a delivery that did not get a 2xx.

Test cards (the numbers are Stripe's test numbers; the PaymentMethod ids are Stripe's test ids,
usable from the server without a browser):

| card number         | PaymentMethod                             | outcome                                    |
| ------------------- | ----------------------------------------- | ------------------------------------------ |
| 4242 4242 4242 4242 | ``pm_card_visa``                          | succeeds                                   |
| 4000 0000 0000 0002 | ``pm_card_chargeDeclined``                | declined (``card_declined``)               |
| 4000 0000 0000 9995 | ``pm_card_chargeDeclinedInsufficientFunds`` | declined (``insufficient_funds``)        |
| 4000 0027 6000 3184 | ``pm_card_authenticationRequired``        | 3-D Secure challenge: passed → succeeds, failed → declined |
| 4000 0000 0000 0077 | ``pm_card_delayed``                       | stand-in only: ``processing``, succeeds after ``delay_seconds`` |
| —                   | ``pm_server_error``                       | stand-in only: Stripe answers 500          |

Webhook delivery, for tests: ``duplicates`` (each event delivered that many times), ``reorder``
(events held for ``hold_seconds`` and delivered newest first), ``synchronous`` (an event is delivered
before the API call that caused it answers: ``payment_intent.succeeded`` reaches us before the page's
own call). Settable in Python or with ``POST /_standin/webhooks`` (JSON); ``GET /_standin/state``
gives the counts.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import requests
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from devstack.services import LocalService

if TYPE_CHECKING:
    from devstack.stack import LocalStack

SECRET_KEY = "sk_test_local_standin"
PUBLISHABLE_KEY = "pk_test_local_standin"
WEBHOOK_SECRET = "whsec_local_standin"
API_VERSION = "2025-01-27.acacia"
SCRIPT = Path(__file__).with_name("stripe_standin.js")
# Where the local stack serves the stand-in Stripe.js (the site's STRIPE_JS_URL for a local Stripe run),
# as https://js.stripe.com/v3/ serves Stripe's: the same on every port, so a site built once serves any stack.
LOCAL_SCRIPT_PATH = "/_local/stripe/v3/"

# behaviour: "succeed" | "decline:<code>:<decline_code>" | "authenticate" | "delay" | "server_error"
CARDS = {
    "4242424242424242": ("pm_card_visa", "succeed"),
    "4000000000000002": ("pm_card_chargeDeclined", "decline:card_declined:generic_decline"),
    "4000000000009995": ("pm_card_chargeDeclinedInsufficientFunds", "decline:card_declined:insufficient_funds"),
    "4000002760003184": ("pm_card_authenticationRequired", "authenticate"),
    "4000000000000077": ("pm_card_delayed", "delay"),
}
TEST_PAYMENT_METHODS = {alias: behaviour for alias, behaviour in CARDS.values()} | {"pm_server_error": "server_error"}
DECLINE_MESSAGES = {"generic_decline": "Your card was declined.", "insufficient_funds": "Your card has insufficient funds."}

# The test bank's challenge page, in the languages of the site (Stripe.js localises its own texts).
CHALLENGE_TEXT = {
    "en": ("Test bank: confirm this payment", "Complete authentication", "Fail authentication",
           "Stand-in for your bank's 3-D Secure check: no real bank is involved."),
    "vi": ("Ngân hàng thử nghiệm: xác nhận khoản thanh toán", "Hoàn tất xác thực", "Xác thực thất bại",
           "Mô phỏng bước kiểm tra 3-D Secure của ngân hàng: không có ngân hàng thật nào tham gia."),
    "it": ("Banca di prova: conferma il pagamento", "Completa l'autenticazione", "Fai fallire l'autenticazione",
           "Simula il controllo 3-D Secure della banca: nessuna banca reale è coinvolta."),
    "fr": ("Banque de test : confirmez ce paiement", "Réussir l'authentification", "Échouer l'authentification",
           "Simule le contrôle 3-D Secure de votre banque : aucune vraie banque n'intervient."),
    "th": ("ธนาคารทดสอบ: ยืนยันการชำระเงินนี้", "ยืนยันตัวตนสำเร็จ", "ยืนยันตัวตนไม่สำเร็จ",
           "จำลองการตรวจสอบ 3-D Secure ของธนาคาร ไม่มีธนาคารจริงเกี่ยวข้อง"),
}


def sign(payload: str, secret: str, timestamp: int | None = None) -> str:
    """Stripe's webhook signature header for ``payload``."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def _nested(form: dict[str, str]) -> dict:
    """Stripe's form encoding (``metadata[invoice_number]=…``, ``a[b][0]=…``) as nested values."""
    result: dict = {}
    for key, value in form.items():
        parts = re.findall(r"[^\[\]]+", key)
        target = result
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return result


class StripeError(Exception):
    def __init__(self, status: int, **error):
        super().__init__(error.get("message", ""))
        self.status, self.error = status, error


@dataclass
class Webhooks:
    """Where and how events are delivered."""

    url: str | None = None
    secret: str = WEBHOOK_SECRET
    duplicates: int = 1
    reorder: bool = False
    hold_seconds: float = 1.0
    synchronous: bool = False
    attempts: int = 4  # a delivery that did not get a 2xx is retried, like Stripe does (sooner here)
    held: list = field(default_factory=list)
    deliveries: list = field(default_factory=list)  # (event id, type, HTTP status or 0)


class StripeStandIn:
    """The stand-in service: a WSGI app on its own 127.0.0.1 port (``start()``), like api.stripe.com."""

    def __init__(self, secret_key: str = SECRET_KEY, publishable_key: str = PUBLISHABLE_KEY,
                 delay_seconds: float = 3.0):
        self.secret_key, self.publishable_key, self.delay_seconds = secret_key, publishable_key, delay_seconds
        self.answer_delay_seconds = 0.0  # a fault: every POST is processed, then answered this late
        self.webhooks = Webhooks()
        self.lock = threading.RLock()
        self.reset()
        self.server: BaseWSGIServer | None = None

    # --- running ------------------------------------------------------------------------------------

    def start(self, port: int = 0) -> StripeStandIn:
        handler = type("Quiet", (WSGIRequestHandler,), {"log_request": lambda *a, **k: None})
        server = make_server("127.0.0.1", port, self, threaded=True, request_handler=handler)
        threading.Thread(target=server.serve_forever, daemon=True, name="stripe-standin").start()
        self.server = server
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    @property
    def url(self) -> str:
        assert self.server is not None, "the stand-in is not started"
        return f"http://127.0.0.1:{self.server.server_port}"

    def reset(self) -> None:
        """Forget every object, event and delivery (the webhook endpoint stays)."""
        with self.lock:
            self.payment_methods: dict[str, dict] = {}
            self.intents: dict[str, dict] = {}
            self.idempotent: dict[str, tuple[str, dict, int, dict]] = {}  # key → (route, params, status, body)
            self.events: list[dict] = []
            self.refunds: list[dict] = []
            self.requests: list[dict] = []
            self.webhooks.held, self.webhooks.deliveries = [], []

    # --- what tests and the benchmark count -----------------------------------------------------------

    def charges(self, key: str | None = None) -> list[dict]:
        """PaymentIntents that took money (succeeded), optionally only those made with ``key``."""
        with self.lock:
            return [dict(i) for i in self.intents.values() if i["status"] == "succeeded"
                    and (key is None or i["metadata"].get("idempotency_key") == key)]

    def state(self) -> dict:
        with self.lock:
            statuses: dict[str, int] = {}
            for intent in self.intents.values():
                statuses[intent["status"]] = statuses.get(intent["status"], 0) + 1
            return {"payment_intents": statuses, "charges": len(self.charges()), "refunds": len(self.refunds),
                    "events": len(self.events), "deliveries": len(self.webhooks.deliveries),
                    "held": len(self.webhooks.held)}

    # --- HTTP -----------------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.method == "OPTIONS":  # CORS preflight from the page's origin (Stripe allows any)
            response = Response(status=204)
        else:
            try:
                response = self.dispatch(request)
            except StripeError as error:
                response = self.json({"error": error.error}, error.status)
        response.headers.update({"Access-Control-Allow-Origin": "*",
                                 "Access-Control-Allow-Headers": "Authorization, Content-Type, Idempotency-Key",
                                 "Access-Control-Allow-Methods": "GET, POST, OPTIONS"})
        return response(environ, start_response)

    @staticmethod
    def json(body: dict, status: int = 200, **headers) -> Response:
        return Response(json.dumps(body), status, content_type="application/json", headers=headers)

    def dispatch(self, request: Request) -> Response:
        path, method = request.path.rstrip("/") or "/", request.method
        form = request.form.to_dict()
        with self.lock:
            self.requests.append({"method": method, "path": path, "headers": dict(request.headers), "form": form,
                                  "args": request.args.to_dict()})
        if path == "/v3" and method == "GET":
            return self.script_response()
        if path.startswith("/challenge/"):
            return self.challenge(request, path.removeprefix("/challenge/"))
        if path.startswith("/_standin/"):
            return self.control(request, path)
        key_kind = self.authenticate(request)
        if path == "/v1/payment_methods" and method == "POST":
            return self.json(self.create_payment_method(_nested(form)))
        if key_kind != "secret" and not (method == "GET" and path.startswith("/v1/payment_intents/")):
            raise StripeError(401, type="invalid_request_error",
                              message="This API call cannot be made with a publishable API key.")
        if path == "/v1/payment_intents/search" and method == "GET":
            return self.search(request.args.get("query", ""))
        match = re.fullmatch(r"/v1/payment_intents/(pi_\w+)", path)
        if match and method == "GET":
            intent = self.intent(match.group(1))
            if key_kind != "secret" and request.args.get("client_secret") != intent["client_secret"]:
                raise StripeError(404, type="invalid_request_error", code="resource_missing",
                                  message=f"No such payment_intent: '{match.group(1)}'")
            return self.json(intent)
        if method == "POST":
            return self.idempotent_post(request.headers.get("Idempotency-Key"), path, form)
        raise StripeError(404, type="invalid_request_error", message=f"Unrecognized request URL ({method}: {path})")

    def script_response(self) -> Response:
        """The stand-in Stripe.js, talking to this stand-in."""
        script = SCRIPT.read_text(encoding="utf-8").replace("__STANDIN_API__", self.url)
        return Response(script, content_type="application/javascript; charset=utf-8")

    def authenticate(self, request: Request) -> str:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip() or request.form.get("key", "")
        if given == self.secret_key:
            return "secret"
        if given == self.publishable_key:
            return "publishable"
        raise StripeError(401, type="invalid_request_error", message="Invalid API Key provided")

    def idempotent_post(self, key: str | None, path: str, form: dict) -> Response:
        """Stripe's idempotency: the first answer to a key is replayed; another request with it is refused."""
        events: list[dict] = []
        with self.lock:
            if key and key in self.idempotent:
                route, params, status, body = self.idempotent[key]
                if (route, params) != (path, form):
                    raise StripeError(400, type="idempotency_error",
                                      message="Keys for idempotent requests can only be used with the same "
                                              "parameters they were first used with.")
                return self.json(body, status, **{"Idempotent-Replayed": "true"})
            try:
                status, body = 200, self.post(path, _nested(form), events)
            except StripeError as error:
                if error.status >= 500:
                    raise  # Stripe does not keep the answer to a request it failed to process
                status, body = error.status, {"error": error.error}
            if key:
                self.idempotent[key] = (path, form, status, body)
        self.publish(events)
        time.sleep(self.answer_delay_seconds)
        return self.json(body, status)

    def post(self, path: str, params: dict, events: list) -> dict:
        if path == "/v1/payment_intents":
            return self.create_intent(params, events)
        if path == "/v1/refunds":
            return self.refund(params, events)
        match = re.fullmatch(r"/v1/payment_intents/(pi_\w+)/(confirm|cancel)", path)
        if not match:
            raise StripeError(404, type="invalid_request_error", message=f"Unrecognized request URL (POST: {path})")
        intent = self.intents.get(match.group(1)) or self.intent(match.group(1))
        if match.group(2) == "cancel":
            return self.cancel(intent, events)
        if params.get("payment_method"):
            intent["payment_method"] = params["payment_method"]
        return self.confirm(intent, events)

    # --- objects --------------------------------------------------------------------------------------

    def create_payment_method(self, params: dict) -> dict:
        card = params.get("card") or {}
        number = re.sub(r"\D", "", card.get("number", ""))
        if number not in CARDS:
            raise StripeError(402, type="card_error", code="incorrect_number", param="card[number]",
                              message="Your card number is incorrect.")
        alias, _ = CARDS[number]
        method: dict = {"id": _new_id("pm"), "object": "payment_method", "type": "card",
                  "card": {"last4": number[-4:], "brand": "visa", "exp_month": int(card.get("exp_month") or 12),
                           "exp_year": int(card.get("exp_year") or 2030)}, "test_alias": alias}
        with self.lock:
            self.payment_methods[method["id"]] = method
        return method

    def behaviour(self, payment_method: str) -> str | None:
        if payment_method in TEST_PAYMENT_METHODS:
            return TEST_PAYMENT_METHODS[payment_method]
        method = self.payment_methods.get(payment_method)
        return TEST_PAYMENT_METHODS[method["test_alias"]] if method else None

    def intent(self, intent_id: str) -> dict:
        with self.lock:
            if intent_id not in self.intents:
                raise StripeError(404, type="invalid_request_error", code="resource_missing", param="intent",
                                  message=f"No such payment_intent: '{intent_id}'")
            return dict(self.intents[intent_id])

    def create_intent(self, params: dict, events: list) -> dict:
        try:
            amount = int(params["amount"])
            currency = params["currency"].lower()
        except (KeyError, ValueError):
            raise StripeError(400, type="invalid_request_error", param="amount",
                              message="Missing required param: amount or currency.") from None
        if amount < 1:
            raise StripeError(400, type="invalid_request_error", param="amount", code="amount_too_small",
                              message="Amount must be at least 1.")
        intent_id = _new_id("pi")
        intent = {
            "id": intent_id, "object": "payment_intent", "amount": amount, "currency": currency,
            "status": "requires_payment_method", "client_secret": f"{intent_id}_secret_{secrets.token_hex(8)}",
            "payment_method": params.get("payment_method"), "description": params.get("description"),
            "metadata": dict(params.get("metadata") or {}), "last_payment_error": None, "next_action": None,
            "created": int(time.time()), "livemode": False, "amount_received": 0, "canceled_at": None,
        }
        self.intents[intent_id] = intent
        events.append(self.event("payment_intent.created", intent))
        if params.get("confirm") == "true":
            return self.confirm(intent, events)
        if intent["payment_method"]:
            intent["status"] = "requires_confirmation"
        return dict(intent)

    def confirm(self, intent: dict, events: list) -> dict:
        if intent["status"] not in ("requires_payment_method", "requires_confirmation"):
            raise StripeError(400, type="invalid_request_error", code="payment_intent_unexpected_state",
                              message=f"This PaymentIntent's status is {intent['status']}: it cannot be confirmed.")
        behaviour = self.behaviour(intent["payment_method"] or "")
        if behaviour is None:
            raise StripeError(400, type="invalid_request_error", code="resource_missing", param="payment_method",
                              message=f"No such PaymentMethod: '{intent['payment_method']}'")
        if behaviour == "server_error":
            raise StripeError(500, type="api_error", message="Something went wrong on Stripe's end.")
        if behaviour.startswith("decline:"):
            _, code, decline_code = behaviour.split(":")
            error = {"type": "card_error", "code": code, "decline_code": decline_code,
                     "message": DECLINE_MESSAGES[decline_code]}
            intent.update(status="requires_payment_method", last_payment_error=error)
            events.append(self.event("payment_intent.payment_failed", intent))
            raise StripeError(402, **error, payment_intent=dict(intent))
        if behaviour == "authenticate":
            intent.update(status="requires_action", next_action={"type": "use_stripe_sdk", "use_stripe_sdk": {
                "type": "three_d_secure_redirect", "stripe_js": f"/challenge/{intent['id']}"}})
            events.append(self.event("payment_intent.requires_action", intent))
        elif behaviour == "delay":
            intent.update(status="processing")
            events.append(self.event("payment_intent.processing", intent))
            timer = threading.Timer(self.delay_seconds, self.succeed_later, args=(intent["id"],))
            timer.daemon = True
            timer.start()
        else:
            self.succeed(intent, events)
        return dict(intent)

    def succeed(self, intent: dict, events: list) -> None:
        intent.update(status="succeeded", amount_received=intent["amount"], next_action=None, last_payment_error=None)
        events.append(self.event("payment_intent.succeeded", intent))

    def succeed_later(self, intent_id: str) -> None:
        events: list[dict] = []
        with self.lock:
            intent = self.intents.get(intent_id)
            if intent and intent["status"] == "processing":
                self.succeed(intent, events)
        self.publish(events)

    def authenticate_intent(self, intent_id: str, passed: bool) -> dict:
        """The customer passed or failed the bank's challenge."""
        events: list[dict] = []
        with self.lock:
            intent = self.intents[intent_id]
            if intent["status"] == "requires_action":
                if passed:
                    self.succeed(intent, events)
                else:
                    intent.update(status="requires_payment_method", next_action=None, last_payment_error={
                        "type": "card_error", "code": "payment_intent_authentication_failure",
                        "message": "We are unable to authenticate your payment method."})
                    events.append(self.event("payment_intent.payment_failed", intent))
            result = dict(intent)
        self.publish(events)
        return result

    def cancel(self, intent: dict, events: list) -> dict:
        if intent["status"] in ("succeeded", "canceled"):
            raise StripeError(400, type="invalid_request_error", code="payment_intent_unexpected_state",
                              message=f"You cannot cancel this PaymentIntent because it has a status of "
                                      f"{intent['status']}.", payment_intent=dict(intent))
        intent.update(status="canceled", next_action=None, canceled_at=int(time.time()))
        events.append(self.event("payment_intent.canceled", intent))
        return dict(intent)

    def refund(self, params: dict, events: list) -> dict:
        intent = self.intents.get(params.get("payment_intent", ""))
        if not intent or intent["status"] != "succeeded":
            raise StripeError(400, type="invalid_request_error", code="charge_not_refundable",
                              message="This PaymentIntent has no charge to refund.")
        refund = {"id": _new_id("re"), "object": "refund", "payment_intent": intent["id"], "amount": intent["amount"],
                  "currency": intent["currency"], "status": "succeeded", "metadata": dict(params.get("metadata") or {})}
        self.refunds.append(refund)
        events.append(self.event("charge.refunded", {**intent, "object": "charge"}))
        return refund

    def search(self, query: str) -> Response:
        """The Search API for the two clauses we use: ``metadata['k']:'v'`` and ``status:'s'``."""
        clauses = re.findall(r"(metadata\['(\w+)'\]|status):'([^']*)'", query)
        with self.lock:
            found = [dict(i) for i in self.intents.values() if all(
                (i["metadata"].get(meta) == value) if meta else (i["status"] == value) for _, meta, value in clauses)]
        return self.json({"object": "search_result", "data": found, "has_more": False,
                          "url": "/v1/payment_intents/search"})

    # --- events and webhooks ------------------------------------------------------------------------

    def event(self, kind: str, data: dict) -> dict:
        event = {"id": _new_id("evt"), "object": "event", "api_version": API_VERSION, "created": int(time.time()),
                 "type": kind, "livemode": False, "pending_webhooks": 1, "data": {"object": dict(data)}}
        self.events.append(event)
        return event

    def publish(self, events: list[dict]) -> None:
        """Hand new events to the webhook endpoint, as configured (duplicated, held and reversed, inline)."""
        hooks = self.webhooks
        if not hooks.url or not events:
            return
        copies = [event for event in events for _ in range(max(hooks.duplicates, 1))]
        if hooks.reorder:
            with self.lock:
                first = not hooks.held
                hooks.held.extend(copies)
            if first:
                timer = threading.Timer(hooks.hold_seconds, self.flush)
                timer.daemon = True
                timer.start()
        elif hooks.synchronous:
            self.deliver(copies)
        else:
            threading.Thread(target=self.deliver, args=(copies,), daemon=True).start()

    def flush(self) -> None:
        """Deliver the held events, newest first."""
        with self.lock:
            held, self.webhooks.held = self.webhooks.held, []
        self.deliver(list(reversed(held)))

    def deliver(self, events: list[dict]) -> None:
        url = self.webhooks.url
        if not url:
            return
        for event in events:
            payload = json.dumps(event)
            status = 0
            for attempt in range(self.webhooks.attempts):
                try:
                    answer = requests.post(url, data=payload.encode(), timeout=10, headers={
                        "Content-Type": "application/json; charset=utf-8",
                        "Stripe-Signature": sign(payload, self.webhooks.secret),
                        "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks) local-standin"})
                    status = answer.status_code
                except requests.RequestException:
                    status = 0
                if 200 <= status < 300:
                    break
                time.sleep(0.2 * (attempt + 1))
            with self.lock:
                self.webhooks.deliveries.append((event["id"], event["type"], status))

    # --- the test bank's challenge and the stand-in's own controls ------------------------------------

    def challenge(self, request: Request, intent_id: str) -> Response:
        intent = self.intent(intent_id)
        if request.values.get("client_secret") != intent["client_secret"]:
            return Response("Not found", 404)
        locale = request.values.get("locale", "en")
        title, complete, fail, note = CHALLENGE_TEXT.get(locale, CHALLENGE_TEXT["en"])
        if request.method == "POST":
            self.authenticate_intent(intent_id, passed=request.form.get("outcome") == "pass")
            body = "<script>parent.postMessage({type: 'standin-3ds-done'}, '*')</script>"
        else:
            body = (f"<h1>{escape(title)}</h1><p>{escape(note)}</p><form method=post>"
                    f"<input type=hidden name=client_secret value='{escape(intent['client_secret'])}'>"
                    f"<input type=hidden name=locale value='{escape(locale)}'>"
                    f"<button name=outcome value=pass>{escape(complete)}</button> "
                    f"<button name=outcome value=fail>{escape(fail)}</button></form>")
        return Response(f"<!doctype html><html lang='{escape(locale)}'><meta charset=utf-8>"
                        f"<body style='font-family:sans-serif;padding:1rem'>{body}</body></html>",
                        content_type="text/html; charset=utf-8")

    def control(self, request: Request, path: str) -> Response:
        if path == "/_standin/state":
            return self.json(self.state())
        if path == "/_standin/webhooks" and request.method == "POST":
            settings = request.get_json(silent=True) or {}
            for name in ("url", "secret", "duplicates", "reorder", "hold_seconds", "synchronous"):
                if name in settings:
                    setattr(self.webhooks, name, settings[name])
            return self.json({"url": self.webhooks.url, "duplicates": self.webhooks.duplicates,
                              "reorder": self.webhooks.reorder, "synchronous": self.webhooks.synchronous})
        if path == "/_standin/webhooks/flush" and request.method == "POST":
            self.flush()
            return self.json(self.state())
        raise StripeError(404, type="invalid_request_error", message=f"Unrecognized stand-in control ({path})")



class StripeService(LocalService):
    """The stand-in as a service of the local stack (``make serve PAYMENT_PROVIDER=stripe``).

    The functions that talk to Stripe (those whose template environment names a Stripe secret) get
    ``STRIPE_API_BASE`` pointing at the stand-in, the pay function its publishable key; the stack puts
    the stand-in's secret key and webhook signing secret in its SSM (``LocalStack.put_stripe_secrets``);
    the stand-in delivers its signed events to the stack's ``POST /api/webhooks/stripe``; the
    reconciliation job runs every ``reconcile_seconds`` as its schedule does on AWS (``None``: only on
    ``POST /_local/reconcile``). The pages load the stand-in Stripe.js from the stack's
    ``LOCAL_SCRIPT_PATH`` (the site's ``STRIPE_JS_URL``, ``devstack.stack.site_settings``)."""

    def __init__(self, standin: StripeStandIn | None = None, reconcile_seconds: float | None = 60.0):
        self.standin = standin or StripeStandIn()
        self.reconcile_seconds = reconcile_seconds
        self.stack: LocalStack | None = None
        self.stopped = threading.Event()

    def start(self, stack: LocalStack) -> None:
        if self.standin.server is None:
            self.standin.start()
        self.stack = stack
        self.standin.webhooks.url = f"{stack.url}/api/webhooks/stripe"

    def function_environment(self, function: str) -> dict[str, str]:
        assert self.stack is not None
        declared = self.stack.template.functions[function]["environment"]
        environment = {"STRIPE_API_BASE": self.standin.url} if "STRIPE_SECRET_PARAMETER" in declared else {}
        if "STRIPE_PUBLISHABLE_KEY" in declared:
            environment["STRIPE_PUBLISHABLE_KEY"] = self.standin.publishable_key
        return environment

    def endpoints(self) -> dict:
        return {"/_local/reconcile": self.reconcile_endpoint, "/_local/stripe": self.state_endpoint,
                LOCAL_SCRIPT_PATH: lambda request: self.standin.script_response()}

    def reconcile(self, at: str | None = None) -> dict:
        """What the 10-minute schedule does on AWS: invoke the reconciliation function once."""
        assert self.stack is not None
        return self.stack.invoke("ReconcileFunction", {"at": at} if at else {"source": "local"})

    def reconcile_endpoint(self, request: Request) -> Response:
        if request.method != "POST":
            return Response("POST to run the reconciliation job now (?at=<ISO 8601 instant> runs it as of then).", 405)
        return Response(json.dumps(self.reconcile(request.args.get("at"))), content_type="application/json")

    def state_endpoint(self, request: Request) -> Response:
        """``GET /_local/stripe``: the stand-in's counts; ``?account_number=…``: what became of that
        account's payments (``payments_of``); ``POST`` (JSON): the stand-in's webhook settings
        (``duplicates``, ``reorder``, ``hold_seconds``, ``synchronous``)."""
        if request.method == "POST":
            return self.standin.control(request, "/_standin/webhooks")
        number = request.args.get("account_number")
        body = self.payments_of(number) if number else self.standin.state()
        return Response(json.dumps(body), content_type="application/json")

    def payments_of(self, account_number: str) -> dict:
        """One account's payments as each party saw them: charges Stripe took, the account's payment
        sequence (each settlement the table records raises it by one, nothing else does),
        confirmations the local SES sent once every promised message was delivered (e-mails naming one
        of the charges), webhook deliveries of
        ``payment_intent.succeeded`` and how they were answered."""
        from helpcenter.store import payments as payment_store

        assert self.stack is not None
        charges = [i["id"] for i in self.standin.charges() if i["metadata"].get("account_number") == account_number]
        succeeded = {e["id"] for e in self.standin.events if e["type"] == "payment_intent.succeeded"
                     and e["data"]["object"]["metadata"].get("account_number") == account_number}
        answers = [status for event_id, _, status in self.standin.webhooks.deliveries if event_id in succeeded]
        mails = [m for m in self.stack.delivered() if any(c in m["body"] for c in charges)]  # once delivered
        return {"charges": len(charges), "payment_seq": payment_store.get_payment_context(account_number).payment_seq,
                "confirmations": len(mails), "deliveries": len(answers),
                "deliveries_answered_2xx": sum(1 for status in answers if 200 <= status < 300),
                "held": len(self.standin.webhooks.held)}

    def ready(self, stack: LocalStack) -> None:
        if self.reconcile_seconds:
            threading.Thread(target=self.reconcile_loop, daemon=True, name="reconcile-schedule").start()

    def reconcile_loop(self) -> None:
        while not self.stopped.wait(self.reconcile_seconds):
            try:
                self.reconcile()
            except Exception as error:  # noqa: BLE001 - a failed run is retried by the next, as on AWS
                print(f"reconciliation run failed: {error!r}", flush=True)

    def stop(self) -> None:
        self.stopped.set()
        self.standin.stop()
