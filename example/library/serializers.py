import datetime

from rest_framework import serializers

from .models import Author, Book, Loan


class AuthorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Author
        fields = ["id", "name", "born", "country"]


class BookSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.name", read_only=True)

    class Meta:
        model = Book
        fields = ["id", "title", "author", "author_name", "isbn", "genre", "published", "copies"]


class LoanSerializer(serializers.ModelSerializer):
    borrower = serializers.ReadOnlyField(source="borrower.username")

    class Meta:
        model = Loan
        fields = ["id", "book", "borrower", "due", "returned", "created"]

    def validate_due(self, value: datetime.date) -> datetime.date:
        if value < datetime.date.today():
            raise serializers.ValidationError("The due date cannot be in the past.")
        return value
