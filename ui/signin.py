"""Who may edit: sign-in for hosted use (``[auth]`` and ``[editors]`` in secrets), and review-link addresses.

The rules themselves are in ``harness.access``; this module reads Streamlit's user and secrets.
"""

from __future__ import annotations

import streamlit as st

from harness import access
from harness.safety import md_escape
from ui.workspace import secret_section


def auth_configured() -> bool:
    """Hosted use: ``[auth]`` in secrets turns on sign-in for editors (review links stay open)."""
    return secret_section("auth") is not None


def _login_provider() -> str | None:
    return access.login_provider(secret_section("auth"))


def editor_email() -> str | None:
    """The signed-in editor's email (for the review audit trail), or None on an open laptop install."""
    if not auth_configured():
        return None
    return st.user.to_dict().get("email") if st.user.is_logged_in else None


def editor_allowed() -> bool:
    if not auth_configured():
        return True
    return access.may_edit({**st.user.to_dict(), "is_logged_in": st.user.is_logged_in},
                           secret_section("editors"))


def sign_in_page() -> None:
    """What someone who may not edit sees instead of the workspace."""
    st.title("Harnessing Connections")
    if not st.user.is_logged_in:
        st.write("Sign in to see and change your organisation's workspace.")
        st.caption("Opening a review link from a colleague? You need no account: use the link exactly as it was "
                   "sent to you.")
        st.button("Sign in", key="sign_in", type="primary", on_click=st.login, args=(_login_provider(),)
                  if _login_provider() else ())
        return
    email = st.user.to_dict().get("email") or "This account"
    st.error(f"**{md_escape(email)}** is not on this app's list of editors, so the workspace is not shown. "
             "Ask whoever runs the app to add your email or your organisation's domain under `[editors]` in its "
             "secrets.", icon=":material/lock:")
    st.button("Sign out", key="sign_out_refused", on_click=st.logout)



def review_link(token: str) -> str:
    """The full link to a review: ``public_url`` from secrets if set, else this app's address."""
    return access.review_link(token, (secret_section("app") or {}).get("public_url"), st.context.url)

