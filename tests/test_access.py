"""Who may edit a hosted app, and review-link addresses (harness.access)."""

from __future__ import annotations

import pytest

from harness import access

EDITORS = {"emails": ["head@other.org"], "domains": ["school.org"]}


@pytest.mark.parametrize("auth,expected", [
    (None, None), ({}, None), ({"client_id": "x", "redirect_uri": "r"}, None),
    ({"redirect_uri": "r", "google": {"client_id": "x"}}, "google"),
    ({"redirect_uri": "r", "microsoft": {"client_id": "y"}, "google": {"client_id": "x"}}, "microsoft"),
])
def test_login_provider(auth, expected):
    assert access.login_provider(auth) == expected


@pytest.mark.parametrize("user,expected", [
    ({"is_logged_in": True, "email": "t@school.org"}, True),
    ({"is_logged_in": True, "email": "t@school.org", "email_verified": True}, True),
    ({"is_logged_in": True, "email": "t@school.org", "email_verified": False}, False),
    ({"is_logged_in": False, "email": "t@school.org"}, False),
    ({"is_logged_in": True, "email": "head@other.org"}, True),
    ({"is_logged_in": True, "email": "t@evil-school.org"}, False),
    ({"is_logged_in": True}, False),
])
def test_may_edit(user, expected):
    assert access.may_edit(user, EDITORS) is expected


@pytest.mark.parametrize("public,current,expected", [
    ("https://hc.example.org/", "http://ignored/share", "https://hc.example.org/?review=T"),
    (None, "https://app.streamlit.app/share", "https://app.streamlit.app/?review=T"),
    (None, "https://host/hc/share/", "https://host/hc/?review=T"),
    (None, "http://localhost:8501", "http://localhost:8501/?review=T"),
    (None, "https://host/shared", "https://host/shared/?review=T"),
    (None, None, "/?review=T"),
])
def test_review_link(public, current, expected):
    assert access.review_link("T", public, current) == expected
