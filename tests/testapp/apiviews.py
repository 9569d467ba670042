"""APIView and generic views (not ViewSets). Routed in tests/urls.py; exposed by
tests/test_apiviews.py with @mcp_view.
"""

from __future__ import annotations

from typing import Any

from rest_framework import generics, permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .listing import TwoPerPage
from .models import Customer
from .serializers import CustomerSerializer


class CustomerListCreate(generics.ListCreateAPIView):  # type: ignore[type-arg]
    """Customers, version 2 of the API."""

    queryset = Customer.objects.order_by("id")
    serializer_class = CustomerSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    pagination_class = TwoPerPage

    def perform_create(self, serializer: Any) -> None:
        serializer.save(owner=self.request.user)


class CustomerDetail(generics.RetrieveUpdateDestroyAPIView):  # type: ignore[type-arg]
    queryset = Customer.objects.all()
    serializer_class = CustomerSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]


class StatusView(APIView):
    """Whether the service is up, and who is asking."""

    permission_classes: list[type] = []

    def get(self, request: Request) -> Response:
        user = request.user.username if request.user.is_authenticated else None
        return Response({"ok": True, "user": user})

    def post(self, request: Request) -> Response:
        """Echo a message back."""
        message = request.data.get("message")
        if not isinstance(message, str):
            return Response({"message": ["A string is required."]}, status=400)
        return Response({"echo": message})


class ExportView(APIView):
    """Downloads in several shapes: streamed CSV, an image, a file, a huge stream."""

    permission_classes: list[type] = []
    #: How many bytes of the huge stream were produced (it must not be read to the end).
    produced = 0

    def get(self, request: Request) -> Any:
        import io

        from django.http import FileResponse, HttpResponse, StreamingHttpResponse

        kind = request.query_params.get("kind", "csv")
        if kind == "csv":
            rows = (f"{n},item {n}\n" for n in range(3))
            response = StreamingHttpResponse(rows, content_type="text/csv")
            response["Content-Disposition"] = 'attachment; filename="items.csv"'
            return response
        if kind == "png":
            return HttpResponse(b"\x89PNG\r\n\x1a\nfake", content_type="image/png")
        if kind == "file":
            return FileResponse(io.BytesIO(b"\x00\x01binary"), filename="data.bin")
        ExportView.produced = 0

        def endless() -> Any:
            for _ in range(10_000):  # 640 MB if read to the end
                ExportView.produced += 65536
                yield b"x" * 65536

        return StreamingHttpResponse(endless(), content_type="application/octet-stream")
