"""Who is working: the user name and role every change is recorded and checked with."""

from __future__ import annotations

import getpass
import os

from glossary.model.errors import UsageError

USER_VAR = "GLOSSARY_USER"
ROLE_VAR = "GLOSSARY_ROLE"
TRANSLATOR = "translator"
TERMINOLOGIST = "terminologist"
ROLES = (TRANSLATOR, TERMINOLOGIST)


def current_user() -> str:
    """``$GLOSSARY_USER``, else the operating system's login name, else ``unknown``."""
    name = os.environ.get(USER_VAR, "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name and no password-file entry (some containers)
        return "unknown"


def current_role() -> str:
    """``$GLOSSARY_ROLE`` (translator or terminologist); terminologist when unset."""
    role = os.environ.get(ROLE_VAR, "").strip().lower() or TERMINOLOGIST
    if role not in ROLES:
        raise UsageError(f"{ROLE_VAR}={role!r} is not a role; use one of {', '.join(ROLES)}")
    return role
