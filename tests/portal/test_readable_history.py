"""The change and security logs read in Chinese: labels, display values, names; filters; export."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from python_calamine import CalamineWorkbook

from tests.cases.conftest import (  # noqa: F401 (fixtures)
    _fresh_calendar,
    file_case,
    officers,
    party,
    sex_identification,
)
from tests.conftest import login
from tests.funds.conftest import make_beneficiary
from tests.permits.conftest import grant, holder  # noqa: F401 (fixture)
from zeren.cases.models import Case
from zeren.core.models import ChangeLog, SecurityEvent
from zeren.core.security import log_event
from zeren.funds.models import Beneficiary
from zeren.funds.services import beneficiary_suspend
from zeren.permits.models import Permit
from zeren.permits.services import permit_revoke

pytestmark = pytest.mark.django_db

CHANGES = "/staff/audit/changes/"
SECURITY = "/staff/audit/security/"
# what a reader must never meet: attribute names, codes, raw dicts, model labels, "#12"
RAW = re.compile(r"_id\b|\{'|\"[a-z_]+\":|\b(granted|revoked|filed|active|suspended)\b|#\d+")


def _rows_text(html: str) -> str:
    """The visible text of the log table (tags dropped, tooltips and filter options left out)."""
    body = html.split("<tbody>", 1)[1].rsplit("</tbody>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def _type(model) -> str:
    return str(ContentType.objects.get_for_model(model).pk)


def _named(user, name: str):
    user.name = name
    user.save()
    return user


def test_a_permit_change_reads_in_chinese(section_staff, holder, auditor):  # noqa: F811
    _named(section_staff, "王明")
    permit = grant(section_staff, holder)
    permit_revoke(actor=section_staff, permit=permit, ground="deception", documents="材料")
    html = login(auditor).get(CHANGES, {"object_type": _type(Permit)}).content.decode()
    text = _rows_text(html)
    assert "许可证件" in text
    assert "状态" in text and "有效" in text and "已撤销" in text
    assert "王明" in text and 'title="登录名：clerk"' in html
    assert f"{permit.get_kind_display()} {permit.number}" in text  # the licence by its name
    assert holder.name not in html  # the holder is personal data: never decrypted here
    assert not RAW.search(text), RAW.search(text)


def test_a_case_change_reads_in_chinese(file_case, auditor, township_a):  # noqa: F811
    case = file_case()
    html = login(auditor).get(CHANGES, {"object_type": _type(Case)}).content.decode()
    text = _rows_text(html)
    assert "新增" in text
    assert "环节" in text and "已立案（调查）" in text
    assert "乡镇" in text and township_a.name in text  # related object by its display name
    assert str(case.violation) in text
    assert "相对人（个人信息不在日志中显示）" in text  # the person row is never decrypted
    assert not RAW.search(text), RAW.search(text)


def test_a_beneficiary_change_reads_in_chinese(village_a, staff_a, auditor):
    beneficiary = make_beneficiary(village=village_a, account="6222020200199988877")
    beneficiary_suspend(
        actor=staff_a, beneficiary=beneficiary, reason="核查中", event_date=dt.date(2026, 1, 5)
    )
    html = login(auditor).get(CHANGES, {"object_type": _type(Beneficiary)}).content.decode()
    text = _rows_text(html)
    assert "享受中" in text and "暂停" in text and "状态" in text
    # The facts (a child's death) are encrypted at rest like the bank account: the log names
    # the field and never shows its content.
    assert "资格条件 加密内容" in text and "独生子女死亡" not in html
    assert "银行账号" in text and "加密内容" in text
    assert "6222020200199988877" not in html and "张三" not in html
    assert "staff_a" in text  # a user without a full name appears by the login
    assert not RAW.search(text), RAW.search(text)


def test_filters_narrow_the_change_log(section_staff, holder, auditor, staff_a, village_a):  # noqa: F811
    permit = grant(section_staff, holder)
    make_beneficiary(village=village_a)
    client = login(auditor)

    def objects(**params) -> set[str]:
        params.setdefault("date_from", timezone.localdate().isoformat())
        html = client.get(CHANGES, params).content.decode()
        return set(re.findall(r'<span class="text-muted">([^<]+)：</span>', html))

    assert {"许可证件", "扶助对象"} <= objects()
    assert objects(object_type=_type(Permit)) == {str(Permit._meta.verbose_name)}
    assert objects(user=str(section_staff.pk), object_type=_type(Beneficiary)) == set()
    assert objects(kind="delete") == set()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert objects(date_from=tomorrow.isoformat()) == set()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert objects(date_from="", date_to=yesterday.isoformat()) == set()
    # the filter form keeps ISO dates and reports a reversed range in Chinese
    html = client.get(
        CHANGES, {"date_from": tomorrow.isoformat(), "date_to": yesterday.isoformat()}
    ).content.decode()
    assert "起始日期不能晚于截止日期" in html
    assert f'value="{tomorrow.isoformat()}"' in html
    assert permit.number  # the licence exists; the filters hid it


def test_the_export_is_an_excel_file_and_is_logged(section_staff, holder, auditor):  # noqa: F811
    grant(section_staff, holder)
    client = login(auditor)
    params = {"object_type": _type(Permit), "date_from": timezone.localdate().isoformat()}
    expected = ChangeLog.objects.filter(content_type_id=int(params["object_type"])).count()
    response = client.get(CHANGES, {**params, "export": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0][:4] == ["时间", "操作人", "账号", "操作"]
    assert len(rows) - 1 == expected and all(r[4] == "许可证件" for r in rows[1:])
    event = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT).latest("id")
    assert event.actor == auditor
    assert event.detail["what"] == "变更日志" and event.detail["rows"] == expected
    assert set(event.detail["filters"]) == {"object_type", "date_from"}


def test_the_security_log_names_objects_and_users(section_staff, holder, auditor):  # noqa: F811
    _named(section_staff, "王明")
    permit = grant(section_staff, holder)
    log_event(
        SecurityEvent.Kind.EXPORT,
        actor=section_staff,
        obj=permit,
        detail={"what": "许可证", "format": "pdf", "fields": ["hospital"]},
    )
    html = login(auditor).get(SECURITY, {"kind": "export"}).content.decode()
    text = _rows_text(html)
    assert "导出" in text and "王明" in text
    assert f"许可证件：{permit}" in text
    assert "格式：PDF" in text and "字段：实施手术的医疗机构" in text
    assert "permits.Permit" not in text and "hospital" not in text
    response = login(auditor).get(SECURITY, {"kind": "export", "export": "xlsx"})
    assert "spreadsheetml" in response["Content-Type"]
    logged = SecurityEvent.objects.filter(kind="export", detail__what="安全日志").get()
    assert logged.detail["rows"] >= 1


def test_an_account_change_names_fields_roles_and_units(auditor, bureau, township_a):
    from tests.conftest import make_user

    clerk = make_user("newclerk", "township", department=bureau, township=township_a)
    clerk.name = "钱新"
    clerk.save()
    html = login(auditor).get(SECURITY, {"kind": "account"}).content.decode()
    text = _rows_text(html)
    assert "角色：（空） → 乡镇工作人员" in text and "超级用户状态：（空） → 否" in text
    assert f"乡镇：（空） → {township_a.name}" in text and f"部门：（空） → {bureau}" in text
    assert "role" not in text and "township_id" not in text and "username" not in text
    assert "账号：钱新" in text and "newclerk" not in text  # the login only in the tooltip
