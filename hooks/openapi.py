"""Publish the API's OpenAPI document at /openapi.json with every build (see devstack/openapi.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def on_post_build(config):
    if config["theme"]["language"] != "en":  # the i18n plugin builds once per language; write once
        return
    sys.path.insert(0, str(ROOT))
    from devstack.openapi import build

    document = build(title=f"{config['extra']['brand']} help center API")
    Path(config["site_dir"], "openapi.json").write_text(json.dumps(document, indent=2, ensure_ascii=False))
