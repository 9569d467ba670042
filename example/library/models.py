from django.conf import settings
from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=120, help_text="The author's full name.")
    born = models.DateField(null=True, blank=True, help_text="Date of birth, if known.")
    country = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Book(models.Model):
    GENRES = [
        ("fiction", "Fiction"),
        ("history", "History"),
        ("science", "Science"),
        ("children", "Children's books"),
    ]

    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="books")
    isbn = models.CharField(max_length=13, unique=True, help_text="ISBN-13, digits only.")
    genre = models.CharField(max_length=20, choices=GENRES, default="fiction")
    published = models.DateField(help_text="Date of first publication.")
    copies = models.PositiveSmallIntegerField(default=1, help_text="Copies the library owns.")

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Loan(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="loans")
    borrower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="loans"
    )
    due = models.DateField(help_text="Date by which the book must be returned.")
    returned = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return f"{self.book} → {self.borrower}"
