from django.apps import AppConfig


def _perms(model: str, *actions: str) -> set[str]:
    return {f"statistics.{action}_{model}" for action in actions}


# Townships register and import their own births and read their own indicators and scorecard;
# the county (sections, head) sees every township, enters manual assessment items and keeps
# the thresholds and schemes.
VIEW = (
    _perms("birth", "view")
    | _perms("threshold", "view")
    | _perms("alert", "view")
    | _perms("assessmentscheme", "view")
    | _perms("assessmentitem", "view")
    | _perms("manualscore", "view")
)
TOWNSHIP_PERMS = VIEW | _perms("birth", "add", "import")
COUNTY_PERMS = (
    TOWNSHIP_PERMS
    | _perms("birth", "export")
    | _perms("manualscore", "add", "change")
    | _perms("threshold", "add", "change")
    | _perms("assessmentscheme", "add", "change")
    | _perms("assessmentitem", "add", "change")
)


class StatisticsConfig(AppConfig):
    name = "zeren.statistics"
    label = "statistics"
    verbose_name = "规划统计"

    def ready(self) -> None:
        from zeren.core.navigation import register
        from zeren.core.roles import Role, grant

        grant(Role.TOWNSHIP, *TOWNSHIP_PERMS)
        grant(Role.SECTION, *COUNTY_PERMS)
        grant(Role.HEAD, *COUNTY_PERMS)
        grant(Role.AUDITOR, *VIEW)
        grant(
            Role.ADMIN,
            *VIEW,
            *_perms("threshold", "add", "change"),
            *_perms("assessmentscheme", "add", "change"),
            *_perms("assessmentitem", "add", "change"),
        )
        register("统计预警", "statistics-dashboard", "statistics.view_birth", order=60)
        register("目标考核", "statistics-assessment", "statistics.view_manualscore", order=61)
