"""An async ViewSet (adrf, optional): its handlers are coroutines, awaited on the event
loop over REST and MCP alike. Routed by tests/urls.py when adrf is installed, exposed by
tests/test_async_views.py."""

from __future__ import annotations

from typing import Any

from adrf.viewsets import GenericViewSet
from asgiref.sync import sync_to_async
from rest_framework import status
from rest_framework.response import Response

from .models import Category
from .serializers import CategorySerializer


class AsyncCategories(GenericViewSet):  # type: ignore[misc]
    """Categories served by async handlers."""

    queryset = Category.objects.order_by("id")
    serializer_class = CategorySerializer
    permission_classes: list[type] = []
    #: The thread each handler ran in, to tell how it was called.
    threads: list[str] = []

    async def list(self, request: Any) -> Response:
        self._note()
        rows = [c async for c in self.get_queryset()]
        return Response(CategorySerializer(rows, many=True).data)

    async def retrieve(self, request: Any, pk: Any = None) -> Response:
        self._note()
        found = await self.get_queryset().filter(pk=pk).afirst()
        if found is None:
            return Response({"detail": "No Category matches the given query."}, status=404)
        return Response(CategorySerializer(found).data)

    async def create(self, request: Any) -> Response:
        self._note()
        serializer = CategorySerializer(data=request.data)
        await sync_to_async(serializer.is_valid)(raise_exception=True)
        await sync_to_async(serializer.save)()
        return Response(serializer.data, status=status.HTTP_201_CREATED)

    def _note(self) -> None:
        import asyncio
        import threading

        asyncio.get_running_loop()  # fails unless awaited on an event loop
        AsyncCategories.threads.append(threading.current_thread().name)
