from django.apps import AppConfig


def _perms(model: str, *actions: str) -> set[str]:
    return {f"funds.{action}_{model}" for action in actions}


# Townships keep their beneficiaries, confirm receipt and record verification outcomes;
# the county (sections, head) also runs batches, campaigns, terminations and exports.
TOWNSHIP_PERMS = (
    _perms("beneficiary", "view", "add", "change", "reveal", "import")
    | _perms("paymentbatch", "view")
    | _perms("paymentline", "view", "confirm")
    | _perms("campaign", "view")
    | _perms("verification", "view", "change")
    | _perms("recoveryentry", "view", "add")
    | _perms("deduction", "view")
    | _perms("rate", "view")
)
COUNTY_PERMS = (
    TOWNSHIP_PERMS
    | _perms("beneficiary", "export", "terminate")
    | _perms("paymentbatch", "add", "issue", "export")
    | _perms("paymentline", "reverse")
    | _perms("campaign", "add", "change")
)
VIEW_PERMS = {p for p in COUNTY_PERMS if ".view_" in p}
REFERENCE = ("rate", "entitlementrule", "paymentplan", "campaignkind", "deductionrule")


class FundsConfig(AppConfig):
    name = "zeren.funds"
    label = "funds"
    verbose_name = "扶助资金"

    def ready(self) -> None:
        from zeren.core.navigation import register
        from zeren.core.roles import Role, grant

        grant(Role.TOWNSHIP, *TOWNSHIP_PERMS)
        grant(Role.SECTION, *COUNTY_PERMS)
        grant(Role.HEAD, *COUNTY_PERMS)
        grant(Role.AUDITOR, *VIEW_PERMS)
        admin_perms: set[str] = set(VIEW_PERMS)
        for model in REFERENCE:
            admin_perms |= _perms(model, "view", "add", "change")
        grant(Role.ADMIN, *admin_perms)
        register("扶助资金", "funds-dashboard", "funds.view_beneficiary", order=50)
