"""Views that take files: multipart (MultiPartParser), raw body (FileUploadParser) and
JSON only. Routed in tests/urls.py; tests/test_uploads.py exposes them over MCP.
"""

from __future__ import annotations

from typing import Any

from rest_framework import parsers, serializers, status, viewsets
from rest_framework.response import Response

from .models import Attachment


class AttachmentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Attachment
        fields = ["id", "title", "document"]


class AttachmentViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg]
    queryset = Attachment.objects.all()
    serializer_class = AttachmentSerializer
    permission_classes: list[type] = []
    parser_classes = [parsers.MultiPartParser, parsers.FormParser, parsers.JSONParser]


class RawUploadSerializer(serializers.Serializer):  # type: ignore[type-arg]
    file = serializers.FileField()


class RawUploadViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Takes the file as the whole request body."""

    queryset = Attachment.objects.all()
    serializer_class = RawUploadSerializer
    permission_classes: list[type] = []
    parser_classes = [parsers.FileUploadParser]

    def create(self, request: Any) -> Response:
        upload = request.data["file"]
        attachment = Attachment.objects.create(title=upload.name, document=upload)
        data = AttachmentSerializer(attachment, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


class JsonOnlyAttachmentViewSet(AttachmentViewSet):
    parser_classes = [parsers.JSONParser]


VIEWSETS = {
    "attachments": AttachmentViewSet,
    "raw_uploads": RawUploadViewSet,
    "json_attachments": JsonOnlyAttachmentViewSet,
}
