"""Reading import files whole and writing what they hold: the steps ``python -m importer`` and the
local stack share (``devstack`` loads the demo file and any file given on its command line)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from helpcenter import store
from importer.records import Loaded, RecordsRefused, parse


def load_files(paths: list[Path], today: date, postal_key: bytes | None = None) -> Loaded:
    """Parse every file; raise RecordsRefused with all problems of all files. Without ``postal_key``
    (validation only) the accounts carry no postal-code digest."""
    problems, merged = [], Loaded([], [], [])
    for path in paths:
        try:
            loaded = parse(path.read_text(encoding="utf-8"), today, source=str(path), postal_key=postal_key)
        except RecordsRefused as error:
            problems += error.problems
            continue
        except (OSError, UnicodeDecodeError) as error:  # missing, unreadable, not UTF-8
            problems.append(f"{path}: cannot read: {getattr(error, 'strerror', None) or error}")
            continue
        merged.accounts.extend(loaded.accounts)
        merged.invoices.extend(loaded.invoices)
        merged.partners.extend(loaded.partners)
    if problems:
        raise RecordsRefused(problems)
    return merged


def refusal_report(error: RecordsRefused) -> str:
    """The refused files' problems, one ``file:line: path: message`` a line."""
    return "\n  ".join(["Refused, nothing was written:", *error.problems])


def write(loaded: Loaded) -> None:
    """Every record into the table (``helpcenter.store``); only records signed with the postal-code key."""
    if any(not account.postal_code_digest for account in loaded.accounts):
        raise ValueError("accounts parsed without the postal-code key cannot be written")
    store.put_records(loaded.accounts, loaded.invoices, loaded.partners)
