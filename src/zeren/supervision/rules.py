"""Sampling arithmetic and the verifiable draw: pure functions, no database.

Sample size (监督检查指标): ``min(N, max(ceil(ratio × N), minimum))`` in exact decimal
arithmetic, so 80% of 7 is 5.6 → 6, never 5 through a float error.

The draw (抽取算法 ``hmac-sha256-rank/v1``): every subject gets the score
``HMAC-SHA256(key=seed, message="<subject id>")`` (hex); subjects are ordered by score, then by
id, and the first *k* are the sample. Officers for a subject are ranked the same way with the
message ``"officer:<subject id>:<officer id>"``. Anyone holding the seed and the frozen
population can recompute both with a few lines of any language; the seed's SHA-256 is recorded
and shown before the population is frozen, so the seed cannot be chosen after seeing it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import heapq
import hmac
import re
import secrets
from collections.abc import Iterable, Sequence
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

ALGORITHM = "hmac-sha256-rank/v1"
PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def sample_size(n: int, ratio: Decimal | str, minimum: int) -> int:
    """How many of ``n`` subjects must be checked: at least the ratio, at least the minimum."""
    if n < 0 or minimum < 0:
        raise ValueError("n and minimum must not be negative")
    ratio = Decimal(str(ratio))
    if not Decimal(0) <= ratio <= Decimal(1):
        raise ValueError("ratio must lie between 0 and 1")
    by_ratio = int((ratio * n).to_integral_value(rounding=ROUND_CEILING))
    return min(n, max(by_ratio, minimum))


def seed_hash(seed: str) -> str:
    """The commitment published before the draw: SHA-256 of the seed's UTF-8 text, in hex."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def population_digest(ids: Sequence[int]) -> str:
    """SHA-256 of the ids joined by commas: a fingerprint of the frozen population."""
    return hashlib.sha256(",".join(str(i) for i in ids).encode("ascii")).hexdigest()


def _score(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode("ascii"), hashlib.sha256).hexdigest()


def draw(seed: str, population: Iterable[int], k: int) -> list[int]:
    """The ``k`` subjects with the lowest scores, in score order."""
    key = seed.encode("utf-8")
    return [
        i
        for _, i in heapq.nsmallest(
            k, ((_score(key, str(i)), i) for i in population), key=lambda pair: pair
        )
    ]


def rank_officers(seed: str, subject_id: int, officer_ids: Iterable[int]) -> list[int]:
    """All officers ordered by their score for this subject."""
    key = seed.encode("utf-8")
    return [
        o for _, o in sorted((_score(key, f"officer:{subject_id}:{o}"), o) for o in officer_ids)
    ]


def pick_officers(
    seed: str, subject_id: int, pool: Iterable[int], excluded: Iterable[int], count: int
) -> list[int]:
    """The first ``count`` officers of the ranking who are not excluded (fewer if too few)."""
    excluded = set(excluded)
    ranked = [o for o in rank_officers(seed, subject_id, pool) if o not in excluded]
    return sorted(ranked[:count])


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """'2026-03' → (2026-03-01, 2026-03-31)."""
    match = PERIOD_RE.match(text or "")
    if not match:
        raise ValueError(f"期间“{text}”格式应为 YYYY-MM，例如 2026-03")
    year, month = int(match.group(1)), int(match.group(2))
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def period_of(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def previous_period(day: dt.date) -> str:
    first = day.replace(day=1)
    return period_of(first - dt.timedelta(days=1))


def months_back(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months - 1`` months before ``day``'s month."""
    index = day.year * 12 + (day.month - 1) - (months - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


def attainment(done: int, required: int) -> Decimal | None:
    """Done ÷ required to four places; None when nothing is required ('no subjects')."""
    if required == 0:
        return None
    return (Decimal(done) / Decimal(required)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def indicator_met(done: int, required: int) -> bool | None:
    """A period's indicator is met when the checks done reach the required number; None when
    nothing is required (no subjects: neither met nor missed)."""
    if required == 0:
        return None
    return done >= required


# --- receipt codes for public reports ------------------------------------------------------

# Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_LENGTH = 16  # 16 × 5 = 80 random bits
_RECEIPT_FIXES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def receipt_code_new() -> str:
    """A fresh random receipt code, grouped for reading: ``XXXX-XXXX-XXXX-XXXX``."""
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, RECEIPT_LENGTH, 4))


def receipt_code_normalize(code: str) -> str | None:
    """The canonical form of what a reporter typed, or None if it cannot be a code."""
    cleaned = re.sub(r"[\s\-]", "", code or "").upper().translate(_RECEIPT_FIXES)
    if len(cleaned) != RECEIPT_LENGTH or any(c not in RECEIPT_ALPHABET for c in cleaned):
        return None
    return cleaned
