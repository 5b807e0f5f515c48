"""What the local stack takes from ``infra/template.yaml``: routes, tables, buckets, queues, environment."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

TEMPLATE = Path(__file__).resolve().parents[1] / "infra" / "template.yaml"


class _CfnLoader(yaml.SafeLoader):
    """Reads CloudFormation short-form tags (``!Ref X`` → ``{"Ref": "X"}``)."""


def _construct_tag(loader, tag_suffix, node):
    name = "Ref" if tag_suffix == "Ref" else f"Fn::{tag_suffix}"
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if tag_suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_CfnLoader.add_multi_constructor("!", _construct_tag)


@dataclass(frozen=True)
class Route:
    method: str  # upper case
    path: str  # API Gateway resource path, e.g. /accounts/status or /tickets/{id}
    handler: str  # module.function, e.g. account_status.handler.lambda_handler
    function: str  # logical id

    @cached_property  # matched against every API request's path
    def pattern(self) -> re.Pattern:
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.path))
        return re.compile(f"^{regex}$")


@dataclass(frozen=True)
class Template:
    routes: list[Route]
    tables: dict[str, dict]  # logical id → create_table arguments
    functions: dict[str, dict]  # logical id → {"handler", "environment", "timeout", "memory"}
    buckets: dict[str, str] = field(default_factory=dict)  # logical id → local bucket name
    queues: dict[str, dict] = field(default_factory=dict)  # logical id → create_queue arguments, dead letters first


def read(path: Path = TEMPLATE) -> dict:
    """The template as written, short-form tags as their long forms."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_CfnLoader)  # noqa: S506 - a SafeLoader subclass


def load(path: Path = TEMPLATE, parameters: dict[str, str] | None = None, queue_url_base: str = "") -> Template:
    """The template's local view, with its parameters' defaults or the values in ``parameters``.
    ``queue_url_base``: where the local SQS serves queues (``http://127.0.0.1:<port>/<account>``), so
    that a ``!Ref`` to a queue in a function's environment is its local URL."""
    document = read(path)
    resources = document["Resources"]
    parameters = {**{name: spec.get("Default", "") for name, spec in document.get("Parameters", {}).items()},
                  **(parameters or {})}
    tables = {
        logical_id: _table_arguments(logical_id, resource["Properties"])
        for logical_id, resource in resources.items()
        if resource["Type"] == "AWS::DynamoDB::Table"
    }
    buckets = {
        logical_id: resource.get("Properties", {}).get("BucketName", logical_id.lower())
        for logical_id, resource in resources.items()
        if resource["Type"] == "AWS::S3::Bucket"
    }
    queues = _queues(resources)
    local_names = {**buckets, **{logical_id: f"{queue_url_base}/{arguments['QueueName']}"
                                 for logical_id, arguments in queues.items()}}
    global_properties = document.get("Globals", {}).get("Function", {})
    global_env = global_properties.get("Environment", {}).get("Variables", {})
    routes, functions = [], {}
    for logical_id, resource in resources.items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        properties = resource["Properties"]
        env_spec = {**global_env, **properties.get("Environment", {}).get("Variables", {})}
        environment = {key: _resolve(value, tables, parameters, local_names) for key, value in env_spec.items()}
        functions[logical_id] = {
            "handler": properties["Handler"], "environment": environment,
            "timeout": int(properties.get("Timeout", global_properties.get("Timeout", 3))),
            "memory": int(properties.get("MemorySize", global_properties.get("MemorySize", 128))),
        }
        for event in properties.get("Events", {}).values():
            if event["Type"] == "Api":
                routes.append(
                    Route(event["Properties"]["Method"].upper(), event["Properties"]["Path"],
                          properties["Handler"], logical_id)
                )
    return Template(routes=routes, tables=tables, functions=functions, buckets=buckets, queues=queues)


QUEUE_ACCOUNT_ARN = "arn:aws:sqs:us-east-1:123456789012"  # moto's default account and region


def _queues(resources: dict) -> dict[str, dict]:
    """Each ``AWS::SQS::Queue`` as ``create_queue`` arguments (named by its logical id), with its
    redrive policy pointing at the local dead-letter queue; dead-letter queues come first."""
    queues = {}
    for logical_id, resource in resources.items():
        if resource["Type"] != "AWS::SQS::Queue":
            continue
        properties = resource.get("Properties", {})
        attributes = {name: str(properties[name]) for name in ("VisibilityTimeout", "MessageRetentionPeriod")
                      if name in properties}
        redrive = properties.get("RedrivePolicy")
        if redrive:
            target = redrive["deadLetterTargetArn"]["Fn::GetAtt"][0]
            attributes["RedrivePolicy"] = json.dumps({"deadLetterTargetArn": f"{QUEUE_ACCOUNT_ARN}:{target}",
                                                      "maxReceiveCount": str(redrive["maxReceiveCount"])})
        queues[logical_id] = {"QueueName": logical_id, "Attributes": attributes}
    return dict(sorted(queues.items(), key=lambda item: "RedrivePolicy" in item[1]["Attributes"]))


def _resolve(value, tables: dict, parameters: dict, local_names: dict | None = None) -> str:
    """Local value of an environment variable: a table's or bucket's local name, a queue's local URL,
    a parameter's default (also inside ``!Sub``; the local stack sets what has no default, such as
    ``SITE_URL``, itself)."""
    if isinstance(value, dict) and "Ref" in value:
        ref = value["Ref"]
        if ref in tables:
            return tables[ref]["TableName"]
        if local_names and ref in local_names:
            return local_names[ref]
        return str(parameters.get(ref, ref))
    if isinstance(value, dict) and isinstance(value.get("Fn::Sub"), str):  # parameters with a default only
        text = value["Fn::Sub"]
        for name, default in parameters.items():
            if default != "":
                text = text.replace(f"${{{name}}}", str(default))
        return text
    return str(value)


def _table_arguments(logical_id: str, properties: dict) -> dict:
    arguments = {
        "TableName": properties.get("TableName", logical_id),
        "AttributeDefinitions": properties["AttributeDefinitions"],
        "KeySchema": properties["KeySchema"],
        "BillingMode": "PAY_PER_REQUEST",
    }
    if properties.get("GlobalSecondaryIndexes"):
        arguments["GlobalSecondaryIndexes"] = properties["GlobalSecondaryIndexes"]
    if properties.get("StreamSpecification"):
        arguments["StreamSpecification"] = {"StreamEnabled": True, **properties["StreamSpecification"]}
    return arguments
