"""``zeren supervision draw | verify | status``."""

from __future__ import annotations

import argparse
import json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("supervision", help="事中事后监管：抽取、验证、达标情况")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="操作")

    d = verbs.add_parser("draw", help="抽取一期抽查计划（先承诺种子，再冻结对象并抽取）")
    d.add_argument("--regime", required=True, help="监管制度代码，如 termination-followup")
    d.add_argument("--period", required=True, help="期间 YYYY-MM")
    d.add_argument("--township", help="乡镇区划代码（县局实施的制度可省略，表示全县）")
    d.add_argument("--round", type=int, default=1, help="轮次（专项督查每年两轮）")
    d.add_argument("--seed", help="外部提供的种子（如公开摇号结果）；默认系统随机生成")
    d.set_defaults(func=draw)

    v = verbs.add_parser("verify", help="按记录的种子和对象重算抽取结果并核对")
    v.add_argument("plan", type=int, help="抽查计划编号")
    v.set_defaults(func=verify)

    s = verbs.add_parser("status", help="各制度、各乡镇的达标情况")
    s.add_argument("--period", required=True, help="期间 YYYY-MM")
    s.add_argument("--township", help="只看一个乡镇（区划代码）")
    s.add_argument("--format", choices=["json", "table"], default="table")
    s.set_defaults(func=status)


def _township(code: str | None):
    from zeren.cli import CommandError
    from zeren.org.models import Division

    if not code:
        return None
    division = Division.objects.filter(code=code, level=Division.Level.TOWNSHIP).first()
    if division is None:
        raise CommandError(f"没有区划代码为 {code} 的乡镇")
    return division


def draw(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError, setup_django, system_actor

    setup_django()
    from django.core.exceptions import ValidationError

    from zeren.supervision import rules
    from zeren.supervision.selectors import regime_in_force
    from zeren.supervision.services import sampling_plan_commit, sampling_plan_draw

    try:
        _, end = rules.parse_period(args.period)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    regime = regime_in_force(args.regime, end)
    if regime is None:
        raise CommandError(f"没有代码为 {args.regime} 且在 {args.period} 有效的监管制度")
    township = _township(args.township)
    actor = system_actor()
    try:
        plan = sampling_plan_commit(
            actor=actor,
            regime=regime,
            period=args.period,
            division=township,
            round=args.round,
            seed=args.seed,
        )
        print(f"抽查计划 #{plan.pk}：{plan}")
        print(f"种子承诺 SHA-256：{plan.seed_hash}（{plan.seed_source}）")
        plan = sampling_plan_draw(actor=actor, plan=plan)
    except ValidationError as exc:
        raise CommandError("；".join(exc.messages)) from exc
    if plan.population_count == 0:
        print("本期无检查对象（no subjects），未生成任务")
    else:
        print(
            f"对象 {plan.population_count} 件，应抽查 {plan.required_count} 件，"
            f"已生成检查任务 {plan.tasks.count()} 项"
        )
    print(f"种子：{plan.seed}")
    print(f"算法：{plan.algorithm}；对象摘要 SHA-256：{plan.population_digest}")
    print(f"验证：zeren supervision verify {plan.pk}")


def verify(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError, setup_django

    setup_django()
    from zeren.supervision.models import SamplingPlan
    from zeren.supervision.services import sampling_plan_verify

    plan = SamplingPlan.objects.filter(pk=args.plan).select_related("regime", "division").first()
    if plan is None:
        raise CommandError(f"没有编号为 {args.plan} 的抽查计划")
    result = sampling_plan_verify(plan=plan)
    print(f"抽查计划 #{plan.pk}：{plan}")
    for note in result.notes:
        print(f"说明：{note}")
    if not result.ok:
        raise CommandError("验证未通过：" + "；".join(result.problems))
    print(
        f"验证通过：种子与承诺一致，按 {plan.algorithm} 重算得到相同的 "
        f"{plan.required_count}/{plan.population_count} 件抽中对象"
        + ("和检查人员" if plan.officers_per_task else "")
    )


def status(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError, setup_django

    setup_django()
    from zeren.supervision.selectors import status_rows

    try:
        rows = status_rows(args.period, township=_township(args.township))
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    if args.format == "json":
        print(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
        return
    print("制度\t范围\t对象\t应查\t已抽\t完成\t符合\t达成率\t达标")
    for r in rows:
        value = r.attainment
        rate = "无检查对象" if r.no_subjects else (f"{value:.1%}" if value is not None else "—")
        met = "—" if r.met is None else ("是" if r.met else "否")
        print(
            f"{r.regime.code}\t{r.division.name}\t{r.population}\t{r.required}\t{r.sampled}\t"
            f"{r.done}\t{r.conforming}\t{rate}\t{met}"
        )
