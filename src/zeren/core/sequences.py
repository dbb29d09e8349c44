"""Document numbers from one counter per authority, year and kind, safe under concurrency.

Every numbered thing (case numbers, decision numbers, certificate serials, list versions)
takes its number here::

    n = sequences.next_value(authority="longyao-jsj", kind="隆计案", year=2026)

The counter row is created race-free (``INSERT … ON CONFLICT DO NOTHING``) and then locked
with ``SELECT … FOR UPDATE`` for the rest of the caller's transaction, so two requests never
get the same number and a rolled-back request gives its number back (no gaps from failures).
SQLite has no row locks but serialises writers, with the same result. The numbered tables
keep their own unique constraints as a second line.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.db.models import F

from zeren.core.models import Counter


def next_value(
    *, authority: str, kind: str, year: int, adopt: Callable[[], int] | None = None
) -> int:
    """Take the next number (1, 2, …) of ``kind`` for ``authority`` in ``year``.

    ``adopt`` (optional) returns the highest number already in use, for rows numbered before
    this counter existed: a counter that has not yet given any number starts after it. It
    is called under the counter's lock, so it is consistent with every other taker.
    Call inside ``transaction.atomic()``: the counter stays locked until the caller commits.
    Raises ``TransactionManagementError`` outside a transaction.
    """
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("sequences.next_value 须在事务内调用")
    key = {"authority": authority, "kind": kind, "year": year}
    Counter.objects.bulk_create([Counter(**key)], ignore_conflicts=True)
    counter = Counter.objects.select_for_update().get(**key)
    if counter.last == 0 and adopt is not None:
        Counter.objects.filter(pk=counter.pk).update(last=int(adopt() or 0))
    Counter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return counter.last


def peek(*, authority: str, kind: str, year: int) -> int:
    """The last number given (0 if none); for display and tests, never for numbering."""
    row = Counter.objects.filter(authority=authority, kind=kind, year=year).first()
    return row.last if row else 0
