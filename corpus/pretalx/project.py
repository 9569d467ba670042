"""pretalx 2025.2.2 for the corpus harness (corpus/harness.py). Import with corpus/pretalx as cwd."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NAME = "pretalx"
SETTINGS = "settings"
MANAGE = ["manage.py"]
MCP_PATH = "/mcp/"
MIN_TOOLS = 60
# URL arguments the list tools need: every event resource lives under /api/events/<event>/.
PATH_ARGUMENTS = {"event": "democon"}
EVENT = "democon"  # seed.EVENT

# seed.TOKENS: pretalx's own API tokens (person.UserApiToken), sent as "Authorization: Token <key>".
# "user" is a reviewer (team "Reviewers", is_reviewer, read-only token but for reviews);
# "admin" an organiser (team "Organisers" with every permission, is_administrator).
CALLERS = {
    "anonymous": {},
    "user": {"HTTP_AUTHORIZATION": "Token 5e" + "0" * 60 + "5e"},
    "admin": {"HTTP_AUTHORIZATION": "Token ad" + "0" * 60 + "ad"},
}
USERS = {"user": "reviewer@example.org", "admin": "orga@example.org"}  # what audit() names them by


def setup_django():
    """Put this folder on sys.path and set DJANGO_SETTINGS_MODULE; then django.setup() (idempotent)."""
    if HERE not in sys.path:
        sys.path.insert(0, HERE)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def audit(pk):
    """pretalx's ActivityLog entries for Room ``pk``, oldest first, as (user's email, action_type).

    pretalx logs API creates and updates (PretalxViewSetMixin.perform_create/perform_update:
    "pretalx.room.create", "pretalx.room.update"), not deletes; RoomViewSet.perform_destroy
    deletes the room's log entries, so after a destroy this is [].
    """
    from django.contrib.contenttypes.models import ContentType
    from django_scopes import scopes_disabled

    from pretalx.common.models import ActivityLog
    from pretalx.schedule.models import Room

    with scopes_disabled():
        logs = ActivityLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Room), object_id=pk
        ).select_related("person").order_by("timestamp", "pk")
        return [(log.person.email if log.person else None, log.action_type) for log in logs]


def rows():
    """How many rooms the event has. pretalx's models use django-scopes: Room.objects.count()
    outside a scope raises ScopeError, so count through this."""
    from django_scopes import scopes_disabled

    from pretalx.schedule.models import Room

    with scopes_disabled():
        return Room.objects.filter(event__slug=EVENT).count()


# Tool names as the one-line expose_urls("api/") gives them (the last literal URL segment).
ROUND_TRIP = dict(
    caller="admin",
    collection=f"/api/events/{EVENT}/rooms/",
    tools=dict(create="rooms_create", partial_update="rooms_partial_update",
               destroy="rooms_destroy", retrieve="rooms_retrieve"),
    path_args={"event": EVENT},
    id_arg="pk",
    create={"name": {"en": "Corpus Room"}, "description": {"en": "made by the round trip"},
            "capacity": 42, "position": 9},
    update={"capacity": 99},
    model="schedule.Room",
    ignore=["id", "uuid"],  # uuid is computed from the pk when guid is not set
    audit=audit,
    rows=rows,
)

SEARCHES = [
    ("create a room", "rooms_create"),
    ("list submissions", "submissions_list"),
    ("accept a submission", "submissions_accept"),
    ("list speakers", "speakers_list"),
    ("delete a tag", "tags_destroy"),
]
