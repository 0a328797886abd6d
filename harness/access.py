"""Who may edit a hosted app, and the address of a review link. Pure functions of secrets and the user.

Rules:

* ``[auth]`` holding ``client_id`` is one provider (``st.login()`` with no name); otherwise the first
  sub-section (``[auth.google]``...) names the provider.
* A signed-in user may edit when the identity provider did not say the email is unverified and the email
  is on the ``[editors]`` list (``reviews.is_editor_allowed``).
* A review link is ``<base>/?review=<token>``: ``base`` is ``[app] public_url`` when set, else the address
  the editor is using, without the Share page's own path.
"""

from __future__ import annotations

from typing import Mapping

from harness.reviews import is_editor_allowed

SHARE_PATH = "share"


def login_provider(auth: Mapping | None) -> str | None:
    auth = auth or {}
    if auth.get("client_id"):
        return None
    named = [k for k, v in auth.items() if hasattr(v, "keys")]
    return named[0] if named else None


def may_edit(user: Mapping, editors: Mapping | None) -> bool:
    if not user.get("is_logged_in") or user.get("email_verified") is False:
        return False
    return is_editor_allowed(user.get("email"), editors)


def review_link(token: str, public_url: str | None, current_url: str | None) -> str:
    base = public_url or ""
    if not base:
        url = (current_url or "").rstrip("/")
        base = url.rsplit("/", 1)[0] if url.endswith("/" + SHARE_PATH) else url
    return f"{base.rstrip('/')}/?review={token}" if base else f"/?review={token}"
