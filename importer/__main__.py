"""``python -m importer FILE...``: validate files whole, then load them into DynamoDB.

The table is ``TABLE_NAME`` in the DynamoDB the environment names (``AWS_ENDPOINT_URL_DYNAMODB`` for a
local one, else the AWS account of the current credentials). Nothing is written unless every file is
valid. Exit status 2 on a refused file.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, timezone
from pathlib import Path

from helpcenter import postal_codes, store
from importer.loading import load_files, refusal_report, write
from importer.records import RecordsRefused


def signing_key() -> bytes:
    """The postal-code key (``helpcenter.postal_codes``), or a clear exit when it cannot be read."""
    try:
        return postal_codes.signing_key()
    except Exception as error:  # noqa: BLE001 - missing parameter, no credentials, malformed value
        raise SystemExit(f"Cannot read the postal-code key from SSM parameter {postal_codes.parameter_name()}: "
                         f"{type(error).__name__}. Create it first (README, \"The postal-code key\").") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m importer", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--today", type=date.fromisoformat, help="load day for relative dates (default: today, UTC)")
    parser.add_argument("--check", action="store_true", help="validate only, write nothing")
    args = parser.parse_args(argv)
    today = args.today or datetime.now(timezone.utc).date()
    try:
        loaded = load_files(args.files, today, None if args.check else signing_key())
    except RecordsRefused as error:
        print(refusal_report(error), file=sys.stderr)
        return 2
    if not args.check:
        write(loaded)
    verb = "valid" if args.check else "loaded into " + store.table_name()
    print(f"{len(loaded.accounts)} accounts, {len(loaded.invoices)} invoices, {len(loaded.partners)} partners {verb}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
