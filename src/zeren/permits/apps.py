from django.apps import AppConfig


class PermitsConfig(AppConfig):
    name = "zeren.permits"
    label = "permits"
    verbose_name = "许可证件"

    def ready(self) -> None:
        from zeren.core.navigation import register, unless_partner_without_shares
        from zeren.core.roles import Role, grant

        view = "permits.view_permit"
        write = {
            "permits.add_permit",
            "permits.change_permit",
            "permits.revoke_permit",
            "permits.cancel_permit",
            "permits.import_permit",
            "permits.view_permitevent",
        }
        grant(Role.HEAD, view, *write)
        grant(Role.SECTION, view, *write)
        # Townships follow licences up and may record their use; officers dispose findings.
        grant(Role.TOWNSHIP, view, "permits.view_permitevent", "permits.change_permit")
        grant(
            Role.OFFICER,
            view,
            "permits.view_permitevent",
            "permits.revoke_permit",
            "permits.cancel_permit",
        )
        grant(Role.AUDITOR, view, "permits.view_permitevent")
        # Partner departments (e.g. the health bureau in joint inspections) read only the
        # licences shared with them: ``.restrict`` keeps a partner to its shares.
        grant(Role.PARTNER, view, "permits.view_permitevent")
        register(
            "许可证件",
            "permit-list",
            view,
            order=30,
            visible=unless_partner_without_shares("permits.permit"),
        )
