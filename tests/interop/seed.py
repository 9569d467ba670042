"""Users and data the live interop servers start with."""

from __future__ import annotations

ALICE_TOKEN = "0123456789abcdef0123456789abcdef01234567"
ALICE_PASSWORD = "alice-interop-pw"


def seed() -> None:
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    from tests.testapp.models import Category, Customer, Note

    alice, _ = User.objects.get_or_create(username="alice")
    if not alice.check_password(ALICE_PASSWORD):  # signs in to approve OAuth clients
        alice.set_password(ALICE_PASSWORD)
        alice.save()
    Token.objects.get_or_create(user=alice, defaults={"key": ALICE_TOKEN})
    Category.objects.get_or_create(name="books")
    if not Customer.objects.exists():
        for i in range(3):
            Customer.objects.create(owner=alice, name=f"Seed {i}")
    Note.objects.get_or_create(slug="hello", defaults={"text": "Hello"})
