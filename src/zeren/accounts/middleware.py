"""Privileged users reach no staff page, admin page or API endpoint without a second factor."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device

from zeren.accounts.policy import second_factor_required

GUARDED_PREFIXES = ("/staff/", "/admin/", "/api/")


def session_verified(request: HttpRequest) -> bool:
    """The session passed the second factor: ``django_otp.login`` marked it with the device's
    id. Read from the (server-side) session instead of django-otp's ``OTPMiddleware``, which
    loads the device on every request; a device reset ends the user's sessions instead."""
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


class SecondFactorMiddleware:
    """A logged-in user who must use TOTP and
    has not passed it in this session is sent to verify (or to enrol if they have no device);
    API requests made with such a session get 403. Token-authenticated API requests carry no
    session user and are judged by their token (tokens are issued after the second factor)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        path = request.path_info
        if (
            user is not None
            and user.is_authenticated
            and path.startswith(GUARDED_PREFIXES)
            and not path.startswith(self.open_paths())
            and second_factor_required(user)
            and not session_verified(request)
        ):
            if path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "需要先完成双因素认证（登录后输入手机验证器上的验证码）。"},
                    status=403,
                )
            target = "otp-verify" if user_has_device(user) else "otp-enrol"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)

    @staticmethod
    def open_paths() -> tuple[str, ...]:
        return (reverse("otp-verify"), reverse("otp-enrol"), reverse("logout"), reverse("login"))
