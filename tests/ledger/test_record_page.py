"""A record's page names its source in words and links to the work it stands for."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.certificates.conftest import register
from tests.conftest import login
from tests.factories import person
from zeren.certificates.models import CertificateType
from zeren.certificates.services import certificate_issue
from zeren.ledger.models import EventMapping, Record

pytestmark = pytest.mark.django_db


def test_an_automatic_record_shows_the_events_label_and_links_to_the_certificate(
    expectations, head, staff_a, section_staff, village_a
):
    holder = person(actor=staff_a, division=village_a, name="王建国")
    spouse = person(actor=staff_a, division=village_a, name="李秀英")
    kind = CertificateType.objects.get(code="only_child")
    cert = certificate_issue(
        actor=section_staff,
        certificate=register(staff_a, kind, holder, spouse),
        on=dt.date(2026, 3, 2),
    )
    record = Record.objects.get(event_key="certificates.certificate_issued", object_id=str(cert.pk))
    assert record.date == dt.date(2026, 3, 2)  # the day of issue, not the day it was saved
    label = EventMapping.objects.filter(event_key="certificates.certificate_issued").first().label
    page = login(head).get(f"/staff/ledger/records/{record.pk}/").content.decode()
    assert f"系统自动（{label}）" in page and "certificates.certificate_issued" not in page
    assert f'<a href="/staff/certificates/{cert.pk}/">{record.summary}</a>' in page


def test_the_items_records_come_a_page_at_a_time_with_the_version_in_words(
    expectations, section_staff, head
):
    from tests.ledger.conftest import item
    from zeren.ledger import services
    from zeren.ledger.views import RECORDS_PAGE

    target = item(3, 4)
    for n in range(RECORDS_PAGE + 3):
        services.record_create(
            actor=section_staff,
            work_item=target,
            date=dt.date(2026, 1, 1) + dt.timedelta(days=n),
            kind="meeting",
            summary=f"调度第{n:03d}次",
        )
    client = login(head)
    url = f"/staff/ledger/items/{target.pk}/?period=2026"
    first = client.get(url).content.decode()
    assert first.count("调度第") == RECORDS_PAGE and "下一页" in first
    assert f">第{target.duty.version.number}版</td>" in first
    second = client.get(url + "&page=2").content.decode()
    assert second.count("调度第") == 3 and "调度第000次" in second
