"""A Werkzeug app that plays API Gateway (REST, proxy integration) and CloudFront over the site.

``/api/<route>`` becomes the proxy event API Gateway would send, the route's function runs it on one
of its instances (each a process of its own, ``devstack/functions.py``), and the proxy response
becomes the HTTP response. Local endpoints (``/_local/…``) are the stack's own tools. Everything else
is a file of the built site, compressed as CloudFront compresses it.
"""

from __future__ import annotations

import base64
import gzip
import mimetypes
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from werkzeug.wrappers import Request, Response

from devstack.template import Route
from helpcenter.errors import error_json

API_PREFIX = "/api"
STAGE = "v1"
MAX_PAYLOAD = 10 * 1024 * 1024  # API Gateway's limit
# CloudFront compresses these types when the file is 1,000 bytes to 10 MB and the viewer accepts it.
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml",
                "application/manifest+json", "font/ttf", "application/vnd.ms-fontobject")
COMPRESS_MIN, COMPRESS_MAX = 1_000, 10_000_000

Invoke = Callable[[str, dict], dict]  # (function logical id, event) → the function's result
Endpoint = Callable[[Request], Response]


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
    """The WSGI app: API routes to functions, local endpoints, then the site's files."""

    def __init__(self, routes: list[Route], site_dir: Path, invoke: Invoke, endpoints: dict[str, Endpoint]):
        self.routes = routes
        self.invoke = invoke
        self.endpoints = endpoints  # path → callable(request) → response, e.g. "/_local/outbox"
        self.site = StaticSite(site_dir)

    def __call__(self, environ, start_response):
        request = Request(environ)
        return self.dispatch(request)(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        if request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/"):
            return self.api(request, request.path[len(API_PREFIX):] or "/")
        if request.path in self.endpoints:
            return self.endpoints[request.path](request)
        return self.site.serve(request)

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
                    return to_response(self.invoke(route.function, event))
                except Exception as error:  # noqa: BLE001 - what API Gateway answers when the function itself fails
                    print(f"{request.method} {request.path}: {error}", file=sys.stderr, flush=True)
                    return json_error(502, "internal_error", "Internal server error.")
        if methods:
            allowed = ", ".join(sorted(methods))
            return json_error(405, "method_not_allowed", f"Use {allowed} on this route.", {"Allow": allowed})
        return json_error(404, "not_found", "There is no such API route.")


class StaticSite:
    """The built site as CloudFront serves it from S3: index documents, ETags, gzip when accepted."""

    def __init__(self, site_dir: Path):
        self.site_dir = site_dir.resolve()
        self.compressed: dict[tuple, bytes] = {}  # (path, mtime, size) → gzip bytes, made once

    def serve(self, request: Request) -> Response:
        url_path = request.path
        candidate = (self.site_dir / url_path.lstrip("/")).resolve()
        if not candidate.is_relative_to(self.site_dir):
            return Response("Not found", 404)
        if candidate.is_dir():
            if not url_path.endswith("/"):
                return Response(status=301, headers={"Location": url_path + "/"})
            candidate = candidate / "index.html"
        status = 200
        if not candidate.is_file():
            candidate, status = not_found_page(self.site_dir, url_path), 404
            if not candidate.is_file():
                return Response("Not found", 404, content_type="text/plain; charset=utf-8")
        content_type = mimetypes.guess_type(candidate.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type in ("application/javascript", "application/json"):
            content_type += "; charset=utf-8"
        stat = candidate.stat()
        body = candidate.read_bytes()
        response = Response(body, status, content_type=content_type)
        response.set_etag(f"{stat.st_mtime_ns:x}-{stat.st_size:x}")
        if content_type.startswith(COMPRESSIBLE) and COMPRESS_MIN <= len(body) <= COMPRESS_MAX:
            response.vary.add("Accept-Encoding")
            if "gzip" in request.accept_encodings:
                key = (candidate, stat.st_mtime_ns, stat.st_size)
                if key not in self.compressed:
                    self.compressed[key] = gzip.compress(body, compresslevel=6, mtime=0)
                response.set_data(self.compressed[key])
                response.content_encoding = "gzip"
                response.set_etag(f"{stat.st_mtime_ns:x}-{stat.st_size:x}-gz")
        return response.make_conditional(request) if status == 200 else response
