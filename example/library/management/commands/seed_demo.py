"""Fill the example database with users, tokens, authors, books and loans (idempotent)."""

import datetime
import json
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from rest_framework.authtoken.models import Token

from library.models import Author, Book, Loan

#: Fixed tokens, for this local demo only, so the README's commands work as written.
DEMO_TOKENS = {
    "alice": "a11ce" + "0" * 31 + "demo",
    "bob": "b0b" + "0" * 33 + "demo",
    "admin": "ad" + "0" * 34 + "demo",
}

LIST_LOANS = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "loans_list"}}

AUTHORS = [
    ("Ursula K. Le Guin", datetime.date(1929, 10, 21), "United States"),
    ("Chinua Achebe", datetime.date(1930, 11, 16), "Nigeria"),
    ("Mary Beard", datetime.date(1955, 1, 1), "United Kingdom"),
    ("Carl Sagan", datetime.date(1934, 11, 9), "United States"),
    ("Astrid Lindgren", datetime.date(1907, 11, 14), "Sweden"),
    ("Yuval Noah Harari", None, "Israel"),
]

BOOKS = [
    ("The Left Hand of Darkness", 0, "fiction", "1969-03-01"),
    ("The Dispossessed", 0, "fiction", "1974-05-01"),
    ("A Wizard of Earthsea", 0, "fiction", "1968-11-01"),
    ("The Lathe of Heaven", 0, "fiction", "1971-01-01"),
    ("Things Fall Apart", 1, "fiction", "1958-06-17"),
    ("No Longer at Ease", 1, "fiction", "1960-01-01"),
    ("Arrow of God", 1, "fiction", "1964-01-01"),
    ("Anthills of the Savannah", 1, "fiction", "1987-01-01"),
    ("SPQR", 2, "history", "2015-10-20"),
    ("Women & Power", 2, "history", "2017-11-02"),
    ("Pompeii", 2, "history", "2008-09-01"),
    ("Cosmos", 3, "science", "1980-10-01"),
    ("Pale Blue Dot", 3, "science", "1994-11-01"),
    ("The Demon-Haunted World", 3, "science", "1995-01-01"),
    ("Contact", 3, "fiction", "1985-09-01"),
    ("Pippi Longstocking", 4, "children", "1945-11-26"),
    ("The Brothers Lionheart", 4, "children", "1973-01-01"),
    ("Ronia, the Robber's Daughter", 4, "children", "1981-01-01"),
    ("Emil of Lönneberga", 4, "children", "1963-01-01"),
    ("Mio, My Son", 4, "children", "1954-01-01"),
    ("Sapiens", 5, "history", "2011-01-01"),
    ("Homo Deus", 5, "history", "2015-01-01"),
    ("21 Lessons for the 21st Century", 5, "history", "2018-08-30"),
    ("The Word for World Is Forest", 0, "fiction", "1972-01-01"),
    ("Dragons of Eden", 3, "science", "1977-01-01"),
]


class Command(BaseCommand):
    help = "Create demo users (alice, bob, admin) with API tokens, and library data."

    def handle(self, *args: Any, **options: Any) -> None:
        users = {}
        for name, key in DEMO_TOKENS.items():
            user, created = User.objects.get_or_create(
                username=name, defaults={"is_staff": name == "admin"}
            )
            if created:
                user.set_password(f"{name}-password")
                user.is_superuser = name == "admin"
                user.save()
            Token.objects.filter(user=user).exclude(key=key).delete()
            Token.objects.get_or_create(user=user, defaults={"key": key})
            users[name] = user

        authors = []
        for name, born, country in AUTHORS:
            author, _ = Author.objects.get_or_create(
                name=name, defaults={"born": born, "country": country}
            )
            authors.append(author)
        for index, (title, author_index, genre, published) in enumerate(BOOKS):
            Book.objects.get_or_create(
                isbn=f"97800000{index:05d}",
                defaults={
                    "title": title,
                    "author": authors[author_index],
                    "genre": genre,
                    "published": published,
                    "copies": 1 + index % 3,
                },
            )
        if not Loan.objects.exists():
            today = datetime.date.today()
            books = list(Book.objects.order_by("id")[:5])
            Loan.objects.create(
                book=books[0], borrower=users["alice"], due=today + datetime.timedelta(days=14)
            )
            Loan.objects.create(
                book=books[1], borrower=users["alice"], due=today + datetime.timedelta(days=7)
            )
            Loan.objects.create(
                book=books[2], borrower=users["bob"], due=today + datetime.timedelta(days=21)
            )

        counts = (Author.objects.count(), Book.objects.count(), Loan.objects.count())
        self.stdout.write("Seeded: {} authors, {} books, {} loans.".format(*counts))
        self.stdout.write(
            "MCP endpoint: http://127.0.0.1:8000/mcp/\n"
            "Demo tokens (local demo only):\n"
            + "".join(f"  {name}: Token {key}\n" for name, key in DEMO_TOKENS.items())
            + "Try: curl -s http://127.0.0.1:8000/mcp/ -H 'Content-Type: application/json' "
            f"-H 'Authorization: Token {DEMO_TOKENS['alice']}' "
            "-d '"
            + json.dumps(
                {
                    "jsonrpc": "2.0",
                    "id": 1,
                    "method": "tools/call",
                    "params": {"name": "loans_list"},
                },
                separators=(",", ":"),
            )
            + "'\n"
        )
