from typing import Any

from rest_framework import permissions


class IsBorrowerOrStaff(permissions.BasePermission):
    """Only the borrower (or library staff) may see or change a loan."""

    message = "Only the borrower may see or change this loan."

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        return bool(request.user.is_staff or obj.borrower_id == request.user.pk)
