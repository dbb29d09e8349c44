"""Simultaneous transitions of the kinds test_races.py does not cover (issue 17, point 1).

Permits, certificates, campaigns, reports, publications (the published list), public-service
applications, joint tasks, and the numbers of reports, applications and payment batches.
Each test releases ten pairs of calls together on PostgreSQL; every call starts from its own
copy of the object, as two open pages would. Expected: ten successes, ten clear Chinese
refusals naming who was first, no error (a 500), one transition per object in the log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import models

from tests import factories
from tests.concurrency.conftest import (
    Outcome,
    assert_one_wins,
    together,
    township_a,
    unique,
    user,
)
from tests.funds.conftest import make_beneficiary
from tests.supervision.conftest import make_permits
from zeren.catalogue.models import Boundary, ListVersion
from zeren.catalogue.services import draft_for, list_draft_start, list_publish
from zeren.certificates.models import Certificate, CertificateType
from zeren.certificates.services import certificate_issue, certificate_register
from zeren.core.audit import acting_as
from zeren.core.models import ChangeLog
from zeren.core.roles import Role
from zeren.funds.models import Beneficiary, Campaign, EndReason, PaymentBatch
from zeren.funds.services import (
    beneficiary_reinstate,
    beneficiary_suspend,
    campaign_close,
    campaign_open,
    payment_batch_create,
)
from zeren.joint.models import Task
from zeren.joint.services import matter_open, task_reply
from zeren.org.models import Department
from zeren.org.services import user_create
from zeren.permits.models import Permit
from zeren.permits.services import permit_revoke
from zeren.publicservices.models import Application
from zeren.publicservices.services import application_complete, application_submit
from zeren.supervision.models import Report
from zeren.supervision.services import report_submit, report_take

PAIRS = 10

pytestmark = pytest.mark.django_db(transaction=True)


def _transitions(instance: models.Model, field: str) -> list[ChangeLog]:
    """The change-log updates of ``instance`` that changed ``field``."""
    rows = ChangeLog.objects.filter(
        content_type=ContentType.objects.get_for_model(instance),
        object_id=str(instance.pk),
        action=ChangeLog.Action.UPDATE,
    )
    return [r for r in rows if (r.before or {}).get(field) != (r.after or {}).get(field)]


def _pairs(
    objects: list[models.Model], call: Callable[[Any, int], Any], model: type[models.Model]
) -> list[Outcome]:
    """Release ``call(copy, i)`` for i = 0, 1 together, on two fresh copies of each object."""
    outcomes = []
    for obj in objects:
        copies = [model.objects.get(pk=obj.pk) for _ in range(2)]
        outcomes.append(together([lambda c=c, i=i: call(c, i) for i, c in enumerate(copies)]))
    return outcomes


def _one_transition_each(objects: list[models.Model], field: str) -> None:
    for obj in objects:
        obj.refresh_from_db()
        rows = _transitions(obj, field)
        assert len(rows) == 1, [(r.before, r.after) for r in rows]
        assert rows[0].after[field] == getattr(obj, field)


def test_ten_pairs_revoking_one_permit_revoke_it_once(committed):
    admins = [user(Role.ADMIN, is_superuser=True) for _ in range(2)]
    permits = make_permits(township_a(), PAIRS)
    outcomes = _pairs(
        permits,
        lambda p, i: permit_revoke(
            actor=admins[i], permit=p, ground="deception", documents="撤销决定书"
        ),
        Permit,
    )
    assert_one_wins(outcomes, message="不能")
    _one_transition_each(permits, "status")


def test_ten_pairs_issuing_one_certificate_give_one_number(committed):
    admin = user(Role.ADMIN, is_superuser=True)
    village = township_a().children.order_by("code").first()
    migrant = CertificateType.objects.get(code="migrant")
    certificates = [
        certificate_register(
            actor=admin,
            type=migrant,
            holder=factories.person(actor=admin, division=village),
            spouse=None,
            facts={"marital_status": "已婚", "children": "1", "destination": "北京市朝阳区"},
            applied_on=dt.date(2026, 3, 1),
        )
        for _ in range(PAIRS)
    ]
    outcomes = _pairs(
        certificates,
        lambda c, i: certificate_issue(actor=admin, certificate=c, on=dt.date(2026, 3, 2)),
        Certificate,
    )
    assert_one_wins(outcomes, message="不能")
    _one_transition_each(certificates, "status")
    numbers = [Certificate.objects.get(pk=c.pk).number for c in certificates]
    assert len(set(numbers)) == PAIRS and all(numbers)


def test_ten_pairs_closing_one_campaign_close_it_once(committed):
    admin = user(Role.ADMIN, is_superuser=True)
    make_beneficiary(village=township_a().children.order_by("code").first())
    campaigns = []
    for n in range(PAIRS):
        campaign, _ = campaign_open(actor=admin, year=2030 + n, kind="payment")
        campaigns.append(campaign)
    # After the deadline a campaign closes with its pending verifications left unverified.
    late = dt.date(2099, 1, 1)
    outcomes = _pairs(
        campaigns, lambda c, i: campaign_close(actor=admin, campaign=c, today=late), Campaign
    )
    assert_one_wins(outcomes, message="不能结束核查")
    _one_transition_each(campaigns, "status")


def test_ten_pairs_taking_one_report_give_it_one_handler(committed):
    staff = [user(Role.ADMIN, is_superuser=True) for _ in range(2)]
    reports = [
        report_submit(actor=None, kind="complaint", township=township_a(), content="窗口态度生硬")
        for _ in range(PAIRS)
    ]
    outcomes = _pairs(reports, lambda r, i: report_take(actor=staff[i], report=r), Report)
    assert_one_wins(outcomes, message="不能承办")
    _one_transition_each(reports, "status")
    assert {Report.objects.get(pk=r.pk).handler_id for r in reports} <= {s.pk for s in staff}


def test_ten_pairs_finishing_one_application_finish_it_once(committed):
    clerk = user(Role.ADMIN, is_superuser=True)
    applications = [
        application_submit(
            actor=None, service_number=3, applicant_name="赵六", content="咨询再生育政策"
        )
        for _ in range(PAIRS)
    ]
    outcomes = _pairs(
        applications,
        lambda a, i: application_complete(actor=clerk, application=a, result=f"答复{i}"),
        Application,
    )
    assert_one_wins(outcomes, message="不能再次办理")
    _one_transition_each(applications, "status")
    for a in applications:
        assert a.events.count() == 2  # received, completed: one completion each


def _partner(code: str) -> Any:
    name = unique(f"c_partner_{code}_")
    with acting_as("并发测试"):
        return user_create(
            actor=None,
            username=name,
            password="Correct-horse-battery-staple",
            name=name,
            role=Role.PARTNER,
            department=Department.objects.get(code=code),
        )


def test_ten_pairs_answering_one_joint_task_with_results_record_one_result(committed):
    police = _partner("longyao-gaj")
    health = [_partner("longyao-wsj") for _ in range(2)]
    boundary = Boundary.objects.get(version__number=1, number=1)
    tasks = []
    for _ in range(PAIRS):
        matter = matter_open(
            actor=police,
            boundary=boundary,
            title="诊所疑似非医学需要胎儿性别鉴定",
            description="群众举报",
            departments=[Department.objects.get(code="longyao-wsj")],
        )
        tasks.append(matter.tasks.get(department__code="longyao-wsj"))
    outcomes = _pairs(
        tasks,
        lambda t, i: task_reply(actor=health[i], task=t, kind="result", text=f"查处结果{i}"),
        Task,
    )
    assert_one_wins(outcomes, message="不能答复")
    _one_transition_each(tasks, "status")
    for t in tasks:
        assert t.replies.filter(kind="result").count() == 1


def test_two_publications_of_one_draft_publish_one_version(committed):
    """Publishing the list (a publication): the second publisher is told who published."""
    admin = user(Role.ADMIN, is_superuser=True)
    department = admin.department
    outcomes = []
    published = []
    for _ in range(3):  # each round needs a new draft of the one list: three rounds suffice
        draft = draft_for(department) or list_draft_start(actor=admin, department=department)
        copies = [ListVersion.objects.get(pk=draft.pk) for _ in range(2)]
        outcomes.append(
            together(
                [
                    lambda v=v, i=i: list_publish(actor=admin, version=v, summary=f"调整{i}")
                    for i, v in enumerate(copies)
                ]
            )
        )
        published.append(draft.pk)
    assert_one_wins(outcomes, message="不能")
    numbers = [ListVersion.objects.get(pk=pk).number for pk in published]
    assert len(set(numbers)) == len(numbers)


def test_ten_pairs_of_public_reports_and_applications_get_distinct_numbers(committed):
    """Receipt numbers come from core.sequences: twenty at once are twenty numbers, no 500."""
    report = [
        together(
            [
                lambda: report_submit(
                    actor=None, kind="report", township=township_a(), content="某诊所非法鉴定"
                )
            ]
            * 2
        )
        for _ in range(PAIRS)
    ]
    applied = [
        together(
            [
                lambda: application_submit(
                    actor=None, service_number=3, applicant_name="钱七", content="咨询再生育政策"
                )
            ]
            * 2
        )
        for _ in range(PAIRS)
    ]
    for outcomes in (report, applied):
        assert [e for o in outcomes for e in o.errors + o.refusals] == []
        refs = [x.reference for o in outcomes for x in o.results]
        assert len(refs) == 2 * PAIRS == len(set(refs))


def test_two_payment_batches_of_one_period_at_once_make_one(committed):
    """Two officers creating the same month's batch: one batch, one clear refusal, no 500."""
    admin = user(Role.ADMIN, is_superuser=True)
    make_beneficiary(village=township_a().children.order_by("code").first())
    outcomes = [
        together(
            [
                lambda m=month: payment_batch_create(
                    actor=admin, program="special", period_of=dt.date(2031, m, 1)
                )
            ]
            * 2
        )
        for month in range(1, PAIRS + 1)
    ]
    assert [e for o in outcomes for e in o.errors] == []
    assert [len(o.results) for o in outcomes] == [1] * PAIRS
    assert all("该期间已有发放批次" in o.refusals[0].messages[0] for o in outcomes)
    assert PaymentBatch.objects.filter(period_start__year=2031, program="special").count() == PAIRS


def test_ten_pairs_reinstating_one_beneficiary_reinstate_once(committed):
    admins = [user(Role.ADMIN, is_superuser=True) for _ in range(2)]
    village = township_a().children.order_by("code").first()
    suspended = []
    for _ in range(PAIRS):
        b = make_beneficiary(village=village, name="被举报")
        suspended.append(
            beneficiary_suspend(
                actor=admins[0],
                beneficiary=b,
                reason=EndReason.DECEPTION,
                event_date=dt.date(2026, 2, 10),
                note="群众反映，待核查",
            )
        )
    outcomes = _pairs(
        suspended,
        lambda b, i: beneficiary_reinstate(actor=admins[i], beneficiary=b, note=f"核实不实{i}"),
        Beneficiary,
    )
    assert_one_wins(outcomes, message="不能恢复扶助")
    for b in suspended:  # suspended once (setup), reinstated once (the race)
        rows = sorted(_transitions(b, "status"), key=lambda r: r.id)
        assert [r.after["status"] for r in rows] == ["suspended", "active"]
