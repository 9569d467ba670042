"""Nautobot 3.2.7 for the corpus harness (corpus/test_corpus.py). Import with corpus/nautobot as cwd.

Needs the private PostgreSQL and Redis running (setup.sh starts them and leaves them running;
`bash servers.sh start` / `bash stop.sh`); nautobot_config.py finds them through .state/env.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NAME = "nautobot"
SETTINGS = "nautobot_config"  # this folder's nautobot_config.py, Nautobot's own settings format
MANAGE = ["manage.py"]  # Nautobot's nautobot-server with --config nautobot_config.py
MCP_PATH = "/mcp/"
MIN_TOOLS = 1000  # expose_urls("api/") gives 1,225 tools (Nautobot 3.2.7, no apps installed)

# seed.TOKENS: Nautobot's own API tokens (users.Token), sent as "Authorization: Token <key>".
# "user" is alice: ObjectPermission view on dcim locations/devices/manufacturers/... and
# add/change/delete on dcim.Manufacturer; "admin" is a superuser.
CALLERS = {
    "anonymous": {},
    "user": {"HTTP_AUTHORIZATION": "Token a11ce00000000000000000000000000000000000"},
    "admin": {"HTTP_AUTHORIZATION": "Token ad000000000000000000000000000000000000ad"},
}
USERS = {"user": "alice", "admin": "admin"}  # what audit() names them by


def setup_django():
    """Put this folder on sys.path and configure Django the way Nautobot does (idempotent).

    nautobot.setup() loads nautobot_config.py as the `nautobot_config` module unless it is already
    imported (then it is used as it is: the file runs Nautobot's settings preprocessing itself), sets
    DJANGO_SETTINGS_MODULE=nautobot_config and calls django.setup().
    """
    if HERE not in sys.path:
        sys.path.insert(0, HERE)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    from django.apps import apps

    if apps.ready:
        return
    import nautobot

    nautobot.setup(os.path.join(HERE, "nautobot_config.py"))


def audit(pk):
    """Nautobot's change log (extras.ObjectChange) for Manufacturer ``pk``, oldest first,
    as (user name, action): action is "create", "update" or "delete"."""
    from django.contrib.contenttypes.models import ContentType

    from nautobot.dcim.models import Manufacturer
    from nautobot.extras.models import ObjectChange

    changes = ObjectChange.objects.filter(
        changed_object_type=ContentType.objects.get_for_model(Manufacturer), changed_object_id=pk
    ).order_by("time", "pk")
    return [(c.user_name, c.action) for c in changes]


def rows():
    from nautobot.dcim.models import Manufacturer

    return Manufacturer.objects.count()


ROUND_TRIP = dict(
    caller="user",
    collection="/api/dcim/manufacturers/",
    tools=dict(create="manufacturers_create", partial_update="manufacturers_partial_update",
               destroy="manufacturers_destroy", retrieve="manufacturers_retrieve"),
    id_arg="pk",  # the detail tools name the lookup "pk" (Nautobot routes <pk>, a UUID)
    create={"name": "Corpus Manufacturer", "description": "made by the round trip"},
    differs={"name": "Corpus Manufacturer (REST)"},  # Manufacturer.name is unique
    update={"description": "changed by the round trip"},
    model="dcim.Manufacturer",
    # per object: the UUID and what is made from it or from the name, and the timestamps
    ignore=["id", "url", "display", "natural_slug", "notes_url", "created", "last_updated"],
    audit=audit,
    rows=rows,
)

# Left out of the list-tool runs: the 18 MB OpenAPI document is over MAX_FILE_RESULT_SIZE (a
# tool error, where REST answers it), and the docs pages render it.
SKIP_TOOLS = {"swagger_json_get", "swagger_yaml_get", "swagger_get", "docs_get", "redoc_get"}

SEARCHES = [
    ("create manufacturer", "manufacturers_create"),
    ("list devices", "devices_list"),
    ("interfaces of a device", "interfaces_list"),
    ("delete a location", "locations_destroy"),
    ("list ip addresses", "ip_addresses_list"),
]
