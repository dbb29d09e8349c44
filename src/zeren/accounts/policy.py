"""Who must use a second factor (TOTP) — pure, no queries beyond the role table."""

from __future__ import annotations

from typing import Any

from zeren.core.roles import Role, permissions_for

# GB/T 22239-2019 8.1.4.1 d): level 3 asks for two or more authentication techniques, one of
# them cryptographic, for privileged users; the bureau applies it to these roles and to anyone
# who can see personal data whole or take it out of the system.
SECOND_FACTOR_ROLES = frozenset({Role.HEAD, Role.ADMIN, Role.AUDITOR})


def second_factor_required(user: Any) -> bool:
    """True for the bureau head, administrators, auditors, superusers and anyone holding a
    ``reveal_*`` or ``export_*`` permission."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.role in SECOND_FACTOR_ROLES:
        return True
    return any(
        perm.split(".", 1)[-1].startswith(("reveal_", "export_")) for perm in permissions_for(user)
    )
