"""The annual ledger's public summary (政务公开): published by the bureau head only, after a
confirmation, logged, and shown on a public page; figures only, no names or summaries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import login
from tests.ledger.conftest import item
from zeren.core.models import ChangeLog
from zeren.ledger import services
from zeren.ledger.models import PublicSummary

D = dt.date.fromisoformat


@pytest.fixture
def ledger_2026(expectations, section_staff):
    services.record_create(
        actor=section_staff,
        work_item=item(3, 4),
        date=D("2026-04-08"),
        kind="meeting",
        summary="与王某某所在村座谈",
    )


def test_only_the_head_publishes_after_confirming_and_it_is_logged(
    ledger_2026, head, section_staff, public
):
    with pytest.raises(PermissionDenied):
        services.public_summary_publish(actor=section_staff, year=2026, confirmed=True)
    with pytest.raises(ValidationError, match="请确认已审核公开内容"):
        services.public_summary_publish(actor=head, year=2026, confirmed=False)
    with pytest.raises(ValidationError, match="只能公开本年度及以前年度"):
        services.public_summary_publish(
            actor=head, year=2027, confirmed=True, today=D("2026-12-01")
        )
    assert not PublicSummary.objects.exists()
    assert public.get("/ledger/2026/").status_code == 404
    summary = services.public_summary_publish(actor=head, year=2026, confirmed=True)
    assert summary.published_by == head
    log = ChangeLog.objects.get(
        content_type=ContentType.objects.get_for_model(PublicSummary), action="create"
    )
    assert (log.actor_id, log.object_id) == (head.pk, str(summary.pk))
    page = public.get("/ledger/2026/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "2026年度履职情况" in html and "第3项职责" in html
    assert "履职记录1条" in html  # duty 3 holds the one record of the year
    assert "王某某" not in html  # record summaries are not published
    assert "/ledger/2026/" in public.get("/ledger/").content.decode()


def test_the_publish_page_asks_for_confirmation_and_refuses_others(
    ledger_2026, head, section_staff
):
    client = login(head)
    page = client.get("/staff/ledger/summary/?year=2026").content.decode()
    assert "我已审核以上内容" in page and "第3项职责" in page
    unconfirmed = client.post("/staff/ledger/summary/?year=2026", {}, follow=True)
    assert "请确认已审核公开内容" in unconfirmed.content.decode()
    assert not PublicSummary.objects.exists()
    assert (
        login(section_staff)
        .post("/staff/ledger/summary/?year=2026", {"confirmed": "1"})
        .status_code
        == 403
    )
    assert client.post("/staff/ledger/summary/?year=2026", {"confirmed": "1"}).status_code == 302
    assert PublicSummary.objects.get().year == 2026


def test_a_duty_text_ending_in_a_full_stop_is_not_doubled(expectations, section_staff):
    from zeren.catalogue.models import Duty

    ending = [d.text for d in Duty.objects.filter(version__status="published")]
    assert any(t.endswith("。") for t in ending)  # the list's own wording ends some duties so
    text = services.public_summary_text(2026)
    assert "。。" not in text and "职责：" in text


def test_the_report_does_not_double_a_records_full_stop(expectations, section_staff):
    from zeren.ledger import documents

    services.record_create(
        actor=section_staff,
        work_item=item(3, 4),
        date=dt.date(2026, 4, 8),
        kind="meeting",
        summary="召开协调会，提出政策建议。",
    )
    context = documents.report_context(2026)
    texts = [e["text"] for d in context["duties"] for e in d["entries"]]
    assert any("提出政策建议。" in t for t in texts)
    assert not any("。。" in t for t in texts)


def test_nothing_published_is_said_in_a_sentence_not_a_bullet(db):
    from django.test import Client

    page = Client().get("/ledger/").content.decode()
    assert (
        '<p class="text-muted">暂无公开内容</p>' in page
        and "<li" not in page.split("暂无公开内容")[0][-40:]
    )
