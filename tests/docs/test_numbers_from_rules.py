"""Every count a reader is told — days of the dunning timeline, refund days, response days, word,
file and size limits, body limits, the digits of an account number, every range (response targets,
word guide) — is checked against the rule or configuration it comes from, in every page of every
language, the theme's pages, the README and WRITING.md, the text catalogs, the reader-text
configuration, the e-mail templates, the API's documented field descriptions and the import format.

Change a rule and this test names each place that still states the old number (file:line and the
words around it); a writer then updates those sentences. A count that belongs to no rule fails too:
add its rule below rather than a bare number.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpcenter import patterns
from helpcenter.models import IDEMPOTENCY_KEY_PATTERN
from helpcenter.rules import delivery, dunning, refunds
from helpcenter.screening import MAX_BODY_BYTES, MAX_NESTING, MAX_NUMBER_CHARACTERS
from helpcenter.support import CONFIG

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "functions" / "helpcenter" / "i18n"
TEXTS = sorted({
    *ROOT.glob("docs/*/**/*.md"), ROOT / "README.md", ROOT / "WRITING.md", *ROOT.glob("overrides/**/*.html"),
    *I18N.glob("catalogs/*.yml"), *I18N.glob("templates/*.html"), *I18N.glob("templates/*.txt"),
    ROOT / "config" / "reader_text.yml", *ROOT.glob("functions/**/models.py"), ROOT / "importer" / "records.py",
    *ROOT.glob("tests/content/facts/*.yml"),
})

NUMBER = r"(\d+)(?:\s*[–-]\s*(\d+))?"
DAY_WORDS = r"(?:business |working )?days?|jours?(?: ouvrés| ouvrables)?|giorn[oi](?: lavorativ[oi])?|ngày(?: làm việc)?|วัน(?:ทำการ)?"
WORD_WORDS = r"words?|mots?|parol[ae]|từ|คำ"
FILE_WORDS = r"files?|fichiers?|tệp|ไฟล์|allegati|screenshots?"
SIZE_WORDS = r"MiB|MB|Mo"
DIGIT_WORDS = r"digits|chiffres|cifre|chữ số|หลัก"
TO = r"(?:[–-]|to|à|a|đến|ถึง)"
MEASURED = r"\s*(?:KB|ms|s\b|%|req/s)"  # figures measured by the benchmarks, not stated by a rule
PATTERNS = {
    "timeline day": re.compile(r"\bD\s*\+\s*(\d+)\b()"),
    "day count": re.compile(rf"(?<![\w+.]){NUMBER}\s*(?:{DAY_WORDS})(?!\w)"),
    "word count": re.compile(rf"(?<![\w.]){NUMBER}\s*(?:{WORD_WORDS})(?!\w)"),
    "file count": re.compile(rf"(?<![\w.]){NUMBER}\s*(?:{FILE_WORDS})(?!\w)"),
    "size": re.compile(rf"(?<![\w.]){NUMBER}\s*(?:{SIZE_WORDS})\b"),
    "body limit": re.compile(r"(\d+) (bytes|levels of nesting|characters per number)"),
    "digit count": re.compile(rf"(?<![\w.]){NUMBER.replace('[–-]', TO)}\s*(?:{DIGIT_WORDS})(?!\w)"),
    "range": re.compile(rf"(?<![\w.–+/:\[-])(\d+)\s*[–-]\s*(\d+)(?![\w.–/:-]|\.\d|{MEASURED})"),
}
CODE_SPAN = re.compile(r"`[^`]*`")  # a regular expression or a command quoted in prose is not a count


def repetition(pattern: str) -> tuple[int, int]:
    """``(6, 16)`` from a pattern's ``{6,16}``: the length range it accepts."""
    found = re.search(r"\{(\d+),(\d+)\}", pattern)
    assert found, pattern
    low, high = found.groups()
    return int(low), int(high)


def allowed() -> dict[str, set]:
    """Each kind of count and the values (single numbers or ranges) the rules give it."""
    offsets = [step.offset_days for step in dunning.STEPS]
    gaps = {later - earlier for earlier, later in zip(offsets, offsets[1:])}
    s3 = CONFIG.targets["S3"].diagnosis
    limits = CONFIG.limits
    attachments = limits["attachments"]
    hours = {window for targets in CONFIG.targets.values() for window in (targets.acknowledgement, targets.diagnosis)}
    return {
        "timeline day": {n for n in offsets if n},
        "day count": {*(n for n in offsets if n), *gaps, dunning.RETENTION_DAYS, refunds.REFUND_WINDOW_DAYS, delivery.SENT_MESSAGE_DAYS,
                      refunds.REFUND_ARRIVAL_BUSINESS_DAYS, (s3[0] // 24, s3[1] // 24)},
        "word count": {limits["description_min_words"], tuple(limits["description_guide_words"])},
        "file count": {attachments["max_files"]},
        "size": {attachments["max_bytes"] // 2**20},
        "body limit": {(MAX_BODY_BYTES, "bytes"), (MAX_NESTING, "levels of nesting"),
                       (MAX_NUMBER_CHARACTERS, "characters per number")},
        "digit count": {repetition(patterns.ACCOUNT_NUMBER)},
        "range": {*hours, (s3[0] // 24, s3[1] // 24), tuple(CONFIG.multi_user_resolution),
                  tuple(limits["description_guide_words"]), refunds.REFUND_ARRIVAL_BUSINESS_DAYS,
                  repetition(patterns.ACCOUNT_NUMBER), repetition(IDEMPOTENCY_KEY_PATTERN)},
    }


def stated_counts():
    """Every (kind, value, place, excerpt) in the texts."""
    for path in TEXTS:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            quoted = [span.span() for span in CODE_SPAN.finditer(line)]
            for kind, pattern in PATTERNS.items():
                for match in pattern.finditer(line):
                    if any(start <= match.start() < end for start, end in quoted):
                        continue
                    groups = [g for g in match.groups()]
                    first = next((i for i, g in enumerate(groups) if g and g.isdigit()), None)
                    if first is None:
                        continue
                    low, high = groups[first], groups[first + 1]
                    value: tuple[int, str] | tuple[int, int] | int
                    if kind == "body limit":
                        value = (int(low), high)
                    else:
                        value = (int(low), int(high)) if high and high.isdigit() else int(low)
                    excerpt = line[max(match.start() - 30, 0): match.end() + 10].strip()
                    yield kind, value, f"{path.relative_to(ROOT)}:{number}", excerpt


def test_every_stated_count_comes_from_a_rule():
    rules = allowed()
    stale = [f"{place}: {kind} {value!r} in “{excerpt}” — the rules give {sorted(map(str, rules[kind]))}"
             for kind, value, place, excerpt in stated_counts() if value not in rules[kind]]
    assert not stale, "counts that no rule gives (stale after a rule change?):\n" + "\n".join(stale)


@pytest.mark.parametrize("kind", sorted(PATTERNS))
def test_the_scan_finds_each_kind_of_count(kind):
    """The patterns still match the texts (a rewording that hides a count from the scan fails here)."""
    assert any(found == kind for found, *_ in stated_counts())
