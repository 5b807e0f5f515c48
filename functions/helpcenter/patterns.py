"""Patterns of identifiers that several layers check (API models, rules, configuration, importer):
one statement of each."""

ACCOUNT_NUMBER = r"^[0-9]{6,16}$"  # the account number printed on invoices
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
ADDRESS = rf"^[^@\s]{{1,64}}@({_LABEL}(?:\.{_LABEL})+)$"  # an e-mail address; group 1 is its domain
