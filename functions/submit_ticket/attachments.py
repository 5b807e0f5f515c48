"""Screenshots and screen recordings go straight from the browser to S3 with a presigned POST: this
function never sees the bytes. The POST policy pins the key, the content type and the size range."""

from __future__ import annotations

import os
import re
import uuid

from botocore.config import Config
from botocore.exceptions import ClientError

from helpcenter.clients import lazy_client
from helpcenter.errors import InvalidRequest, field_problem
from helpcenter.support import CONFIG

client = lazy_client("s3", Config(signature_version="s3v4"))  # presigned POSTs need SigV4


def bucket() -> str:
    return os.environ.get("ATTACHMENTS_BUCKET", "helpcenter-attachments")


def limits() -> dict:
    return CONFIG.limits["attachments"]


def safe_filename(name: str) -> str:
    """``Écran 1 (final).PNG`` → ``cran_1_final_.PNG``: a key part any browser and shell can handle."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._") or "attachment"
    return cleaned[-100:]


def presign(filename: str, content_type: str, size: int) -> dict:
    """An upload form for one file, or a 400 naming the field that breaks the limits."""
    rules = limits()
    content_type = content_type.strip().lower()
    if content_type not in rules["content_types"]:
        raise InvalidRequest("unsupported_attachment_type",
                             f"Attach screenshots or screen recordings: {', '.join(rules['content_types'])}.",
                             [field_problem("content_type", "type", "This file type is not accepted.")])
    if size > rules["max_bytes"]:
        raise InvalidRequest("attachment_too_large",
                             f"Each attachment may be at most {rules['max_bytes'] // (1024 * 1024)} MiB.",
                             [field_problem("size", "size", "The file is too large.")])
    key = f"uploads/{uuid.uuid4().hex}/{safe_filename(filename)}"
    post = client().generate_presigned_post(
        Bucket=bucket(),
        Key=key,
        Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, rules["max_bytes"]]],
        ExpiresIn=rules["url_expires_seconds"],
    )
    return {"key": key, "url": post["url"], "fields": post["fields"], "max_bytes": rules["max_bytes"],
            "expires_in": rules["url_expires_seconds"]}


def missing(keys: list[str]) -> list[str]:
    """The keys that were never uploaded (or not within the limits)."""
    absent = []
    for key in keys:
        try:
            head = client().head_object(Bucket=bucket(), Key=key)
            if head["ContentLength"] > limits()["max_bytes"]:
                absent.append(key)
        except ClientError as error:
            if error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound", "403"):
                absent.append(key)
            else:
                raise
    return absent
