from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "zeren.portal"
    label = "portal"
    verbose_name = "门户"

    def ready(self) -> None:
        from zeren.core.navigation import register, unless_partner_without_shares

        # The persons' list heads the first menu group (licences, certificates, persons).
        register(
            "相对人",
            "staff-person-list",
            "people.view_person",
            order=1,
            visible=unless_partner_without_shares("people.person"),
        )
