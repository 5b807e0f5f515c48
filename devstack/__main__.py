"""``python -m devstack [DATA_FILE ...]``: serve the site and the API on 127.0.0.1 with demo data."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from datetime import date
from pathlib import Path

import yaml

from devstack.stack import DEMO_DATA, ROOT, LocalStack, build_site, local_parameters, site_settings
from devstack.stripe_standin import StripeService
from tools.languages import mkdocs_registry


def demo_table(path: Path) -> str:
    """The demo accounts a visitor can try, as printed at start."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    lines = [f"  {'account':<10} {'postal code':<11} {'plan':<10} {'state':<52} open invoices"]
    for account in data.get("accounts", []):
        with_comment = next(
            (line.split("#", 1)[1].strip() for line in path.read_text().splitlines()
             if f'"{account["number"]}"' in line and "#" in line), "")
        invoices = ", ".join(i["number"] for i in account.get("invoices", []) if i.get("status", "open") == "open")
        lines.append(f"  {account['number']:<10} {account['postal_code']:<11} {account['plan']:<10} "
                     f"{with_comment[:52]:<52} {invoices}")
    return "\n".join(lines)


def demo_partners(path: Path) -> str:
    """The partner domains a ticket's requester e-mail can use, as printed at start."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return "\n".join(f"  {p['domain']:<30} {p['tier']:<11} data center {p['data_center']:<3} {p['region']}"
                     for p in data.get("partners", []))


def refused_data(data_files: list[Path]) -> str | None:
    """The importer's list of problems if a data file (or the demo file) is refused, before anything starts."""
    from importer.loading import load_files, refusal_report
    from importer.records import RecordsRefused

    try:
        load_files([DEMO_DATA, *data_files], date.today())
    except RecordsRefused as error:
        return refusal_report(error)
    return None


def payment_line(stripe: StripeService | None) -> str:
    """How this run takes payments, as printed at start."""
    if stripe is None:
        return "sandbox (test tokens, no money moves; PAYMENT_PROVIDER=stripe for the Stripe stand-in)"
    return (f"Stripe stand-in {stripe.standin.url} (not Stripe: test cards 4242 4242 4242 4242, 3-D Secure "
            f"4000 0027 6000 3184; POST /_local/reconcile runs the reconciliation now)")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m devstack", description=__doc__)
    parser.add_argument("data_files", nargs="*", type=Path, help="extra YAML/JSON data files to load")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--site-dir", type=Path, default=ROOT / ".local" / "site")
    parser.add_argument("--no-build", action="store_true", help="serve the site already in --site-dir")
    parser.add_argument("--verbose", action="store_true", help="show Powertools logs and metrics")
    args = parser.parse_args()

    refused = refused_data(args.data_files)
    if refused:
        print(refused, file=sys.stderr)
        raise SystemExit(2)
    parameters = local_parameters()  # PAYMENT_PROVIDER=stripe: the local Stripe stand-in instead of the sandbox
    stripe = StripeService() if parameters["PaymentProvider"] == "stripe" else None
    if not args.no_build:
        print("Building the site …", flush=True)
        build_site(args.site_dir, site_settings(parameters))
    stack = LocalStack(args.site_dir, [DEMO_DATA, *args.data_files], port=args.port, verbose=args.verbose,
                       parameters=parameters, services=[stripe] if stripe else []).start()
    print(f"""
Help center running (Ctrl-C to stop)
  site        {stack.url}/          (also {" ".join(f"/{lang}/" for lang in mkdocs_registry().languages[1:])})
  API         {stack.url}/api       e.g. POST /api/accounts/status
  e-mails     {stack.url}/_local/outbox
  dunning     POST {stack.url}/_local/dunning   (runs the daily job now)
  escalate    POST {stack.url}/_local/escalate?at=<ISO 8601>   (runs the escalation job as of then)
  SES outage  POST {stack.url}/_local/ses-outage?seconds=60   (e-mails wait and are retried)
  help desk   {stack.url}/_local/helpdesk   (what the local stand-in of Zendesk and of a webhook receiver got)
  DynamoDB    {stack.aws.endpoint}   (moto; AWS_ENDPOINT_URL_DYNAMODB)
  payments    {payment_line(stripe)}

Demo accounts (data/demo.yaml):
{demo_table(DEMO_DATA)}

Demo partners (file tickets at /forms/submit-ticket/ from any address on these domains):
{demo_partners(DEMO_DATA)}
""", flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        stopped.wait()
    except KeyboardInterrupt:
        pass
    stack.stop()


if __name__ == "__main__":
    main()
