"""Models written the way large applications audit their data: django-simple-history's
``HistoricalRecords`` (the user comes from ``HistoryRequestMiddleware``'s request), and a
change log whose author comes from a current-user middleware (``tests.historyapp.middleware``,
like django-crum), which refuses writes it cannot attribute."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Ledger(models.Model):
    name = models.CharField(max_length=100)
    amount = models.IntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]


class ChangeLogEntry(models.Model):
    """One row per saved or deleted Ledger, naming who did it (from the middleware)."""

    object_id = models.IntegerField()
    action = models.CharField(max_length=10)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    crum_user = models.CharField(max_length=150)
    request_id = models.CharField(max_length=40)


def _log(instance: Ledger, action: str) -> None:
    from crum import get_current_user

    from .middleware import current

    user = current.user
    if user is None or not user.is_authenticated:
        # What change-logging apps do: a write nobody can be blamed for is a bug.
        raise RuntimeError("Change without a signed-in user in the current request.")
    crum_user = get_current_user()
    ChangeLogEntry.objects.create(
        object_id=instance.pk,
        action=action,
        user=user,
        crum_user=getattr(crum_user, "username", "") or "",
        request_id=current.request_id or "",
    )


def log_save(sender: Any, instance: Ledger, created: bool, **kwargs: Any) -> None:
    _log(instance, "create" if created else "update")


def log_delete(sender: Any, instance: Ledger, **kwargs: Any) -> None:
    _log(instance, "delete")


models.signals.post_save.connect(log_save, sender=Ledger, dispatch_uid="historyapp.save")
models.signals.post_delete.connect(log_delete, sender=Ledger, dispatch_uid="historyapp.delete")
