from typing import Any

from django.db.models import QuerySet
from rest_framework import filters, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from drf_mcp_bridge import mcp_action

from .models import Author, Book, Loan
from .permissions import IsBorrowerOrStaff
from .serializers import AuthorSerializer, BookSerializer, LoanSerializer


class BookViewSet(viewsets.ModelViewSet):
    """Books in the library's catalogue. Anyone may read them; signed-in users may edit."""

    queryset = Book.objects.select_related("author")
    serializer_class = BookSerializer
    filter_backends = [filters.SearchFilter, filters.OrderingFilter]
    search_fields = ["title", "author__name", "=isbn"]
    ordering_fields = ["title", "published"]
    ordering = ["title"]

    @action(detail=True)
    def availability(self, request: Request, pk: str | None = None) -> Response:
        """How many copies of the book are on the shelf right now."""
        book = self.get_object()
        on_loan = book.loans.filter(returned=False).count()
        available = max(book.copies - on_loan, 0)
        return Response({"copies": book.copies, "on_loan": on_loan, "available": available})


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

    @mcp_action(input_schema={"type": "object"})  # no body: only the loan's id
    @action(detail=True, methods=["post"], url_path="return")
    def return_book(self, request: Request, pk: str | None = None) -> Response:
        """Mark the loan as returned."""
        loan = self.get_object()
        loan.returned = True
        loan.save(update_fields=["returned"])
        return Response(LoanSerializer(loan, context={"request": request}).data)
