"""Dates, instants, amounts and counts written for people, in their language, with Babel.

Babel knows only the Gregorian calendar; Thai readers use the Buddhist era (year + 543) in everyday
dates, so for ``th`` the year is written into the pattern here (``1 ธันวาคม พ.ศ. 2569``). Everything
else is CLDR's own pattern for the language.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.lists import format_list
from babel.dates import format_date, format_time, get_timezone_location, get_timezone_name
from babel.numbers import format_currency

from helpcenter.money import Money

BUDDHIST_ERA = {"th": 543}  # languages whose readers count years in the Buddhist era
_ERA_PREFIX = {"th": "พ.ศ."}


def _unquote(pattern: str) -> str:
    """A CLDR combination pattern's literals (``{1} 'at' {0}``) as plain text."""
    return pattern.replace("''", "\0").replace("'", "").replace("\0", "'")


def _date_pattern(lang: str, style: str, day: date) -> str:
    """The language's date pattern; for the Buddhist era, the era and year written as a literal."""
    pattern = Locale.parse(lang).date_formats[style].pattern
    if lang not in BUDDHIST_ERA:
        return pattern
    year = f"'{_ERA_PREFIX[lang]} {day.year + BUDDHIST_ERA[lang]}'"
    for token in ("G y", "G yyyy", "y", "yyyy"):
        if token in pattern:
            return pattern.replace(token, year, 1)
    return pattern


def day(value: date, lang: str, style: str = "long") -> str:
    """``1 December 2026`` / ``1 tháng 12, 2026`` / ``1 ธันวาคม พ.ศ. 2569``."""
    return format_date(value, _date_pattern(lang, style, value), locale=lang)


def instant(value: datetime, lang: str, zone: ZoneInfo) -> str:
    """A moment in the reader's time zone: weekday, date and time, then the zone's name in their
    language and its UTC offset (``Tuesday 1 December 2026 at 18:30 (India Time, UTC+05:30)``)."""
    local = value.astimezone(zone)
    locale = Locale.parse(lang)
    when = _unquote(locale.datetime_formats["full"]).format(
        format_time(local, "short", locale=lang), day(local.date(), lang, "full"))
    return f"{when} ({zone_name(zone, lang, local)}, {utc_offset(local)})"


def zone_name(zone: ZoneInfo, lang: str, at: datetime | None = None) -> str:
    """``Central European Standard Time``, ``Giờ Ấn Độ``: the zone as a person calls it, never the raw
    ``Asia/Kolkata`` (CLDR's long name at that moment, else its "<country> time" form)."""
    moment = (at or datetime.now(zone)).astimezone(zone)
    name = get_timezone_name(moment, "long", locale=lang)
    return get_timezone_location(zone, locale=lang) if name.startswith(("GMT", "UTC")) else name


def utc_offset(local: datetime) -> str:
    offset = local.utcoffset()
    if offset is None:
        raise ValueError("a naive datetime has no UTC offset")
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def money(amount: Money, lang: str) -> str:
    """``€59.00``, ``59,00 €``, ``2.100.000 ₫``: exact decimals (no float), the currency's own digits."""
    return format_currency(Decimal(amount.to_decimal_string()), amount.currency, locale=lang)


def number(value: int, lang: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=lang)


def listing(items: list[str], lang: str) -> str:
    """``a, b and c`` as the language writes a list (Babel's CLDR list patterns)."""
    return format_list(items, style="standard", locale=lang)
