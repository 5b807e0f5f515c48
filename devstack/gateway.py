"""A Werkzeug app that plays API Gateway (REST, proxy integration) and a static web host.

``/api/<route>`` becomes the proxy event API Gateway would send, the real handler runs in-process on
an idle "instance" (its own copy of the handler module, like a warm Lambda container: one request at
a time per instance, several instances in parallel), and the proxy response becomes the HTTP
response. Everything else is a file of the built site.
"""

from __future__ import annotations

import base64
import importlib.util
import mimetypes
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from werkzeug.wrappers import Request, Response

from devstack.template import Route
from helpcenter.errors import error_json

API_PREFIX = "/api"
STAGE = "v1"
MAX_PAYLOAD = 10 * 1024 * 1024  # API Gateway's limit
FUNCTIONS_DIR = Path(__file__).resolve().parents[1] / "functions"


@dataclass
class LambdaContext:
    function_name: str
    aws_request_id: str
    memory_limit_in_mb: int = 512
    function_version: str = "$LATEST"
    invoked_function_arn: str = ""
    log_group_name: str = ""
    log_stream_name: str = "local"
    deadline_ms: int = 0

    def get_remaining_time_in_millis(self) -> int:
        return max(self.deadline_ms - int(time.time() * 1000), 0)


class FunctionPool:
    """Warm instances of one function's handler; an idle one serves each request."""

    def __init__(self, name: str, handler: str, max_instances: int = 8):
        self.name, self.handler, self.max_instances = name, handler, max_instances
        self.idle: list = []
        self.count = 0
        self.available = threading.Condition()

    def _new_instance(self):
        module_name, function_name = self.handler.rsplit(".", 1)
        path = FUNCTIONS_DIR / (module_name.replace(".", "/") + ".py")
        unique = f"{module_name}__instance{self.count}"
        spec = importlib.util.spec_from_file_location(unique, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[unique] = module
        spec.loader.exec_module(module)
        return getattr(module, function_name)

    def invoke(self, event: dict, timeout_s: int = 30) -> dict:
        with self.available:
            while not self.idle and self.count >= self.max_instances:
                self.available.wait()
            handler = self.idle.pop() if self.idle else None
            if handler is None:
                self.count += 1
        if handler is None:
            handler = self._new_instance()
        context = LambdaContext(
            function_name=self.name,
            aws_request_id=str(uuid.uuid4()),
            invoked_function_arn=f"arn:aws:lambda:us-east-1:123456789012:function:{self.name}",
            deadline_ms=int(time.time() * 1000) + timeout_s * 1000,
        )
        try:
            return handler(event, context)
        finally:
            with self.available:
                self.idle.append(handler)
                self.available.notify()


def not_found_page(site_dir: Path, url_path: str) -> Path:
    """The 404 page in the language of the URL's first folder (/fr/nope/ -> fr/404.html), else /404.html."""
    first = url_path.strip("/").split("/", 1)[0]
    own = site_dir / first / "404.html"
    return own if first and own.is_file() else site_dir / "404.html"


def json_error(status: int, code: str, message: str, headers: dict | None = None) -> Response:
    """An answer of the gateway itself, in the API's one error shape."""
    return Response(error_json(code, message), status, content_type="application/json", headers=headers)


def proxy_event(request: Request, route: Route, path: str, path_parameters: dict) -> dict:
    """The REST API proxy-integration event for ``request`` (as documented by API Gateway)."""
    raw = request.get_data(cache=False)
    try:
        body, encoded = (raw.decode("utf-8"), False) if raw else (None, False)
    except UnicodeDecodeError:
        body, encoded = base64.b64encode(raw).decode(), True
    headers = {key: value for key, value in request.headers.items()}
    multi_headers = {key: request.headers.getlist(key) for key in headers}
    query = request.args.to_dict(flat=True) or None
    multi_query = request.args.to_dict(flat=False) or None
    return {
        "resource": route.path,
        "path": path,
        "httpMethod": request.method,
        "headers": headers,
        "multiValueHeaders": multi_headers,
        "queryStringParameters": query,
        "multiValueQueryStringParameters": multi_query,
        "pathParameters": path_parameters or None,
        "stageVariables": None,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "resourceId": "local",
            "resourcePath": route.path,
            "httpMethod": request.method,
            "path": f"/{STAGE}{path}",
            "stage": STAGE,
            "requestId": str(uuid.uuid4()),
            "requestTimeEpoch": int(time.time() * 1000),
            "protocol": request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
            "domainName": request.host,
            "identity": {"sourceIp": request.remote_addr, "userAgent": request.user_agent.string},
        },
        "body": body,
        "isBase64Encoded": encoded,
    }


def to_response(result: dict) -> Response:
    body = result.get("body") or ""
    data = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
    response = Response(data, status=result.get("statusCode", 200))
    for key, value in (result.get("headers") or {}).items():
        response.headers[key] = value
    for key, values in (result.get("multiValueHeaders") or {}).items():
        response.headers.remove(key)
        for value in values:
            response.headers.add(key, value)
    return response


class Gateway:
    def __init__(self, routes: list[Route], site_dir: Path, extra_endpoints: dict | None = None):
        self.routes = routes
        self.site_dir = site_dir.resolve()
        self.pools = {route.function: FunctionPool(route.function, route.handler) for route in routes}
        self.extra_endpoints = extra_endpoints or {}

    def __call__(self, environ, start_response):
        request = Request(environ)
        return self.dispatch(request)(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        if request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/"):
            return self.api(request, request.path[len(API_PREFIX):] or "/")
        if request.path in self.extra_endpoints:
            return self.extra_endpoints[request.path](request)
        return self.static(request.path)

    def api(self, request: Request, path: str) -> Response:
        if (request.content_length or 0) > MAX_PAYLOAD:
            return json_error(413, "body_too_large", "The request body is too large.")
        methods = []
        for route in self.routes:
            match = route.pattern.match(path)
            if not match:
                continue
            methods.append(route.method)
            if route.method == request.method:
                event = proxy_event(request, route, path, match.groupdict())
                try:
                    return to_response(self.pools[route.function].invoke(event))
                except Exception:  # noqa: BLE001 - what API Gateway answers when the function itself crashes
                    import traceback

                    traceback.print_exc()
                    return json_error(502, "internal_error", "Internal server error.")
        if methods:
            allowed = ", ".join(sorted(methods))
            return json_error(405, "method_not_allowed", f"Use {allowed} on this route.", {"Allow": allowed})
        return json_error(404, "not_found", "There is no such API route.")

    def static(self, url_path: str) -> Response:
        candidate = (self.site_dir / url_path.lstrip("/")).resolve()
        if not candidate.is_relative_to(self.site_dir):
            return Response("Not found", 404)
        if candidate.is_dir():
            if not url_path.endswith("/"):
                return Response(status=301, headers={"Location": url_path + "/"})
            candidate = candidate / "index.html"
        if not candidate.is_file():
            not_found = not_found_page(self.site_dir, url_path)
            body = not_found.read_bytes() if not_found.is_file() else b"Not found"
            return Response(body, 404, content_type="text/html; charset=utf-8")
        content_type = mimetypes.guess_type(candidate.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type in ("application/javascript", "application/json"):
            content_type += "; charset=utf-8"
        return Response(candidate.read_bytes(), content_type=content_type)
