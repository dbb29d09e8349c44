from django.apps import AppConfig


def _perms(model: str, *actions: str) -> set[str]:
    return {f"joint.{action}_{model}" for action in actions}


VIEW = (
    _perms("matter", "view")
    | _perms("task", "view")
    | _perms("reply", "view")
    | _perms("informationshare", "view")
    | _perms("meeting", "view")
)
# Every participating department opens matters, replies on its tasks and shares; the bureau
# (the leading group's office) also links, closes and records meetings.
PARTNER = (
    VIEW | _perms("matter", "add") | _perms("reply", "add") | _perms("informationshare", "add")
)
BUREAU = PARTNER | _perms("matter", "change") | _perms("meeting", "add")


class JointConfig(AppConfig):
    name = "zeren.joint"
    label = "joint"
    verbose_name = "联合查处"

    def ready(self) -> None:
        from zeren.core.navigation import register
        from zeren.core.roles import Role, grant

        grant(Role.PARTNER, *PARTNER)
        grant(Role.SECTION, *BUREAU)
        grant(Role.HEAD, *BUREAU)
        grant(Role.AUDITOR, *VIEW)
        register("联合查处", "joint-board", "joint.view_matter", order=75)
