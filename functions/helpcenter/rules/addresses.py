"""E-mail addresses checked as mail systems check them, and compared in one documented way.

Syntax and internationalised-address rules come from ``email-validator`` (RFC 5321/5322/6531, IDNA
domains; no DNS look-up here). On top of it we refuse, each with its own code, what can make one
address pass for another in a person's inbox, a queue's e-mail or a comparison:

- ``control_character``: C0/C1 controls (NUL, line breaks, escape …);
- ``bidi_character``: bidirectional formatting (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C),
  which reorders what a reader sees;
- ``invisible_character``: zero-width and other invisible format characters (U+200B–U+200D, U+2060,
  U+FEFF, soft hyphen …);
- ``compatibility_character``: a local part that Unicode compatibility folding (NFKC) changes, such as
  ``ſ`` (long s, folds to ``s``), full-width letters or ligatures;
- ``mixed_script``: letters of more than one script in the local part (``pаypal`` with a Cyrillic
  ``а``). Digits, punctuation and combining marks belong to no script here.

Normalisation (what ``normalize`` returns and every comparison uses): email-validator's normalised
form (NFC; the domain lower-cased and IDNA-checked), then the local part lower-cased with
``str.lower`` (not ``casefold``, which would make ``ß`` equal ``ss``). Two addresses are the same
address exactly when their normalised forms are equal.
"""

from __future__ import annotations

import unicodedata
from email_validator import EmailNotValidError, validate_email

BIDI_CHARACTERS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Scripts that one language writes together: Japanese mixes kana and kanji.
_SCRIPT_GROUPS = {"HIRAGANA": "JAPANESE", "KATAKANA": "JAPANESE", "CJK": "JAPANESE"}


class AddressProblem(ValueError):
    """Why an address is refused: a stable ``code`` and a sentence for the person who typed it."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _character_problem(address: str) -> AddressProblem | None:
    for char in address:
        category = unicodedata.category(char)
        if category == "Cc":
            return AddressProblem("control_character",
                                  "The e-mail address contains a control character (such as NUL or a line break).")
        if char in BIDI_CHARACTERS:
            return AddressProblem("bidi_character",
                                  "The e-mail address contains a character that changes the text direction.")
        if category == "Cf":
            return AddressProblem("invisible_character", "The e-mail address contains an invisible character.")
    return None


def script_of(char: str) -> str | None:
    """The script a letter belongs to (``LATIN``, ``CYRILLIC``, ``THAI`` …); None for anything else."""
    if not char.isalpha():
        return None
    first = unicodedata.name(char, "").split(" ", 1)[0]
    return _SCRIPT_GROUPS.get(first, first) or None


def _local_part_problem(local_part: str) -> AddressProblem | None:
    if unicodedata.normalize("NFKC", local_part) != local_part:
        return AddressProblem("compatibility_character",
                              "The part before the @ contains a look-alike character (such as ſ for s).")
    scripts = {script for char in local_part if (script := script_of(char))}
    if len(scripts) > 1:
        return AddressProblem("mixed_script",
                              "The part before the @ mixes letters of different alphabets.")
    return None


def normalize(address: str) -> str:
    """The one form addresses are stored and compared in (see the module docstring); raises
    ``AddressProblem`` for an address we refuse."""
    address = address.strip()
    if problem := _character_problem(address):
        raise problem
    try:
        valid = validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise AddressProblem("invalid", f"This is not a valid e-mail address: {error}") from None
    if problem := _local_part_problem(valid.local_part):
        raise problem
    return f"{valid.local_part.lower()}@{valid.domain.lower()}"


def same_address(a: str, b: str) -> bool:
    """Whether two addresses are one (equal normalised forms); an address we refuse equals nothing."""
    try:
        return normalize(a) == normalize(b)
    except AddressProblem:
        return False
