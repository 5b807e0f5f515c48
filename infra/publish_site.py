"""Upload the built site to the stack's bucket and refresh CloudFront: the last step of `make deploy`.

    python infra/publish_site.py --stack helpcenter [--site-dir site]
"""

from __future__ import annotations

import argparse
import mimetypes
import time
from pathlib import Path

import boto3


def stack_outputs(name: str) -> dict[str, str]:
    stack = boto3.client("cloudformation").describe_stacks(StackName=name)["Stacks"][0]
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}


def upload(site_dir: Path, bucket: str) -> int:
    s3 = boto3.client("s3")
    count = 0
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        key = str(path.relative_to(site_dir))
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        cache = "public, max-age=300" if content_type == "text/html" else "public, max-age=86400"
        s3.upload_file(str(path), bucket, key, ExtraArgs={"ContentType": content_type, "CacheControl": cache})
        count += 1
    return count


def invalidate(site_url: str) -> None:
    domain = site_url.split("//", 1)[1].rstrip("/")
    cloudfront = boto3.client("cloudfront")
    for distribution in cloudfront.list_distributions()["DistributionList"].get("Items", []):
        if distribution["DomainName"] == domain:
            cloudfront.create_invalidation(
                DistributionId=distribution["Id"],
                InvalidationBatch={"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": str(time.time())},
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", default="helpcenter")
    parser.add_argument("--site-dir", type=Path, default=Path("site"))
    args = parser.parse_args()
    outputs = stack_outputs(args.stack)
    print(f"{upload(args.site_dir, outputs['SiteBucketName'])} files uploaded")
    invalidate(outputs["SiteUrl"])
    print(f"Site: {outputs['SiteUrl']}")


if __name__ == "__main__":
    main()
