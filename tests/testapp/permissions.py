from rest_framework import permissions


class IsOwnerOrStaff(permissions.BasePermission):
    """Only the owner (or staff) may see or change a customer."""

    message = "Only the customer's owner may do this."

    def has_object_permission(self, request, view, obj):  # type: ignore[no-untyped-def]
        return bool(request.user.is_staff or obj.owner_id == request.user.pk)
