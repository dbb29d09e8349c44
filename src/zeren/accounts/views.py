"""My account: password, second factor (enrol, verify, recovery codes), API tokens."""

from __future__ import annotations

import base64
import datetime as dt

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from zeren.accounts import services
from zeren.accounts.forms import ApiTokenForm, PasswordChangeForm, TokenCodeForm
from zeren.accounts.middleware import session_verified
from zeren.accounts.models import ApiToken
from zeren.accounts.policy import second_factor_required
from zeren.core.forms import show_refusal
from zeren.core.models import SecurityEvent
from zeren.core.security import log_event

# Wrong codes in a row (within the lockout window) after which the session is ended.
OTP_FAILURES = 5


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/staff/"


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "required": second_factor_required(user),
            "has_device": user_has_device(user),
            "verified": session_verified(request),
            "tokens": ApiToken.objects.filter(user=user),
            "token_form": ApiTokenForm(),
            "now": timezone.now(),
            "enforcement": _enforcement_certificates(user),
        },
    )


def _enforcement_certificates(user) -> list[dict]:
    """An officer's own enforcement certificates (执法证), newest first, each with whether it is
    valid today (行政处罚法第四十二条: enforcement by holders of a valid certificate)."""
    from zeren.org.models import EnforcementCertificate

    today = timezone.localdate()
    return [
        {"cert": c, "valid": c.is_valid_on(today)}
        for c in EnforcementCertificate.objects.filter(officer__user=user).order_by("-valid_to")
    ]


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                actor=request.user,
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                request=request,
            )
        except ValidationError as exc:
            show_refusal(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect("account")
    return render(request, "staff/form.html", {"form": form, "title": "修改密码"})


@login_required
def otp_enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user_has_device(user) and not session_verified(request):
        # Re-binding needs the current second factor first.
        return redirect(f"/staff/account/otp/verify/?next={request.path}")
    device = services.totp_enrol_start(user=user)
    form = TokenCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_enrol_confirm(
                user=user, token=form.cleaned_data["token"], request=request
            )
        except ValidationError as exc:
            form.add_error("token", exc.messages)
        else:
            device.refresh_from_db()
            otp_login(request, device)
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)}
            )
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/otp_enrol.html",
        {
            "form": form,
            # The SVG is made here from our own otpauth:// address; no user text reaches it.
            "qr_svg": mark_safe(image.to_string(encoding="unicode")),  # noqa: S308
            "secret": secret,
            "next": _next(request),
        },
    )


def _recent_otp_failures(user) -> int:
    since = timezone.now() - dt.timedelta(minutes=15)
    events = SecurityEvent.objects.filter(
        actor=user, kind=SecurityEvent.Kind.SECOND_FACTOR, time__gte=since
    ).order_by("-time")
    count = 0
    for detail in events.values_list("detail", flat=True)[:OTP_FAILURES]:
        if detail.get("what") != "验证码错误":
            break
        count += 1
    return count


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user_has_device(user):
        return redirect(f"/staff/account/otp/enrol/?next={_next(request)}")
    form = TokenCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"].strip())
        if device is not None:
            otp_login(request, device)
            log_event(
                SecurityEvent.Kind.SECOND_FACTOR,
                request=request,
                detail={"what": "验证通过", "device": type(device).__name__},
            )
            return redirect(_next(request))
        log_event(SecurityEvent.Kind.SECOND_FACTOR, request=request, detail={"what": "验证码错误"})
        if _recent_otp_failures(user) >= OTP_FAILURES:
            from django.contrib.auth import logout

            logout(request)
            messages.error(request, "验证码连续错误次数过多，已退出登录，请重新登录。")
            return redirect("login")
        form.add_error("token", "验证码不正确或已过期。")
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next(request)})


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if not session_verified(request):
        return redirect("otp-verify")
    codes = services.recovery_codes_renew(user=request.user)
    log_event(SecurityEvent.Kind.SECOND_FACTOR, request=request, detail={"what": "重新生成恢复码"})
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": "/staff/"})


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, text = services.api_token_issue(
                actor=request.user, user=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            return render(request, "accounts/token_created.html", {"token": token, "text": text})
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("account")


@login_required
@require_POST
def token_revoke(request: HttpRequest, key: str) -> HttpResponse:
    token = get_object_or_404(ApiToken, user=request.user, token_key=key)
    services.api_token_revoke(actor=request.user, token=token, request=request)
    messages.success(request, f"令牌“{token.name}”已吊销。")
    return redirect("account")
