"""Pure rules of the free certificates: numbering, validity, couple keys, public answers."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata


class Status:
    APPLIED = "applied"
    VALID = "valid"
    VOIDED = "voided"
    REVOKED = "revoked"
    EXPIRED = "expired"
    CHOICES = [
        (APPLIED, "已受理"),
        (VALID, "有效"),
        (VOIDED, "已作废"),
        (REVOKED, "已撤销"),
        (EXPIRED, "已过期"),
    ]
    LABELS = dict(CHOICES)


# What the public verification page may answer (and nothing else).
NOT_FOUND = "not_found"
PUBLIC_ANSWERS = {
    Status.VALID: "有效",
    Status.VOIDED: "已作废（已补发新证）",
    Status.REVOKED: "已撤销",
    Status.EXPIRED: "已过期",
    NOT_FOUND: "未查到：证号与持证人姓名不符，或该证号不存在",
}


def format_number(prefix: str, year: int, serial: int) -> str:
    """隆婚育, 2026, 1 -> 隆婚育〔2026〕00001."""
    if serial < 1:
        raise ValueError("序号从 1 开始")
    return f"{prefix}〔{year}〕{serial:05d}"


_OPEN = re.compile(r"[\[(【〖［（]")
_CLOSE = re.compile(r"[\])】〗］）]")


def normalise_number(text: str) -> str:
    """A certificate number as typed -> as issued: 隆婚育[2026]00001 -> 隆婚育〔2026〕00001.

    Full-width digits and letters become ASCII (NFKC), blanks go, and the brackets people type
    for the year, 〔〕 [] () （） 【】 ［］ 〖〗, all become the 六角括号 〔〕 the bureau prints
    (GB/T 9704-2012 7.2.4: 年份用六角括号“〔〕”括入).
    """
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"\s+", "", text)
    return _CLOSE.sub("〕", _OPEN.sub("〔", text))


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later; 29 February falls back to 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def valid_to(issued_on: dt.date, validity_years: int | None) -> dt.date | None:
    """Last day of validity: the day before the anniversary; None means no expiry."""
    if validity_years is None:
        return None
    if validity_years < 1:
        raise ValueError("有效期年数至少为 1")
    return add_years(issued_on, validity_years) - dt.timedelta(days=1)


def status_on(status: str, expires_on: dt.date | None, day: dt.date) -> str:
    """The status as of ``day``: a valid certificate past its last day reads as expired."""
    if status == Status.VALID and expires_on is not None and day > expires_on:
        return Status.EXPIRED
    return status


def couple_key(*person_ids: int) -> str:
    """Order-independent key of the holders: (7, 3) and (3, 7) are the same couple."""
    return "-".join(str(i) for i in sorted(person_ids))
