"""Signing in to the admin over plain HTTP, for the admin page tests: users by role, and the CSRF token to echo."""

from __future__ import annotations

import re

import httpx

from cms.auth.users import create_user

PASSWORD = "correct horse battery staple"


async def sign_in_as(client: httpx.AsyncClient, role: str) -> str:
    """Create a user with `role` (email `<role>@example.test`), sign in through the form; the session's CSRF token."""
    email = f"{role}@example.test"
    await create_user(email, role.title(), role, PASSWORD)
    form = await client.get("/admin/login")
    login_token = re.search(r'name="_csrf" value="([^"]+)"', form.text)
    assert login_token is not None
    signed_in = await client.post(
        "/admin/login", data={"_csrf": login_token.group(1), "email": email, "password": PASSWORD}
    )
    assert signed_in.status_code == 303, signed_in.text
    return csrf_of((await client.get("/admin/")).text)


def csrf_of(page: str) -> str:
    found = re.search(r'data-csrf="([^"]+)"', page)
    assert found is not None
    return found.group(1)
