"""The one rate limiter of public forms (report, lookup, certificate verification)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from zeren.core import ratelimit
from zeren.core.models import RateWindow

pytestmark = pytest.mark.django_db

TEN = dt.datetime(2026, 3, 2, 10, 5, tzinfo=dt.UTC)


def test_each_scope_reads_its_setting_and_a_bad_setting_fails_loudly(settings):
    # The defaults are the documented ones (README, docs/supervision.md, docs/certificates.md).
    assert [ratelimit.limit(s) for s in ("report", "lookup", "verify")] == [5, 30, 30]
    settings.ZEREN_REPORTS_PER_HOUR = 12
    assert ratelimit.limit("report") == 12
    for bad in ("many", 0, True):
        settings.ZEREN_REPORTS_PER_HOUR = bad
        with pytest.raises(ImproperlyConfigured, match="ZEREN_REPORTS_PER_HOUR"):
            ratelimit.limit("report")


def test_the_allowance_renews_each_hour_and_scopes_count_apart(settings):
    settings.ZEREN_REPORTS_PER_HOUR = 2
    settings.ZEREN_CERT_VERIFY_PER_HOUR = 1
    taken = [ratelimit.take("report", client="1.2.3.4", now=TEN) for _ in range(3)]
    assert taken == [True, True, False]
    assert ratelimit.take("report", client="1.2.3.5", now=TEN)  # another client
    assert ratelimit.take("verify", client="1.2.3.4", now=TEN)  # another purpose
    assert not ratelimit.take("verify", client="1.2.3.4", now=TEN)
    eleven = TEN + dt.timedelta(hours=1)
    assert ratelimit.take("report", client="1.2.3.4", now=eleven)


def test_addresses_are_stored_only_as_keyed_hashes():
    ratelimit.take("lookup", client="198.51.100.23", now=TEN)
    assert "198.51.100.23" not in str(list(RateWindow.objects.values()))


def test_old_windows_are_pruned():
    ratelimit.take("report", client="1.2.3.4", now=TEN)
    ratelimit.take("lookup", client="1.2.3.4", now=TEN)
    eleven = TEN + dt.timedelta(hours=1)
    ratelimit.take("report", client="1.2.3.4", now=eleven)
    assert ratelimit.prune(before=eleven) == 2  # the 10:00 windows ended before 11:05
    assert RateWindow.objects.count() == 1


def test_the_refusal_names_the_purpose_and_the_allowance(settings):
    settings.ZEREN_CERT_VERIFY_PER_HOUR = 7
    assert ratelimit.refusal("verify") == (
        "操作过于频繁：同一网络每小时最多可核验证件7次，请一小时后再试。"
    )


def test_the_prune_job_is_scheduled():
    from huey.contrib.djhuey import HUEY

    assert "zeren.core.jobs.prune_rate_windows" in " ".join(HUEY._registry._registry)
