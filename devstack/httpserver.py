"""A threaded WSGI server that keeps HTTP/1.1 connections open: the local stack's servers.

Hand-written on the standard library's HTTP/1.1 request handling (``http.server``) and WSGI handler
(``wsgiref``), because neither server at hand fits the local stack's traffic — a few long-lived
connections, each sending one request after another (botocore's pools, the gateway's clients):

* Werkzeug's development server closes every connection (its ``run_wsgi`` always sends
  ``Connection: close``), so each request paid a new TCP connection and a new thread;
* waitress keeps connections, but its event loop parses every request and polls every connection on
  one thread and hands each request to a worker: measured in the emulator under the load benchmark,
  about half of the emulator's CPU per call went to that loop.

Here each connection has its own thread that reads its requests in turn (as ``socketserver`` does),
and a connection stays open while the answers have a known length. A request body is read whole
(its ``Content-Length``, or its chunks) before the application runs, so the next request on the
connection always starts where it should; an answer of unknown length closes the connection after
it, as HTTP/1.1 allows.
"""

from __future__ import annotations

import io
import socket
import socketserver
from collections.abc import Callable
from wsgiref import simple_server
from wsgiref import util as handlers_util

MAX_REQUEST_LINE = 65_536


class AnswerHandler(simple_server.ServerHandler):
    """wsgiref's handler for one answer, noting whether the answer lets the connection stay open."""

    http_version = "1.1"
    keeps_connection = False

    def start_response(self, status, headers, exc_info=None):
        """The application's answer, less hop-by-hop headers (``Connection``…): this server manages the
        connection (wsgiref refuses an application that sets them)."""
        return super().start_response(status, [(name, value) for name, value in headers
                                               if not handlers_util.is_hop_by_hop(name)], exc_info)

    def send_headers(self) -> None:
        super().send_headers()  # Content-Length is set here when the answer's length is known
        headers = self.headers  # type: ignore[attr-defined]  # set by BaseHandler.start_response
        self.keeps_connection = "Content-Length" in headers


class KeepAliveHandler(simple_server.WSGIRequestHandler):
    """One connection: its requests one after another, each through the WSGI application."""

    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()  # the headers and the body leave in separate writes: no Nagle wait between them
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle(self) -> None:
        self.close_connection = True
        self.handle_one_request()
        while not self.close_connection:
            self.handle_one_request()

    def handle_one_request(self) -> None:
        try:
            self.raw_requestline = self.rfile.readline(MAX_REQUEST_LINE + 1)
        except (ConnectionError, TimeoutError):
            self.close_connection = True
            return
        if not self.raw_requestline or len(self.raw_requestline) > MAX_REQUEST_LINE:
            self.close_connection = True
            if self.raw_requestline:
                self.send_error(414)
            return
        if not self.parse_request():  # it answered the error itself, and closes
            return
        try:
            body = self.read_body()
        except ValueError:
            self.send_error(400, "Bad request body framing")  # closes the connection
            return
        environ = self.get_environ()
        environ["CONTENT_LENGTH"] = str(len(body))
        if self.headers.get("Content-Type") is None:
            del environ["CONTENT_TYPE"]  # wsgiref's made-up text/plain: API Gateway passes no header then
        answer = AnswerHandler(io.BytesIO(body), self.wfile, self.get_stderr(), environ,  # type: ignore[arg-type]
                               multithread=True)
        answer.request_handler = self  # type: ignore[attr-defined]  # wsgiref's hook for log_request
        answer.run(self.server.get_app())  # type: ignore[attr-defined]
        if not answer.keeps_connection:
            self.close_connection = True  # the client reads this answer to the end of the connection

    def read_body(self) -> bytes:
        """The request's whole body: ``Content-Length`` bytes, or the chunks of a chunked body (RFC 9112 7.1)."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while size := int(self.rfile.readline(MAX_REQUEST_LINE).split(b";", 1)[0].strip() or b"x", 16):
                chunks.append(self.rfile.read(size))
                self.rfile.readline()  # the CRLF after the chunk
            while self.rfile.readline(MAX_REQUEST_LINE).strip():
                pass  # trailer fields, up to the blank line
            return b"".join(chunks)
        length = self.headers.get("Content-Length") or "0"
        if not length.isdigit():
            raise ValueError(length)
        return self.rfile.read(int(length))

    def log_request(self, *args, **kwargs) -> None:
        pass


class WSGIServer(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    """``app`` on a listening socket (``sock``, inherited, or bound here), a thread per connection."""

    daemon_threads = True  # a connection left open does not keep the process alive
    request_queue_size = 128

    def __init__(self, app: Callable, address: tuple[str, int] = ("127.0.0.1", 0), sock: socket.socket | None = None):
        super().__init__(address, KeepAliveHandler, bind_and_activate=False)
        if sock is None:
            socketserver.TCPServer.server_bind(self)  # HTTPServer's would look 127.0.0.1 up in the DNS
            self.server_activate()
        else:
            self.socket.close()
            self.socket = sock
        self.server_address = self.socket.getsockname()
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])
        self.setup_environ()
        self.set_app(app)
        self.serving = False

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self.serving = True
        super().serve_forever(poll_interval)

    def shutdown(self) -> None:
        """Stop serving (socketserver's ``shutdown`` waits forever if ``serve_forever`` never ran) and close."""
        if self.serving:
            super().shutdown()
        self.server_close()
