"""Extension points of the local stack: what runs beside the functions, and the ``/_local/`` tools.

A :class:`LocalService` is anything the stack starts before the functions and stops after them: a
stand-in for a third-party API (its own HTTP server on a free port), or a background loop that
invokes a function the way an AWS trigger would (``stack.invoke("SomeFunction", event)``). It can

- set template parameters (``template_parameters``: e.g. the stand-in's URL for the parameter that
  names the service's address), which reach the functions as the template passes them on;
- give functions environment variables (``function_environment``), which are added to what the
  template gives that function;
- add local endpoints (``endpoints``: path → ``callable(request) → werkzeug Response``), served on
  the stack's port next to ``/_local/outbox``;
- run work in ``start`` / ``stop`` (threads, servers), with the stack at hand.

Pass services to ``LocalStack(..., services=[...])``; ``python -m devstack`` builds its list in
``devstack/__main__.py``. A new *function* needs nothing here: every function of
``infra/template.yaml`` gets its instances, its HTTP routes and ``stack.invoke``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from devstack.gateway import Endpoint

if TYPE_CHECKING:
    from devstack.stack import LocalStack


class LocalService:
    """Base class: every hook does nothing until a service overrides it."""

    def template_parameters(self) -> dict[str, str]:
        """Values of the template's parameters for the local stack (e.g. a stand-in's URL); known
        before the stack reads the template, so bind ports in ``__init__``."""
        return {}

    def aws_ready(self, stack: LocalStack) -> None:
        """Called each time the local AWS is made anew (start, reset): put parameters, secrets here."""

    def function_environment(self, function: str) -> dict[str, str]:
        """Variables for the function with this logical id (called before its instances start)."""
        return {}

    def endpoints(self) -> dict[str, Endpoint]:
        return {}

    def start(self, stack: LocalStack) -> None:
        """Called before the functions start: bind ports here so ``function_environment`` can name them."""

    def ready(self, stack: LocalStack) -> None:
        """Called once tables, data and functions are up (start background loops here)."""

    def stop(self) -> None:
        """Called when the stack stops."""
