from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zeren.supervision"
    label = "supervision"
    verbose_name = "事中事后监管"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from zeren.core.navigation import register
        from zeren.core.roles import Role, grant

        def crud(model: str, *actions: str) -> set[str]:
            return {f"supervision.{a}_{model}" for a in actions}

        read = (
            crud("supervisionregime", "view")
            | crud("samplingplan", "view")
            | crud("inspectiontask", "view")
        )
        county = (
            read
            | crud("supervisionregime", "add", "change")
            | crud("samplingplan", "draw")
            | crud("inspectiontask", "change", "assign")
            | crud("disposition", "add", "view")
            | crud("conflictdeclaration", "view", "add", "change")
            | crud("report", "view", "add", "handle")
        )
        grant(Role.HEAD, *county)
        grant(Role.SECTION, *county)
        # Townships draw and record their own follow-ups and receive reports about them.
        grant(
            Role.TOWNSHIP,
            *read,
            *crud("samplingplan", "draw"),
            *crud("inspectiontask", "change"),
            *crud("disposition", "view"),
            *crud("report", "view", "add", "handle"),
        )
        grant(
            Role.OFFICER,
            *read,
            *crud("inspectiontask", "change"),
            *crud("disposition", "add", "view"),
            *crud("conflictdeclaration", "view"),
        )
        grant(Role.AUDITOR, *read, *crud("disposition", "view"))
        # The health bureau joins the termination special inspections (清单 四（一）二（二）2):
        # it reads the tasks shared with it, and nothing else (``.restrict`` keeps it to shares).
        grant(Role.PARTNER, *crud("inspectiontask", "view"), *crud("disposition", "view"))
        register("监管抽查", "supervision-dashboard", "supervision.view_samplingplan", order=40)
        register("举报投诉", "report-list", "supervision.view_report", order=45)
        post_save.connect(
            _list_saved, sender="catalogue.ListVersion", dispatch_uid="supervision-list-regimes"
        )


def _list_saved(sender, instance, **kwargs) -> None:
    """A newly published list: the supervision regimes follow it to its regimes."""
    if instance.status == "published":
        from zeren.supervision.services import regimes_link_list

        regimes_link_list(version=instance)
