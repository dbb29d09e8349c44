"""Citizen identity numbers per GB 11643-1999 (ISO 7064 MOD 11-2 check digit)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CODES = "10X98765432"  # weighted sum mod 11 -> check character


class InvalidIdNumber(ValueError):
    """The text is not a valid citizen identity number; the message says why, in Chinese."""


@dataclass(frozen=True)
class IdNumber:
    value: str
    area_code: str
    birth_date: dt.date
    sex: str  # "M" or "F"


def check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CODES[total % 11]


# Characters that only look like spacing: removed wherever they stand in a typed number.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def normalise_id_text(raw: str) -> str:
    """The identity number as typed, made plain: full-width letters and digits become ASCII
    (Unicode NFKC, applied only to the full-width forms U+FF01-FF5E), every kind of space is
    removed (ASCII, ideographic U+3000, no-break, zero-width), and letters are upper-cased.

    Any other non-ASCII character (a superscript ¹, a circled ①, an Arabic-Indic digit) is
    kept, so that :func:`parse_id_number` refuses it instead of silently reading a digit.
    """
    out = []
    for ch in (raw or "").translate(_INVISIBLE):
        if ch.isspace():
            continue
        if "\uff01" <= ch <= "\uff5e":
            ch = unicodedata.normalize("NFKC", ch)
        out.append(ch)
    return "".join(out).upper()


def parse_id_number(raw: str, *, today: dt.date | None = None) -> IdNumber:
    """Validate an 18-character identity number and derive birth date and sex from it.

    The text is first normalised (:func:`normalise_id_text`); a character that is not an
    ASCII digit or X after that raises :class:`InvalidIdNumber` naming it and its position.
    """
    value = normalise_id_text(raw)
    for position, ch in enumerate(value, start=1):
        if not ch.isascii():
            raise InvalidIdNumber(f"身份证号第{position}位“{ch}”不是数字，请检查输入")
    if len(value) != 18:
        raise InvalidIdNumber(f"身份证号应为18位，实际为{len(value)}位")
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise InvalidIdNumber("身份证号前17位应为数字，末位应为数字或X")
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise InvalidIdNumber(f"身份证号中的出生日期{value[6:14]}不存在") from exc
    if birth.year < 1850 or birth > (today or dt.date.today()):
        raise InvalidIdNumber(f"身份证号中的出生日期{value[6:14]}不合理")
    expected = check_digit(value[:17])
    if value[17] != expected:
        raise InvalidIdNumber(f"身份证号校验位错误（应为{expected}）")
    return IdNumber(
        value=value,
        area_code=value[:6],
        birth_date=birth,
        sex="M" if int(value[16]) % 2 == 1 else "F",
    )


def make_id_number(area_code: str, birth_date: dt.date, sequence: int) -> str:
    """Build a valid identity number (for demo data, tests and benchmarks)."""
    first17 = f"{area_code}{birth_date:%Y%m%d}{sequence % 1000:03d}"
    return first17 + check_digit(first17)
