"""The local stack behaves like Lambda: isolated instances, each function's own environment, atomic
conditional writes under concurrency, and static files compressed as the CDN compresses them."""

from __future__ import annotations

import gzip
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import brotli
import pytest
import requests
import yaml
from botocore.exceptions import ClientError

from helpcenter.rules import dunning

from devstack.functions import COVERAGE_VARIABLES
from devstack.stack import DEMO_DATA, QUIET_ENVIRONMENT, RUNTIME_ENVIRONMENT, LocalStack, start_subprocess

CLIENTS = 16
FRESH_STARTS = 5
REQUESTS_PER_CLIENT = 12


def erased_at_start(account: dict) -> bool:
    """The daily run at start deletes an account past the timeline's deletion day."""
    since = str(account.get("dunning_since", ""))
    return since.startswith("-") and -int(since.strip("-d")) <= -dunning.step_of("deletion").offset_days


def demo_requests() -> list[tuple[str, dict]]:
    """One status and one open-invoice lookup per live demo account, each answer specific to its account.

    Only look-ups that find something: repeated misses (a paid invoice, an erased account) are guesses
    that the look-up lock answers with 429, which is the lock working, not a crossed answer."""
    accounts = yaml.safe_load(DEMO_DATA.read_text(encoding="utf-8"))["accounts"]
    calls = []
    for account in (account for account in accounts if not erased_at_start(account)):
        calls.append(("/api/accounts/status", {"account_number": account["number"],
                                               "postal_code": account["postal_code"]}))
        for invoice in [invoice for invoice in account.get("invoices", []) if invoice.get("status") != "paid"][:1]:
            calls.append(("/api/invoices/lookup", {"account_number": account["number"],
                                                   "invoice_number": invoice["number"]}))
    return calls


def answer(session: requests.Session, url: str, call: tuple[str, dict]) -> tuple[int, dict]:
    response = session.post(url + call[0], json=call[1], timeout=60)
    if response.status_code == 503:
        assert response.headers["Retry-After"]
    return response.status_code, response.json()


def key(call: tuple[str, dict]) -> tuple:
    return call[0], tuple(sorted(call[1].items()))


@pytest.mark.parametrize("start", range(FRESH_STARTS))
def test_every_answer_belongs_to_its_request_from_a_fresh_start(tmp_path, start):
    calls = demo_requests()
    process, url = start_subprocess(tmp_path)
    try:
        def client(index: int) -> list[tuple[tuple, tuple]]:
            session = requests.Session()
            mine = [calls[(index * 7 + n) % len(calls)] for n in range(REQUESTS_PER_CLIENT)]
            return [(call, answer(session, url, call)) for call in mine]

        with ThreadPoolExecutor(CLIENTS) as clients:  # all clients at once, right after the start
            concurrent = [pair for batch in clients.map(client, range(CLIENTS)) for pair in batch]
        session = requests.Session()
        expected = {key(call): answer(session, url, call) for call in calls}  # one at a time, afterwards
    finally:
        process.terminate()
        process.wait(30)
    # On a loaded machine the emulator can be slow enough for a function to give up and answer 503
    # unavailable (helpcenter.timeouts), as on AWS: honest, and not another request's answer.
    answered = [(call, got) for call, got in concurrent if got[0] != 503]
    assert all(body["error"] == "unavailable" for status, body in (got for _, got in concurrent) if status == 503)
    crossed = [(call, got) for call, got in answered if got != expected[key(call)]]
    assert len(concurrent) == CLIENTS * REQUESTS_PER_CLIENT and len(answered) >= len(concurrent) * 0.9
    assert {status for _, (status, _) in answered} <= {200, 404}
    assert crossed == []


def process_environment(stack: LocalStack, function: str) -> dict[str, str]:
    """The environment of a live instance of ``function``, read from /proc."""
    instance = next(iter(stack.pools[function].instances))
    raw = Path(f"/proc/{instance.process.pid}/environ").read_bytes()
    return dict(entry.split("=", 1) for entry in raw.decode().split("\0") if "=" in entry)


def test_each_function_has_only_its_own_environment(stack):
    lambda_runtime = {"PATH", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID",
                      "AWS_SECRET_ACCESS_KEY", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION",
                      "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "_HANDLER", *RUNTIME_ENVIRONMENT, *QUIET_ENVIRONMENT,
                      *COVERAGE_VARIABLES}  # passed on when the test run measures coverage, and only then
    for name, function in stack.template.functions.items():
        environment = process_environment(stack, name)
        assert environment["AWS_LAMBDA_FUNCTION_NAME"] == name
        assert set(environment) - lambda_runtime == set(function["environment"]) - lambda_runtime
        for variable, value in function["environment"].items():
            if variable not in QUIET_ENVIRONMENT:
                assert environment[variable] == stack.local_values({variable: value}).get(variable, value)
        assert "PYTEST_CURRENT_TEST" not in environment  # nothing of the process that started it


def test_instances_are_separate_processes(stack):
    def status(_):
        return requests.post(f"{stack.url}/api/accounts/status", timeout=60,
                             json={"account_number": "100200303", "postal_code": "20121"}).status_code

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(status, range(32))) == {200}
    pids = {instance.process.pid for instance in stack.pools["AccountStatusFunction"].instances}
    assert len(pids) >= 2 and os.getpid() not in pids


def test_only_one_of_many_racing_conditional_writes_wins(stack):
    dynamodb = boto3.client("dynamodb", endpoint_url=stack.aws.endpoint)
    table = os.environ["TABLE_NAME"]
    for round_ in range(5):
        item_key = {"pk": {"S": f"RACE#{round_}"}, "sk": {"S": "RACE"}}
        start = threading.Barrier(20)

        def claim(writer: int) -> bool:
            start.wait()
            try:
                dynamodb.put_item(TableName=table, Item={**item_key, "writer": {"N": str(writer)}},
                                  ConditionExpression="attribute_not_exists(pk)")
                return True
            except ClientError as error:
                assert error.response["Error"]["Code"] == "ConditionalCheckFailedException"
                return False

        with ThreadPoolExecutor(20) as pool:
            assert sum(pool.map(claim, range(20))) == 1


def test_a_query_reads_its_partition_only_and_answers_as_dynamodb_does(stack):
    """The emulator's query on a table's own key looks at one partition (devstack/emulator.py); its pages,
    order, key conditions and filters are DynamoDB's, with other partitions' items all around."""
    dynamodb = boto3.client("dynamodb", endpoint_url=stack.aws.endpoint)
    name = "emulator-query-check"
    dynamodb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                          AttributeDefinitions=[{"AttributeName": k, "AttributeType": "S"} for k in ("pk", "sk")],
                          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                          GlobalSecondaryIndexes=[{"IndexName": "by-n", "Projection": {"ProjectionType": "ALL"},
                                                   "KeySchema": [{"AttributeName": "sk", "KeyType": "HASH"}]}])
    try:
        for partition in ("A", "B", "C"):
            for n in (5, 1, 4, 2, 3):
                dynamodb.put_item(TableName=name, Item={"pk": {"S": partition}, "sk": {"S": f"item#{n}"},
                                                        "n": {"N": str(n)}})

        def query(**extra) -> list[str]:
            pages, request = [], {"TableName": name, "KeyConditionExpression": "pk = :p",
                                  "ExpressionAttributeValues": {":p": {"S": "B"}}, "Limit": 2, **extra}
            request["ExpressionAttributeValues"].update(extra.pop("values", {}))
            request.pop("values", None)
            while True:
                page = dynamodb.query(**request)
                pages += [f"{item['pk']['S']}/{item['sk']['S']}" for item in page["Items"]]
                if "LastEvaluatedKey" not in page:
                    return pages
                request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

        assert query() == [f"B/item#{n}" for n in (1, 2, 3, 4, 5)]
        assert query(ScanIndexForward=False) == [f"B/item#{n}" for n in (5, 4, 3, 2, 1)]
        assert query(KeyConditionExpression="pk = :p AND sk > :after", values={":after": {"S": "item#3"}}) == [
            "B/item#4", "B/item#5"]
        assert query(FilterExpression="n <> :two", values={":two": {"N": "2"}}) == [
            "B/item#1", "B/item#3", "B/item#4", "B/item#5"]
        across = dynamodb.query(TableName=name, IndexName="by-n", KeyConditionExpression="sk = :s",
                                ExpressionAttributeValues={":s": {"S": "item#2"}})  # an index spans partitions
        assert sorted(item["pk"]["S"] for item in across["Items"]) == ["A", "B", "C"]
        nothing = dynamodb.query(TableName=name, KeyConditionExpression="pk = :p",
                                 ExpressionAttributeValues={":p": {"S": "none"}})
        assert nothing["Items"] == [] and nothing["Count"] == 0
    finally:
        dynamodb.delete_table(TableName=name)


def test_pages_are_compressed_as_the_cdn_compresses_them(stack):
    page = (stack.site_dir / "index.html").read_bytes()
    squeezed = requests.get(f"{stack.url}/", headers={"Accept-Encoding": "gzip, br"}, timeout=10, stream=True)
    assert squeezed.headers["Content-Encoding"] == "br" and "Accept-Encoding" in squeezed.headers["Vary"]
    raw = squeezed.raw.read()
    assert brotli.decompress(raw) == page and len(raw) < len(page) / 3
    zipped = requests.get(f"{stack.url}/", headers={"Accept-Encoding": "gzip"}, timeout=10, stream=True)
    assert zipped.headers["Content-Encoding"] == "gzip"
    raw = zipped.raw.read()
    assert gzip.decompress(raw) == page and len(raw) < len(page) / 3
    assert zipped.headers["ETag"] != squeezed.headers["ETag"]  # a cache keeps each encoding apart
    plain = requests.get(f"{stack.url}/", headers={"Accept-Encoding": "identity"}, timeout=10)
    assert "Content-Encoding" not in plain.headers and plain.content == page
    assert (stack.site_dir / "robots.txt").stat().st_size < 1000
    tiny = requests.get(f"{stack.url}/robots.txt", headers={"Accept-Encoding": "gzip, br"}, timeout=10)
    assert tiny.ok and "Content-Encoding" not in tiny.headers  # under 1,000 bytes, as CloudFront leaves it
    for encoding, first in (("gzip", zipped), ("br", squeezed)):
        again = requests.get(f"{stack.url}/", timeout=10, headers={"Accept-Encoding": encoding,
                                                                  "If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304
