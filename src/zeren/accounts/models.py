"""API tokens: django-rest-knox's hashed, expiring token with a name and a read-only flag."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    """One API token of one user. Only the SHA-512 digest is stored; the token is shown once.

    ``expiry`` is always set (tokens expire); revoking deletes the row (the security log keeps
    that it existed, who issued it and who revoked it).
    """

    name = models.CharField("用途", max_length=100)
    read_only = models.BooleanField("只读", default=False)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name}（{self.token_key}…）"

    @property
    def expired(self) -> bool:
        return self.expiry is not None and self.expiry <= timezone.now()
