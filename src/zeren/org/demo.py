"""Demo organisation: villages, staff of every role, officers with certificates."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password

from zeren.core.audit import log_bulk
from zeren.core.roles import Role
from zeren.org.models import Department, Division, DocumentSettings, Section, User
from zeren.org.services import officer_certify, user_create

VILLAGE_PREFIXES = ["东", "西", "南", "北", "前", "后", "大", "小", "新", "老"]
VILLAGE_NAMES = [
    "王庄",
    "李庄",
    "张家营",
    "刘村",
    "陈屯",
    "杨家寨",
    "赵庄",
    "孙家庄",
    "周村",
    "吴庄",
    "郭家庄",
    "马村",
    "高庄",
    "林村",
    "何家寨",
]
VILLAGES_PER_TOWNSHIP = 8


def village_name(prefix: str, base: str) -> str:
    """东王庄村, 北刘村: 村 is added only where the base does not already end with it."""
    name = f"{prefix}{base}"
    return name if name.endswith("村") else f"{name}村"


def load(rng: random.Random, progress: Callable[[str], None]) -> None:
    from zeren.demo import DEMO_PASSWORD

    if User.objects.filter(username="juzhang").exists():
        progress("演示组织机构：已存在")
        return
    townships = list(Division.objects.filter(level=Division.Level.TOWNSHIP).order_by("code"))
    for township in townships:
        names = rng.sample(VILLAGE_NAMES, VILLAGES_PER_TOWNSHIP)
        for i, base in enumerate(names, start=1):
            Division.objects.get_or_create(
                code=f"{township.code}{200 + i:03d}",
                defaults={
                    "name": village_name(rng.choice(VILLAGE_PREFIXES), base),
                    "level": Division.Level.VILLAGE,
                    "parent": township,
                    "order": i,
                },
            )
    bureau = Department.objects.get(code="longyao-jsj")
    DocumentSettings.objects.update_or_create(
        department=bureau,
        defaults={
            "review_body": "隆尧县人民政府",
            "court": "隆尧县人民法院",
            "bank_name": "演示银行隆尧县支行",
            "account_name": "隆尧县非税收入汇缴结算户（演示）",
            "account_number": "6200000000000000001",
            "payment_note": "也可通过非税收入电子缴款系统缴纳（演示数据）",
        },
    )
    section = {s.name: s for s in Section.objects.filter(department=bureau)}

    demo_accounts: list[int] = []

    def staff(username: str, name: str, role: str, **kw) -> User:
        user = user_create(actor=None, username=username, password=None, name=name, role=role, **kw)
        demo_accounts.append(user.pk)
        return user

    staff("juzhang", "李建国", Role.HEAD, department=bureau, section=section["办公室"])
    for username, name, sec in [
        ("bangongshi", "王芳", "办公室"),
        ("guihua", "赵磊", "规划统计股"),
        ("fagui", "孙丽", "政策法规股"),
        ("shenpi", "周敏", "审批服务股"),
        ("liudong", "吴刚", "流动人口管理股"),
        ("keji", "郑洁", "科学技术股"),
    ]:
        staff(username, name, Role.SECTION, department=bureau, section=section[sec])
    staff("shenji", "冯涛", Role.AUDITOR, department=bureau, section=section["办公室"])
    for code, username, name in [
        ("longyao-wsj", "weisheng", "陈医生"),
        ("longyao-gaj", "gongan", "韩警官"),
        ("longyao-sjj", "shiyaojian", "杨科长"),
    ]:
        staff(username, name, Role.PARTNER, department=Department.objects.get(code=code))
    surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
    given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂"
    for n, township in enumerate(townships, start=1):
        staff(
            f"xiang{n:02d}",
            rng.choice(surnames) + rng.choice(given) + rng.choice(given),
            Role.TOWNSHIP,
            department=bureau,
            township=township,
        )
    villages = list(Division.objects.filter(level=Division.Level.VILLAGE).order_by("code"))
    for n in range(1, 11):
        sec = section["政策法规股"] if n % 2 else section["审批服务股"]
        user = staff(
            f"officer{n:02d}",
            rng.choice(surnames) + rng.choice(given) + rng.choice(given),
            Role.OFFICER,
            department=bureau,
            section=sec,
        )
        expired = n == 10  # one officer whose certificate has lapsed, to show the refusal
        officer_certify(
            actor=None,
            user=user,
            number=f"冀执字1305250{n:03d}",
            valid_from=dt.date(2022, 1, 1),
            valid_to=dt.date(2025, 6, 30) if expired else dt.date(2028, 12, 31),
            village=rng.choice(villages),
        )
    # Every demo account gets the one printed demo password, hashed once: hashing it for each
    # of the accounts (PBKDF2, deliberately slow) took most of the demo's first start.
    validate_password(DEMO_PASSWORD)
    hashed = User.objects.filter(pk__in=demo_accounts).update(password=make_password(DEMO_PASSWORD))
    log_bulk(User, "演示账号设置演示密码", {"accounts": hashed})
    progress(f"演示组织机构：{len(villages)} 个村，{User.objects.count()} 个账号，10 名执法人员")
