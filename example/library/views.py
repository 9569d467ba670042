import datetime
from typing import Any

from django.db.models import QuerySet
from rest_framework import filters, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from drf_mcp_bridge import current_call, mcp_action

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

    @mcp_action(
        input_schema={
            "type": "object",
            "properties": {
                "days": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 28,
                    "default": 14,
                    "description": "Days to add to each due date (MCP clients confirm it).",
                }
            },
        }
    )
    @action(detail=False, methods=["post"])
    def renew(self, request: Request) -> Response:
        """Renew your open loans: move each due date later by a number of days."""
        days = _renewal_days(request.data.get("days", 14))
        loans = list(
            self.get_queryset().filter(borrower_id=request.user.pk, returned=False).order_by("id")
        )
        call = current_call()  # None over REST: no progress, no question
        steps = 2 * len(loans)
        if call is not None:
            for done, loan in enumerate(loans, 1):
                call.progress(done, steps, f"Checked loan {loan.pk}")
                call.log("info", f"{loan.book} is due on {loan.due.isoformat()}.")
        if call is not None and call.streaming and loans:
            answer = call.elicit(
                f"Renew {len(loans)} loans? Their due dates move later by the days you choose.",
                {
                    "type": "object",
                    "properties": {
                        "days": {
                            "type": "integer",
                            "title": "Days to add",
                            "minimum": 1,
                            "maximum": 28,
                            "default": days,
                        }
                    },
                    "required": ["days"],
                },
            )
            if answer.get("action") != "accept":
                return Response({"renewed": 0, "days": 0, "loans": []})
            days = _renewal_days((answer.get("content") or {}).get("days"))
        for done, loan in enumerate(loans, len(loans) + 1):
            loan.due += datetime.timedelta(days=days)
            loan.save(update_fields=["due"])
            if call is not None:
                call.progress(done, steps, f"Renewed loan {loan.pk}")
        data = LoanSerializer(loans, many=True, context={"request": request}).data
        return Response({"renewed": len(loans), "days": days, "loans": data})


def _renewal_days(value: Any) -> int:
    """A renewal of 1 to 28 days, or the 400 a serializer field gives."""
    field = serializers.IntegerField(min_value=1, max_value=28)
    try:
        days: int = field.run_validation(value)
    except serializers.ValidationError as error:
        raise serializers.ValidationError({"days": error.detail}) from error
    return days
