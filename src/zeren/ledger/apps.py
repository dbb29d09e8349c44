from django.apps import AppConfig


def _perms(model: str, *actions: str) -> set[str]:
    return {f"ledger.{action}_{model}" for action in actions}


# Sections and the head keep the ledger; townships read the records of their own township
# (the automatic ones their work produced); auditors read everything.
VIEW = _perms("record", "view") | _perms("expectation", "view") | _perms("eventmapping", "view")
BUREAU = VIEW | _perms("record", "add", "export") | _perms("expectation", "add", "change")


class LedgerConfig(AppConfig):
    name = "zeren.ledger"
    label = "ledger"
    verbose_name = "履职台账"

    def ready(self) -> None:
        from zeren.core.navigation import register
        from zeren.core.roles import Role, grant
        from zeren.ledger import events

        grant(Role.SECTION, *BUREAU)
        grant(Role.HEAD, *BUREAU)
        grant(Role.TOWNSHIP, *_perms("record", "view"))
        grant(Role.AUDITOR, *VIEW)
        grant(Role.ADMIN, *VIEW, *_perms("eventmapping", "add", "change", "delete"))
        register("履职台账", "ledger-matrix", "ledger.view_expectation", order=70)
        events.connect()
