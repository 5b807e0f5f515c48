"""One Lambda function instance, in a process of its own, as Lambda runs it.

``python devstack/runtime.py FD module.function`` imports the handler once (the cold start), then
answers invocations one at a time on the socket it inherits as file descriptor ``FD``: a 4-byte
length and a JSON message each way. The process environment is the function's alone (the stack
builds it from the template), and nothing of another request or another function lives here, so
module-level state (Powertools keeps the current event on its resolver class) is as private as in a
Lambda execution environment.

Messages: the instance first sends ``{"ready": true, "init_ms": …}`` (or ``{"init_error": …}``);
then for each ``{"event", "request_id", "deadline_ms"}`` it answers ``{"result": …}`` or
``{"error": traceback}``.
"""

from __future__ import annotations

import json
import socket
import struct
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

FUNCTIONS_DIR = Path(__file__).resolve().parents[1] / "functions"
_LENGTH = struct.Struct("!I")


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


class Channel:
    """Length-prefixed JSON messages over a stream socket."""

    def __init__(self, sock: socket.socket):
        self.sock = sock

    def send(self, message: dict) -> None:
        data = json.dumps(message).encode()
        self.sock.sendall(_LENGTH.pack(len(data)) + data)

    def receive(self) -> dict:
        (length,) = _LENGTH.unpack(self._exactly(_LENGTH.size))
        return json.loads(self._exactly(length))

    def _exactly(self, count: int) -> bytes:
        chunks, remaining = [], count
        while remaining:
            chunk = self.sock.recv(remaining)
            if not chunk:
                raise EOFError("the other end closed the channel")
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        self.sock.close()


def serve(fd: int, handler_path: str) -> None:
    import importlib
    import os

    channel = Channel(socket.socket(fileno=fd))
    started = time.perf_counter()
    try:
        module_name, attribute = handler_path.rsplit(".", 1)
        handler = getattr(importlib.import_module(module_name), attribute)
    except BaseException:  # noqa: BLE001 - the init error is reported to the stack, as Lambda reports it
        channel.send({"init_error": traceback.format_exc()})
        return
    channel.send({"ready": True, "init_ms": (time.perf_counter() - started) * 1000})
    name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", module_name)
    memory = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512"))
    while True:
        try:
            request = channel.receive()
        except (EOFError, OSError):  # the stack closed the channel: this instance is done
            return
        context = LambdaContext(
            function_name=name, aws_request_id=request["request_id"], memory_limit_in_mb=memory,
            invoked_function_arn=f"arn:aws:lambda:{os.environ.get('AWS_REGION', 'us-east-1')}:123456789012:function:{name}",
            deadline_ms=request["deadline_ms"])
        try:
            reply = {"result": handler(request["event"], context)}
        except Exception:  # noqa: BLE001 - Lambda reports an unhandled error; the instance lives on
            reply = {"error": traceback.format_exc()}
        try:
            channel.send(reply)
        except (TypeError, ValueError):  # a result Lambda could not serialise either
            channel.send({"error": traceback.format_exc()})


if __name__ == "__main__":
    sys.path[0] = str(FUNCTIONS_DIR)  # the task root alone, as on Lambda (not this folder)
    serve(int(sys.argv[1]), sys.argv[2])
