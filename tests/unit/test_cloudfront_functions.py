"""The CloudFront viewer-request functions of the template, run in Node.js with CloudFront-shaped events."""

import json
import subprocess

import pytest

from devstack import template as sam
from tests.support.tools import require

NODE = require("node")


def run(function: str, uri: str, querystring: dict | None = None) -> dict:
    code = sam.read()["Resources"][function]["Properties"]["FunctionCode"]
    event = {
        "viewer": {"ip": "198.51.100.7"},
        "request": {"uri": uri, "headers": {},
                    "querystring": {k: {"value": v} for k, v in (querystring or {}).items()}},
    }
    script = f"{code}\nconsole.log(JSON.stringify(handler({json.dumps(event)})));"
    return json.loads(subprocess.run([NODE, "-e", script], capture_output=True, text=True, check=True).stdout)


@pytest.mark.parametrize(
    "uri, served",
    [("/", "/index.html"), ("/vi/", "/vi/index.html"), ("/th/billing/suspension/", "/th/billing/suspension/index.html"),
     ("/assets/javascripts/search.js", "/assets/javascripts/search.js"), ("/search/vi.json", "/search/vi.json")],
)
def test_directories_are_served_from_their_index(uri, served):
    assert run("DirectoryIndex", uri)["uri"] == served


def test_a_directory_without_slash_is_redirected_so_relative_links_resolve():
    answer = run("DirectoryIndex", "/vi/billing/invoices", {"utm": "x"})
    assert answer["statusCode"] == 301
    assert answer["headers"]["location"]["value"] == "/vi/billing/invoices/?utm=x"


def test_api_prefix_is_stripped_and_the_viewer_address_passed_on():
    request = run("StripApiPrefix", "/api/accounts/status")
    assert request["uri"] == "/accounts/status"
    assert request["headers"]["x-viewer-ip"] == {"value": "198.51.100.7"}
