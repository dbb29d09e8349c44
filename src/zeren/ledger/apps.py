from django.apps import AppConfig


def _perms(model: str, *actions: str) -> set[str]:
    return {f"ledger.{action}_{model}" for action in actions}


# Sections and the head keep the ledger; townships read the records of their own township
# (the automatic ones their work produced); auditors read everything.
VIEW = _perms("record", "view") | _perms("expectation", "view") | _perms("eventmapping", "view")
PLANS = _perms("plan", "view", "add", "change") | _perms("milestone", "view", "add", "change")
BUREAU = (
    VIEW
    | _perms("record", "add", "export")
    | _perms("expectation", "add", "change")
    | PLANS
    | _perms("itemmapping", "view")
)


class LedgerConfig(AppConfig):
    name = "zeren.ledger"
    label = "ledger"
    verbose_name = "履职台账"

    def ready(self) -> None:
        from zeren.core.navigation import register
        from zeren.core.roles import Role, grant
        from zeren.ledger import events

        grant(Role.SECTION, *BUREAU)
        grant(Role.HEAD, *BUREAU, "ledger.publish_publicsummary")
        grant(Role.TOWNSHIP, *_perms("record", "view"))
        grant(Role.AUDITOR, *VIEW, *_perms("plan", "view"), *_perms("milestone", "view"))
        grant(
            Role.ADMIN,
            *VIEW,
            *_perms("eventmapping", "add", "change", "delete"),
            *_perms("itemmapping", "view", "change"),
            *_perms("expectation", "change"),
        )
        register("履职台账", "ledger-matrix", "ledger.view_expectation", order=70)
        events.connect()
