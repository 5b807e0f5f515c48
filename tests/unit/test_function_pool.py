"""The local stack's function pool serves requests that find every instance busy in the order they came,
passes the place of an instance that ended to the longest-waiting request, and refuses the waiting ones
when it stops (instances here are stand-ins: the pool's bookkeeping is the unit)."""

from __future__ import annotations

import threading
import time

import pytest

from devstack import functions
from devstack.functions import FunctionError, FunctionPool, FunctionSpec

SPEC = FunctionSpec("AccountStatusFunction", "account_status.app.handler", {})


class Instance:
    """Serves an event by recording it; one that starts with "hold" waits for ``release``, one that ends
    with "crash" ends the instance."""

    def __init__(self, served: list[str], release: threading.Event):
        self.served, self.release, self.alive = served, release, True

    def wait_ready(self) -> Instance:
        return self

    def invoke(self, event: str) -> str:
        self.served.append(event)
        if event.startswith("hold"):
            assert self.release.wait(10)
        if event.endswith("crash"):
            self.alive = False
            raise FunctionError("exited")
        return event

    def stop(self) -> None:
        self.alive = False


class Pool(FunctionPool):
    """A pool whose instances are stand-ins (``FunctionInstance`` replaced where the pool makes one)."""

    def __init__(self, max_instances: int):
        super().__init__(SPEC, max_instances)
        self.served: list[str] = []
        self.release = threading.Event()
        self.started = 0

    def stand_in(self, spec: FunctionSpec) -> Instance:
        self.started += 1
        return Instance(self.served, self.release)


@pytest.fixture
def pool_of(monkeypatch):
    def make(max_instances: int) -> Pool:
        pool = Pool(max_instances)
        monkeypatch.setattr(functions, "FunctionInstance", pool.stand_in)
        return pool
    return make


def in_thread(target, *args) -> threading.Thread:
    thread = threading.Thread(target=target, args=args, daemon=True)
    thread.start()
    return thread


def until(condition) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "the pool did not get there"
        time.sleep(0.001)


def queue_waiters(pool: Pool, names: list[str]) -> list[threading.Thread]:
    """One request per name, each waiting in line before the next comes."""
    threads = []
    for n, name in enumerate(names, start=1):
        threads.append(in_thread(pool.invoke, name))
        until(lambda n=n: len(pool.waiting) == n)
    return threads


def test_waiting_requests_are_served_in_the_order_they_came_and_a_later_one_does_not_overtake_them(pool_of):
    pool = pool_of(1)

    def first_then_another():  # the next request reaches the pool the moment the instance is free
        pool.invoke("hold")
        pool.invoke("late")

    holder = in_thread(first_then_another)
    until(lambda: pool.served == ["hold"])
    waiters = queue_waiters(pool, ["a", "b", "c"])
    pool.release.set()
    for thread in [holder, *waiters]:
        thread.join(10)
    assert pool.served == ["hold", "a", "b", "c", "late"]
    assert pool.started == 1 and len(pool.idle) == 1 and not pool.waiting


def test_the_place_of_an_instance_that_ended_goes_to_the_longest_waiting_request(pool_of):
    pool = pool_of(1)
    failures: list[str] = []

    def request_that_ends_its_instance():
        with pytest.raises(FunctionError):
            pool.invoke("hold, then crash")
        failures.append("hold, then crash")

    holder = in_thread(request_that_ends_its_instance)
    until(lambda: pool.served == ["hold, then crash"])
    waiters = queue_waiters(pool, ["a", "b"])
    pool.release.set()
    for thread in [holder, *waiters]:
        thread.join(10)
    assert failures == ["hold, then crash"]
    assert pool.served == ["hold, then crash", "a", "b"]
    assert pool.started == 2 and pool.count == 1 and len(pool.idle) == 1 and not pool.waiting


def test_stopping_the_pool_refuses_the_requests_still_waiting(pool_of):
    pool = pool_of(1)
    in_thread(pool.invoke, "hold")
    until(lambda: pool.served == ["hold"])
    refusals: list[str] = []

    def waiting_request():
        with pytest.raises(FunctionError, match="stopped") as refused:
            pool.invoke("never")
        refusals.append(str(refused.value))

    waiter = in_thread(waiting_request)
    until(lambda: len(pool.waiting) == 1)
    pool.stop()
    waiter.join(10)
    pool.release.set()
    assert len(refusals) == 1 and "never" not in pool.served
