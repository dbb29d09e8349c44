"""Applications: receipt, section queue, completion with a letter, lookup, rating, follow-up."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zeren.publicservices.models import Application, ApplicationEvent, FollowUpTask, Rating
from zeren.publicservices.services import (
    application_complete,
    application_submit,
    follow_up_close,
    rating_submit,
)

pytestmark = pytest.mark.django_db


def _apply(number: int = 3, **kwargs) -> Application:
    data = {
        "actor": None,
        "service_number": number,
        "applicant_name": "隆尧县教育局",
        "content": "请审查张三、李四两人的计划生育情况（评优）",
        "applicant_phone": "0319-6662281",
    }
    return application_submit(**{**data, **kwargs})


def test_an_online_application_gets_a_receipt_and_the_guides_time_limit(today):
    a = _apply()
    assert a.reference.startswith("FW20261201")
    assert len(a.receipt_code) == 19  # XXXX-XXXX-XXXX-XXXX, shown once
    assert a.receipt_code.replace("-", "") not in a.receipt_hash
    assert a.section.name == "流动人口管理股"
    assert a.due_on == dt.date(2026, 12, 8)  # service 3: 5 working days
    assert a.status == Application.Status.RECEIVED
    assert [e.to_status for e in a.events.all()] == ["received"]
    assert a.applicant_phone == "0319-6662281"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT applicant_phone FROM publicservices_application WHERE id = %s", [a.pk]
        )
        stored = cursor.fetchone()[0]
    assert "6662281" not in stored  # ciphertext at rest


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"service_number": 10}, "service_number"),  # certificates keep their own flow
        ({"service_number": 4}, "service_number"),  # an event takes no applications
        ({"service_number": 13}, "service_number"),
        ({"applicant_name": " "}, "applicant_name"),
        ({"content": "审查"}, "content"),
        ({"applicant_phone": "12ab"}, "applicant_phone"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_writes_nothing(today, changes, field):
    with pytest.raises(ValidationError) as err:
        _apply(**changes)
    assert field in err.value.message_dict
    assert Application.objects.count() == 0
    assert ApplicationEvent.objects.count() == 0


def test_counter_entry_needs_the_permission(today, staff_a, migrant_clerk):
    with pytest.raises(PermissionDenied):
        _apply(actor=staff_a, channel=Application.Channel.COUNTER)
    a = _apply(actor=migrant_clerk, channel=Application.Channel.COUNTER)
    assert a.handler == migrant_clerk and a.channel == "counter"


def test_only_the_owning_section_completes_it(today, section_staff, migrant_clerk, head):
    a = _apply()
    with pytest.raises(PermissionDenied):
        application_complete(actor=section_staff, application=a, result="经核查，无违法生育记录")
    with pytest.raises(ValidationError):
        application_complete(actor=migrant_clerk, application=a, result="")
    done = application_complete(actor=migrant_clerk, application=a, result="经核查，无违法生育记录")
    assert done.status == "completed" and done.finished_on == today
    with pytest.raises(ValidationError, match="已办结"):
        application_complete(actor=head, application=done, result="再次办理")
    assert [e.to_status for e in done.events.all()] == ["received", "completed"]


def test_a_rating_comes_once_after_completion_and_a_bad_one_opens_a_follow_up(today, migrant_clerk):
    a = _apply()
    with pytest.raises(ValidationError, match="办结后"):
        rating_submit(application=a, level=5)
    a = application_complete(actor=migrant_clerk, application=a, result="无违法生育记录")
    with pytest.raises(ValidationError) as err:
        rating_submit(application=a, level=2, reason="")
    assert "reason" in err.value.message_dict
    assert Rating.objects.count() == 0
    rating = rating_submit(application=a, level=2, reason="等了很久才有人接电话")
    task = FollowUpTask.objects.get(rating=rating)
    assert task.section.name == "流动人口管理股"
    assert task.due_on == dt.date(2026, 12, 22)  # 15 working days
    with pytest.raises(ValidationError, match="只能评价一次"):
        rating_submit(application=a, level=5)
    with pytest.raises(ValidationError):
        follow_up_close(actor=migrant_clerk, task=task, outcome="好")
    closed = follow_up_close(
        actor=migrant_clerk, task=task, outcome="已回访申请人，增设值班电话，申请人认可"
    )
    assert closed.status == "done"


def test_a_good_rating_opens_no_follow_up(today, migrant_clerk):
    a = application_complete(actor=migrant_clerk, application=_apply(), result="无记录")
    rating_submit(application=a, level=4)
    assert FollowUpTask.objects.count() == 0


# --- pages -------------------------------------------------------------------------------


def test_online_application_queue_letter_lookup_and_rating_through_the_pages(
    today, public, migrant_client, client
):
    response = public.post(
        reverse("publicservices-apply", args=[3]),
        {"applicant_name": "隆尧县教育局", "content": "请审查王五的计划生育情况（晋升）"},
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    a = Application.objects.get()
    html = response.content.decode()
    assert a.reference in html
    code = html.split('id="receipt-code">')[1].split("<")[0]

    queue = migrant_client.get(reverse("publicservices-queue")).content.decode()
    assert a.reference in queue

    response = migrant_client.post(
        reverse("publicservices-detail", args=[a.pk]),
        {"action": "complete", "result": "经核查，王五无违法生育记录。"},
    )
    assert response.status_code == 200  # the confirmation box was not ticked
    assert Application.objects.get().status == "received"
    migrant_client.post(
        reverse("publicservices-detail", args=[a.pk]),
        {"action": "complete", "result": "经核查，王五无违法生育记录。", "confirm": "on"},
    )
    assert Application.objects.get().status == "completed"
    pdf = migrant_client.get(reverse("publicservices-letter", args=[a.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = migrant_client.get(reverse("publicservices-letter", args=[a.pk, "docx"]))
    body = zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()
    assert "办理结果告知书" in body and "王五无违法生育记录" in body and a.reference in body

    # The applicant: a wrong code finds nothing, the right one shows the result.
    lookup = reverse("publicservices-lookup")
    wrong = public.post(lookup, {"reference": a.reference, "code": "AAAA-AAAA-AAAA-AAAA"})
    assert wrong.status_code == 404
    assert public.get(reverse("publicservices-progress", args=[a.reference])).status_code == 404
    found = public.post(lookup, {"reference": a.reference, "code": code.lower()}, follow=True)
    page = found.content.decode()
    assert "已办结" in page and "王五无违法生育记录" in page
    letter = public.get(reverse("publicservices-public-letter", args=[a.reference, "pdf"]))
    assert letter.content.startswith(b"%PDF")
    public.post(
        reverse("publicservices-progress", args=[a.reference]),
        {"level": "1", "reason": "结果告知书送达太慢"},
    )
    assert Rating.objects.get().level == 1
    assert FollowUpTask.objects.filter(rating__application=a).exists()
    tasks = migrant_client.get(reverse("publicservices-follow-ups")).content.decode()
    assert "结果告知书送达太慢" in tasks


def test_another_section_does_not_see_the_application(today, section_staff):
    from tests.conftest import login

    a = _apply()
    other = login(section_staff)
    assert a.reference not in other.get(reverse("publicservices-queue")).content.decode()
    assert other.get(reverse("publicservices-detail", args=[a.pk])).status_code == 404


def test_the_public_and_townships_get_no_queue(public, staff_a):
    from tests.conftest import login

    assert public.get(reverse("publicservices-queue")).status_code == 302
    assert login(staff_a).get(reverse("publicservices-queue")).status_code == 403


def test_lookups_are_rate_limited(today, public, settings):
    settings.ZEREN_REPORT_LOOKUPS_PER_HOUR = 2
    a = _apply()
    lookup = reverse("publicservices-lookup")
    for _ in range(2):
        assert public.post(lookup, {"reference": a.reference, "code": "x"}).status_code == 404
    assert (
        public.post(lookup, {"reference": a.reference, "code": a.receipt_code}).status_code == 429
    )


def test_rating_statistics_per_service_and_section(today, migrant_clerk, head):
    from zeren.publicservices.selectors import rating_statistics

    for number, level, reason in ((3, 5, ""), (3, 1, "态度不好"), (5, 4, "")):
        a = application_complete(actor=head, application=_apply(number), result="已办结")
        rating_submit(application=a, level=level, reason=reason)
    stats = rating_statistics()
    services = {r["key"]: r for r in stats["services"]}
    assert (services[3]["count"], services[3]["average"], services[3]["bad"]) == (2, 3.0, 1)
    assert services[3]["levels"]["非常满意"] == 1 and services[3]["levels"]["非常不满意"] == 1
    assert (services[5]["count"], services[5]["average"], services[5]["bad"]) == (1, 4.0, 0)
    sections = {r["key"]: r for r in stats["sections"]}
    assert sections["流动人口管理股"]["count"] == 2 and sections["政策法规股"]["count"] == 1
