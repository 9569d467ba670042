from typing import Any

from django.db.models import QuerySet
from rest_framework import permissions, viewsets

from .models import Author, Book, Loan
from .permissions import IsBorrowerOrStaff
from .serializers import AuthorSerializer, BookSerializer, LoanSerializer


class BookViewSet(viewsets.ModelViewSet):
    """Books in the library's catalogue. Anyone may read them; signed-in users may edit."""

    queryset = Book.objects.select_related("author")
    serializer_class = BookSerializer


class AuthorViewSet(viewsets.ReadOnlyModelViewSet):
    """Authors of the books in the catalogue."""

    queryset = Author.objects.all()
    serializer_class = AuthorSerializer


class LoanViewSet(viewsets.ModelViewSet):
    """Loans of books. Each user sees and manages only their own loans; staff see all."""

    serializer_class = LoanSerializer
    permission_classes = [permissions.IsAuthenticated, IsBorrowerOrStaff]

    def get_queryset(self) -> "QuerySet[Loan]":
        queryset = Loan.objects.select_related("book", "borrower")
        user = self.request.user
        if user.is_staff:
            return queryset
        return queryset.filter(borrower_id=user.pk)

    def perform_create(self, serializer: Any) -> None:
        serializer.save(borrower=self.request.user)
