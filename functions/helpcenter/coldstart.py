"""A function's init without garbage collection: a full collection while the handler's modules load
costs 13-36 ms of every cold start (measured) and frees nothing, since everything created then lives
as long as the instance. ``begin`` runs first (in the function package's ``__init__``), ``finished``
last (at the end of ``handler.py``): it turns collection back on and freezes what init created, so
later collections never walk it.

Only inside a Lambda execution environment (``AWS_LAMBDA_FUNCTION_NAME`` set, as the local stack
sets it too): a test process that imports a function's models keeps its collector as it is."""

from __future__ import annotations

import gc
import os


def begin() -> None:
    if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        gc.disable()


def finished() -> None:
    if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        gc.enable()
        gc.freeze()
