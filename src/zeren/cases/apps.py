from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zeren.cases"
    label = "cases"
    verbose_name = "案件查处"

    def ready(self) -> None:
        from zeren.core import workdays  # noqa: F401  (connect the calendar cache receivers)
        from zeren.core.navigation import register, unless_partner_without_shares
        from zeren.core.roles import Role, grant

        read = {
            "cases.view_case",
            "cases.view_casedocument",
            "cases.view_fileReview".lower(),
            "cases.view_violation",
            "cases.view_ruleset",
        }
        work = {"cases.add_case", "cases.change_case"}
        grant(Role.HEAD, *read, *work, "cases.approve_case", "cases.review_case")
        grant(Role.OFFICER, *read, *work)
        grant(Role.SECTION, *read, *work, "cases.review_case")
        # Townships may be entrusted with fee cases (办法第四条): they follow their own cases.
        grant(Role.TOWNSHIP, *read)
        grant(Role.AUDITOR, *read)
        # Partner departments (joint "两非" investigations) see the cases shared with them.
        grant(Role.PARTNER, "cases.view_case", "cases.view_casedocument")
        register(
            "案件查处",
            "case-dashboard",
            "cases.view_case",
            order=40,
            visible=unless_partner_without_shares("cases.case"),
        )
