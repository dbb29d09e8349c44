from django.apps import AppConfig


class PublicServicesConfig(AppConfig):
    name = "zeren.publicservices"
    label = "publicservices"
    verbose_name = "公共服务"

    def ready(self) -> None:
        from zeren.core.navigation import register
        from zeren.core.roles import Role, grant

        view = {
            "publicservices.view_application",
            "publicservices.view_followuptask",
            "publicservices.view_rating",
        }
        handle = {
            "publicservices.add_application",
            "publicservices.handle_application",
            "publicservices.change_followuptask",
        }
        # The sections handle their services' applications; the head sees and handles all.
        stock = {
            "publicservices.view_stockbatch",
            "publicservices.view_stockmovement",
            "publicservices.add_stockmovement",
        }
        grant(Role.SECTION, *view, *handle, *stock)
        grant(Role.HEAD, *view, *handle, *stock)
        grant(Role.AUDITOR, *view)
        # County agencies (partner-department accounts) submit staff lists for review and see
        # only their own requests (selectors.applications_for).
        grant(
            Role.PARTNER,
            "publicservices.view_application",
            "publicservices.add_reviewperson",
            "publicservices.view_reviewperson",
        )
        grant(Role.ADMIN, "publicservices.view_serviceguide", "publicservices.change_serviceguide")
        register(
            "公共服务办件",
            "publicservices-queue",
            "publicservices.view_application",
            order=36,
            visible=_has_work,
        )
        # A county agency's way in: its staff lists for review (its requests then show in the
        # queue above).
        register(
            "计生审查名单",
            "publicservices-review-upload",
            "publicservices.add_reviewperson",
            order=37,
        )


def _has_work(user) -> bool:
    """A partner department (county agency) sees the queue once it has a review request of its
    own; the bureau's staff always."""
    from zeren.core.roles import Role
    from zeren.publicservices.selectors import applications_for

    return user.role != Role.PARTNER or applications_for(user).exists()
