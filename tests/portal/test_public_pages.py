"""The public portal: the list at /, the boundary table, services, regimes, search, downloads."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


def test_the_home_page_serves_the_list_grouped_by_duty_with_sections(public):
    page = public.get("/").content.decode()
    assert "隆尧县计生局责任清单" in page
    assert "起草全县计划生育工作政策措施和办法" in page and "办公室" in page
    assert page.count('id="duty-') >= 9


def test_the_boundary_table_lists_all_four_departments(public):
    page = public.get("/boundaries/").content.decode()
    for name in ("人口和计划生育局", "卫生局", "公安局", "食药监局", "隆人计领字〔2011〕8号"):
        assert name in page


def test_the_services_directory_has_every_phone(public):
    page = public.get("/services/").content.decode()
    for phone in ("6664605", "6662281", "6664602", "6663422", "6693188", "6661962", "6690357"):
        assert phone in page
    assert "独生子女父母光荣证的办理" in page


def test_each_regime_shows_its_full_text_in_paragraphs(public):
    page = public.get("/regimes/4/").content.decode()
    assert "规范案件查处" in page and "<p>9、结案归档。" in page
    assert "申请人民法院强制，应当自被执行人的法定起诉期限届满之日起180日内提出。" in page
    assert public.get("/regimes/9/").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("两非", "出生人口性别比综合治理工作"),
        ("6690357", "流动人口婚育证明"),
        ("药具", "规范计划生育药具管理工作"),
        ("抽查面不少于80%", "非医学需要的终止妊娠手术事项监管"),
        ("宣传站", "协调有关部门做好出生人口性别比治理工作"),
    ],
)
def test_search_finds_chinese_substrings_everywhere(public, query, expected):
    page = public.get("/search/", {"q": query}).content.decode()
    assert f"<mark>{query}</mark>" in page
    assert expected in page.replace("<mark>", "").replace("</mark>", "")


def test_search_says_when_nothing_is_found(public):
    assert "没有找到" in public.get("/search/", {"q": "火星"}).content.decode()


def test_search_answers_htmx_with_just_the_results(public):
    response = public.get("/search/", {"q": "两非"}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode() and "两非" in response.content.decode()


def test_the_print_page_has_every_part(public):
    page = public.get("/print/").content.decode()
    for heading in (
        "一、部门职责",
        "二、与相关部门的职责边界",
        "三、公共服务事项",
        "四、事中事后监管制度",
    ):
        assert heading in page


def test_downloads(public):
    doc = json.loads(public.get("/download/list.json").content)
    assert doc["version"] == 1 and len(doc["services"]) == 12
    xlsx = public.get("/download/list.xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx.content[:2] == b"PK"
    assert public.get("/download/list.csv").status_code == 404


def test_old_versions_stay_readable_and_comparable(public, head):
    from zeren.catalogue.selectors import latest_published
    from zeren.catalogue.services import list_draft_start, list_publish

    draft = list_draft_start(actor=head, department=latest_published().department)
    duty = draft.duties.get(number=7)
    duty.text = duty.text + "（修订）"
    duty.save()
    list_publish(actor=head, version=draft, summary="修订职责7")
    assert "（修订）" in public.get("/").content.decode()
    old = public.get("/?version=1").content.decode()
    assert "（修订）" not in old and "历史版本" in old
    diff = public.get("/versions/compare/?a=1&b=2").content.decode()
    assert "主要职责 第7项" in diff and "修改" in diff
    assert public.get("/?version=99").status_code == 404


def test_pages_use_no_external_resources(public):
    for url in ("/", "/services/", "/search/?q=x", "/staff/login/", "/api/docs/"):
        page = public.get(url).content.decode()
        assert "https://" not in page.replace("https://www.w3.org", "") and "//cdn" not in page, url


def test_the_public_menu_leads_to_the_report_form(public):
    page = public.get("/").content.decode()
    assert 'href="/supervision/report/"' in page
    assert public.get("/supervision/report/").status_code == 200


def test_one_deployment_serves_several_counties_lists(public):
    """A second county's bureau publishes its own list; visitors choose which one to read."""
    import copy
    import json as _json
    from pathlib import Path

    import zeren.catalogue
    from zeren.catalogue.services import list_import, list_publish
    from zeren.core.audit import acting_as
    from zeren.org.models import Department, Division, Section

    with acting_as("测试"):
        county = Division.objects.create(
            code="130526", name="任泽区", level="county", parent=Division.objects.get(code="130500")
        )
        other = Department.objects.create(
            code="renze-jsj",
            name="任泽区人口和计划生育局",
            short_name="人口和计划生育局",
            kind="bureau",
            division=county,
        )
        for n, name in enumerate(
            [
                "办公室",
                "规划统计股",
                "政策法规股",
                "宣传站",
                "流动人口管理股",
                "科学技术股",
                "宣传教育股",
                "技术站",
                "审批服务股",
                "计生协",
            ]
        ):
            Section.objects.create(department=other, name=name, order=n)
        for code, name in [
            ("renze-wsj", "卫生局"),
            ("renze-gaj", "公安局"),
            ("renze-sjj", "食药监局"),
        ]:
            Department.objects.create(
                code=code, name=f"任泽区{name}", short_name=name, kind="partner", division=county
            )
    seed = _json.loads(
        (Path(zeren.catalogue.__file__).parent / "seed" / "longyao.json").read_text()
    )
    doc = copy.deepcopy(seed)
    doc["department"] = other.name
    doc["services"][0]["phone"] = "7770001"
    list_publish(actor=None, version=list_import(actor=None, data=doc), summary="首次发布")

    assert "6664605" in public.get("/services/").content.decode()  # the default: Longyao
    page = public.get("/services/", {"department": "renze-jsj"}).content.decode()
    assert "7770001" in page and "任泽区人口和计划生育局" in page
    # The choice is remembered for the visit, and Longyao's list is unchanged.
    assert (
        "7770001" in public.get("/").content.decode()
        or "任泽区" in public.get("/").content.decode()
    )
    assert "6664605" in public.get("/services/", {"department": "longyao-jsj"}).content.decode()
    assert public.get("/", {"department": "nowhere"}).status_code == 404


def test_error_pages_speak_chinese(public, settings, rf):
    from django.template.loader import render_to_string

    assert "系统出错" in render_to_string("500.html")
    assert "未找到" in public.get("/no-such-page/").content.decode()


def test_the_public_menu_leads_to_certificate_verification(public):
    assert 'href="/certificates/verify/"' in public.get("/").content.decode()
    assert public.get("/certificates/verify/").status_code == 200
