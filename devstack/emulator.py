"""The local AWS services (moto's server) in a process of their own: ``python devstack/emulator.py FD``.

It serves on the listening socket it inherits as file descriptor ``FD`` (the parent bound it, so the
port is known before this process has even imported moto).

moto's conditional writes are not atomic across threads (two racing ``ConditionExpression`` writers
can both win), so one lock admits one request at a time into moto; reading a request off its socket
and writing the answer back happen outside the lock, on the server's threads. Moto's work is one
interpreter's anyway (the GIL), so the lock costs no parallelism: the other core runs the gateway and
the function instances.

``GET /_devstack/sent-emails`` lists what the local SES captured (moto keeps it in this process);
``POST /_devstack/ses-outage?seconds=N`` makes SES refuse every send for N seconds (``GET``: how long
is left), answering 503 ServiceUnavailable as SES does when it is down.
"""

from __future__ import annotations

import io
import email
import email.policy
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs

REGION = "us-east-1"
SENT_EMAILS_PATH = "/_devstack/sent-emails"
SES_OUTAGE_PATH = "/_devstack/ses-outage"
PLAIN_MOTO = "DEVSTACK_PLAIN_MOTO"  # set (to anything): moto alone, the reference the tests compare answers with
SES_OUTAGE_BODY = (b"<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code>"
                   b"<Message>Local SES outage (POST /_local/ses-outage)</Message></Error>"
                   b"<RequestId>local-outage</RequestId></ErrorResponse>")
SESV2_SEND_PATH = "/v2/email/outbound-emails"  # SESv2 SendEmail (REST JSON): its errors are JSON
SESV2_OUTAGE_BODY = b'{"message": "Local SES outage (POST /_local/ses-outage)"}'


def sent_emails() -> list[dict]:
    """Every e-mail sent through the local SES, oldest first: subject, recipients, language and the
    plain-text (``body``) and HTML parts, read from the MIME message as a mail program would."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return [read_message(m.id, m.raw_data) if hasattr(m, "raw_data") else
            {"id": m.id, "source": m.source, "to": list(m.destinations.get("ToAddresses", [])),
             "subject": m.subject, "language": "", "body": m.body, "html": ""}
            for m in ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages]


def read_message(message_id: str, raw: str) -> dict:
    message = email.message_from_string(raw, policy=email.policy.default)
    text, html = (message.get_body(preferencelist=(kind,)) for kind in ("plain", "html"))
    return {
        "id": message_id,
        "source": str(message["From"]),
        "to": [address.addr_spec for address in message["To"].addresses],
        "subject": str(message["Subject"]),
        "language": str(message["Content-Language"] or ""),
        "body": text.get_content() if text else "",
        "html": html.get_content() if html else "",
    }


def _json(start_response, value) -> list[bytes]:
    body = json.dumps(value).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


class SerializedApp:
    """WSGI wrapper that lets one request at a time into moto, and can make SES refuse to send
    (``outage_until``, epoch seconds)."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.outage_until = 0.0

    def _is_refused_send(self, environ) -> bool:
        if time.time() >= self.outage_until or "/ses/aws4_request" not in environ.get("HTTP_AUTHORIZATION", ""):
            return False
        if environ["PATH_INFO"] == SESV2_SEND_PATH:
            return True
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        return b"Action=SendEmail" in body or b"Action=SendRawEmail" in body

    def _ses_outage(self, environ, start_response) -> list[bytes]:
        if environ["REQUEST_METHOD"] == "POST":
            seconds = float(parse_qs(environ.get("QUERY_STRING", "")).get("seconds", ["0"])[0])
            self.outage_until = time.time() + seconds
        return _json(start_response, {"seconds_left": max(self.outage_until - time.time(), 0.0)})

    def __call__(self, environ, start_response):
        if environ["PATH_INFO"] == SENT_EMAILS_PATH:
            with self.lock:
                return _json(start_response, sent_emails())
        if environ["PATH_INFO"] == SES_OUTAGE_PATH:
            return self._ses_outage(environ, start_response)
        if self._is_refused_send(environ):
            if environ["PATH_INFO"] == SESV2_SEND_PATH:
                start_response("503 Service Unavailable", [("Content-Type", "application/json"),
                                                           ("x-amzn-ErrorType", "ServiceUnavailable")])
                return [SESV2_OUTAGE_BODY]
            start_response("503 Service Unavailable", [("Content-Type", "text/xml")])
            return [SES_OUTAGE_BODY]
        with self.lock:
            return list(self.app(environ, start_response))


DYNAMODB_TARGET = "DynamoDB_20120810."


def is_dynamodb_call(environ) -> bool:
    """Whether moto's dispatcher would send this request to its DynamoDB app: a SigV4 request signed
    for ``dynamodb`` with a DynamoDB (not Streams, not 2011) target, to ``/`` (its one URL)."""
    if environ.get("PATH_INFO") != "/" or not environ.get("HTTP_X_AMZ_TARGET", "").startswith(DYNAMODB_TARGET):
        return False
    scope = environ.get("HTTP_AUTHORIZATION", "").split(",")[0].split()
    return len(scope) == 2 and scope[1].count("/") == 4 and scope[1].split("/")[3].lower() == "dynamodb"


class DynamoDBDirect:
    """DynamoDB's calls straight to moto's ``DynamoHandler``; every other request through moto's dispatcher.

    For a DynamoDB call moto's server finds the service (listing its ~200 service folders on disk on
    every request), then runs a Flask app whose view hands the request to ``DynamoHandler.dispatch`` and
    whose CORS extension adds ``Access-Control-Allow-Origin: *``: about a third of the emulator's CPU
    per call, measured. This does what that view does, with the same request class, handler, answer and
    header (``tests/integration/test_emulator_answers.py`` compares them with moto's, byte for byte)."""

    def __init__(self, dispatcher):
        from flask import Response
        from moto.dynamodb.responses import DynamoHandler
        from moto.moto_api import recorder
        from moto.moto_server.werkzeug_app import BackendRequest

        self.dispatcher, self.handler, self.recorder = dispatcher, DynamoHandler, recorder
        self.request_class, self.response_class = BackendRequest, Response

    def __call__(self, environ, start_response):
        if not is_dynamodb_call(environ):
            return self.dispatcher(environ, start_response)
        from botocore.exceptions import ClientError

        request = self.request_class(environ)
        self.recorder._record_request(request)
        try:
            status, headers, content = self.handler.dispatch(request, request.raw_url, dict(request.headers))
        except ClientError as error:  # as moto's view answers it
            status, headers, content = 400, {}, error.response["Error"]["Message"]
        response = self.response_class(response=content, status=status, headers=headers)
        response.headers["Access-Control-Allow-Origin"] = "*"  # flask_cors's default for moto's app
        return response(environ, start_response)


def cache_moto_introspection() -> None:
    """moto lists a handler class's methods (``inspect.getmembers``) on every request, ~10 % of a
    DynamoDB call's CPU (measured), and its dispatcher lists moto's ~200 service folders on disk for
    every other service's request (~7 % of the emulator's CPU while the outbox delivers, measured);
    neither a class's methods nor moto's folders change while the server runs."""
    import functools

    from moto import backends
    from moto.core import responses

    responses.method_names_from_class = functools.cache(responses.method_names_from_class)
    folders = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: folders  # the dispatcher calls it by name


def query_within_the_partition() -> None:
    """moto's ``Table.query`` on a table's own key sorts every item of the table and compares each one's
    partition key to pick the partition's: O(table) per query — 20 ms of the emulator's CPU per status
    request with the benchmark's 1,300 items (measured), where DynamoDB reads one partition. moto keeps
    a partition's items together (``table.items[partition key]``), so here a query on the table's key
    sees only those; it keeps and orders exactly the same items as before (the items whose partition key
    matches, sorted by sort key), so results, pages and errors are unchanged. Index queries are as moto
    does them. moto runs one request at a time (``SerializedApp``), so the table's view is private to
    the query while it runs."""
    import inspect

    from moto.dynamodb.models.table import Table

    query = Table.query
    parameters = inspect.signature(query)

    def query_one_partition(self, hash_key, *args, **kwargs):
        if hash_key is None or parameters.bind(self, hash_key, *args, **kwargs).arguments.get("index_name"):
            return query(self, hash_key, *args, **kwargs)
        partition = self.items.get(hash_key)
        items = [] if partition is None else list(partition.values()) if self.range_key_attr else [partition]
        self.all_items = lambda: items  # what query filters and sorts: this partition's items
        try:
            return query(self, hash_key, *args, **kwargs)
        finally:
            del self.all_items

    Table.query = query_one_partition  # type: ignore[method-assign]  # on moto's class, for every table


def transactions_back_up_only_their_items() -> None:
    """moto's ``transact_write_items`` deep-copies every table it writes to before it starts, so it can
    roll back: all the table's items and its whole stream history, which grows with every write. With
    the outbox's messages and their stream records that is ~1 s of CPU per ticket (measured), while no
    other request is served. DynamoDB's transaction concerns only the items it names (at most 100): here
    the backup is those items and each stream's length, and a cancelled transaction puts exactly those
    items back and drops the stream records it added. moto's own rollback still runs (on the same
    table objects, so it changes nothing); its answers and the table after it are as before."""
    import copy
    import types

    from moto.dynamodb import models
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    transact = models.DynamoDBBackend.transact_write_items
    no_table_copies = types.SimpleNamespace(
        deepcopy=lambda value, memo=None: value if isinstance(value, Table) else copy.deepcopy(value, memo))

    def named_item(backend, entry) -> tuple[Table, DynamoType, DynamoType | None, object] | None:
        """The table, key and a copy of the current item an operation of the transaction names."""
        operation = next(iter(entry.values()), None) if isinstance(entry, dict) else None
        if not isinstance(operation, dict) or operation.get("TableName") not in backend.tables:
            return None
        table = backend.tables[operation["TableName"]]
        attributes = operation.get("Item") or operation.get("Key") or {}
        try:
            hash_key = DynamoType(attributes[table.hash_key_attr])
            range_key = DynamoType(attributes[table.range_key_attr]) if table.range_key_attr else None
        except (KeyError, TypeError):
            return None  # a malformed key: moto refuses it before writing anything under it
        return table, hash_key, range_key, copy.deepcopy(table.get_item(hash_key, range_key))

    def put_back(table: Table, hash_key: DynamoType, range_key: DynamoType | None, item) -> None:
        if range_key is None:
            if item is None:
                table.items.pop(hash_key, None)
            else:
                table.items[hash_key] = item
        elif item is not None:
            table.items[hash_key][range_key] = item
        elif hash_key in table.items:
            table.items[hash_key].pop(range_key, None)
            if not table.items[hash_key]:
                del table.items[hash_key]

    def transact_write_items(self, transact_items):
        items = [named for entry in transact_items if (named := named_item(self, entry)) is not None]
        streams = {id(table): (table.stream_shard, len(table.stream_shard.items))
                   for table, *_ in items if table.stream_shard is not None}
        models.copy = no_table_copies  # type: ignore[assignment]  # one request at a time (SerializedApp)
        try:
            return transact(self, transact_items)
        except Exception:
            for table, hash_key, range_key, item in reversed(items):
                put_back(table, hash_key, range_key, item)
            for shard, length in streams.values():
                del shard.items[length:]
            raise
        finally:
            models.copy = copy

    models.DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]


TOKEN_WINDOW_SECONDS = 600  # DynamoDB keeps a transaction's client request token for 10 minutes


def transactions_honour_their_client_request_token() -> None:
    """DynamoDB runs a ``TransactWriteItems`` once per ``ClientRequestToken`` (botocore adds one to
    each call and keeps it across its retries): a retry after a lost answer gets the first answer again
    instead of being run a second time, and the same token with other parameters is refused with
    ``IdempotentParameterMismatchException``. moto ignores the token, so without this a retried ticket
    would find its own writes and be refused as a conflict. A token is kept for a transaction that
    succeeded; one that was cancelled wrote nothing and runs again, as in DynamoDB."""
    from moto.dynamodb.exceptions import ERROR_TYPE_PREFIX, DynamodbException
    from moto.dynamodb.responses import DynamoHandler

    transact = DynamoHandler.transact_write_items
    # token → (when, the other parameters, answer), oldest first: expired tokens leave from the front
    answered: dict[str, tuple[float, str, object]] = {}

    def transact_write_items(self):
        token = self.body.get("ClientRequestToken")
        if not token:
            return transact(self)
        now = time.monotonic()
        while answered and now - next(iter(answered.values()))[0] > TOKEN_WINDOW_SECONDS:
            del answered[next(iter(answered))]
        parameters = json.dumps({key: value for key, value in self.body.items() if key != "ClientRequestToken"},
                                sort_keys=True)
        if token in answered:
            _, first_parameters, answer = answered[token]
            if first_parameters != parameters:
                raise DynamodbException(ERROR_TYPE_PREFIX + "IdempotentParameterMismatchException",
                                        "Request parameters do not match the original request for this "
                                        "client request token.")
            return answer
        answer = transact(self)
        answered[token] = (now, parameters, answer)
        return answer

    DynamoHandler.transact_write_items = transact_write_items  # type: ignore[method-assign]


def exit_with_parent() -> None:
    """End this process when the stack that started it is gone (even if it could not stop us)."""
    import time

    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def serve(fd: int) -> None:
    """Serve moto on the inherited listening socket ``fd`` until terminated (moto imported here only).

    Each client's connection stays open, on a thread of its own (``devstack/httpserver.py``: botocore
    reuses its connections); ``SerializedApp`` admits one request at a time into moto."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    from devstack import dynamodb_json
    from devstack.httpserver import WSGIServer

    dispatcher: Callable = DomainDispatcherApplication(create_backend_app)
    if not os.environ.get(PLAIN_MOTO):
        query_within_the_partition()
        transactions_back_up_only_their_items()
        transactions_honour_their_client_request_token()
        dynamodb_json.install()
        cache_moto_introspection()
        dispatcher = DynamoDBDirect(dispatcher)
    server = WSGIServer(SerializedApp(dispatcher), sock=socket.socket(fileno=fd))
    threading.Thread(target=exit_with_parent, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    sys.path[0] = str(Path(__file__).resolve().parents[1])  # the repository (devstack's own modules), not this folder
    serve(int(sys.argv[1]))
