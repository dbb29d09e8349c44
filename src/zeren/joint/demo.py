"""Demo joint space: clues across the four departments of the sex-ratio boundary matter.

One opened by the police with health and the bureau (a clinic suspected of sex
determination), one by the bureau with health and food-and-drug (termination drugs sold
without prescription) where health's task is overdue.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.utils import timezone

from zeren.catalogue.models import Boundary
from zeren.joint.models import Matter, Reply
from zeren.joint.services import matter_open, meeting_record, share_post, task_reply
from zeren.org.models import Department, User


def load(rng: random.Random, progress: Callable[[str], None]) -> None:
    if Matter.objects.exists():
        return
    boundary = (
        Boundary.objects.filter(version__status="published")
        .order_by("-version__number", "number")
        .first()
    )
    users = {
        u.department.code: u
        for u in User.objects.filter(role="partner").select_related("department")
    }
    head = User.objects.filter(username="juzhang").first()
    if boundary is None or head is None or len(users) < 3:
        progress("联合查处：缺少职责边界或协作部门账号，跳过")
        return
    deps = {d.code: d for d in Department.objects.all()}
    police, health, fda = users["longyao-gaj"], users["longyao-wsj"], users.get("longyao-sjj")
    by_department = {u.department_id: u for u in (police, health, fda, head) if u is not None}
    today = timezone.localdate()
    first = matter_open(
        actor=police,
        boundary=boundary,
        title="群众反映某诊所疑似非医学需要胎儿性别鉴定",
        description="公安局接群众举报：某诊所夜间为孕妇做B超并告知胎儿性别，收费500元。",
        departments=[deps["longyao-wsj"], deps["longyao-jsj"]],
        opened_on=today - dt.timedelta(days=10),
        due_on=today + dt.timedelta(days=5),
    )
    for task in first.tasks.all():
        task_reply(
            actor=by_department[task.department_id],
            task=task,
            kind=Reply.Kind.ACKNOWLEDGE,
            text="已签收，安排人员核查",
        )
    share_post(actor=health, matter=first, text="该诊所执业许可无B超诊疗科目，已列入重点监管。")
    partners = [deps["longyao-wsj"]] + ([deps["longyao-sjj"]] if fda else [])
    second = matter_open(
        actor=head,
        boundary=boundary,
        title="药店无处方销售终止妊娠药品",
        description="县计生局在孕情随访中发现两名孕妇自行服用米非司酮，药品购自同一药店。",
        departments=partners,
        opened_on=today - dt.timedelta(days=30),
        due_on=today - dt.timedelta(days=15),
    )
    results = {
        head.department_id: ("已将随访情况移交食药监局", 20),
        deps["longyao-sjj"].pk: ("已立案查处，责令停业整顿", 16),
    }
    for task in second.tasks.all():
        if task.department_id in results and task.department_id in by_department:
            text, days = results[task.department_id]
            task_reply(
                actor=by_department[task.department_id],
                task=task,
                kind=Reply.Kind.RESULT,
                text=text,
                on=today - dt.timedelta(days=days),
            )
    meeting_record(
        actor=head,
        matter=second,
        held_on=today - dt.timedelta(days=12),
        minutes="领导小组办公室召集卫生局、食药监局研究药店违规销售问题。",
        decisions="卫生局一周内反馈对开具处方医生的调查结果。",
    )
    progress("联合查处：2 件联合线索（其中卫生局任务 1 项逾期）")
