from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "zeren.certificates"
    label = "certificates"
    verbose_name = "免费证件"

    def ready(self) -> None:
        from zeren.core.navigation import register
        from zeren.core.roles import Role, grant

        view = {
            "certificates.view_certificate",
            "certificates.view_certificatetype",
            "certificates.view_certificateevent",
        }
        register_application = {"certificates.add_certificate"}
        issue = {
            "certificates.issue_certificate",
            "certificates.reissue_certificate",
            "certificates.revoke_certificate",
            "certificates.export_certificate",
        }
        # Townships take applications; 审批服务股 (section staff) and the head issue.
        grant(Role.TOWNSHIP, *view, *register_application, "certificates.export_certificate")
        grant(Role.SECTION, *view, *register_application, *issue)
        grant(Role.HEAD, *view, *register_application, *issue)
        grant(Role.AUDITOR, *view)
        # The administrator keeps the types' terms (e.g. the unconfirmed validity) up to date.
        grant(
            Role.ADMIN, "certificates.view_certificatetype", "certificates.change_certificatetype"
        )
        register("免费证件", "certificates-list", "certificates.view_certificate", order=35)
