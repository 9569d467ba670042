"""django-oscar-api 3.3.0 for the corpus harness (corpus/test_corpus.py); cwd is this folder.

URL patterns to generic views and APIViews (no routers), an admin half, DRF token auth,
permissions that read the owner of each row.
"""

NAME = "oscar_api"
SETTINGS = "settings"
MANAGE = ["manage.py"]
MCP_PATH = "/mcp/"
MIN_TOOLS = 80  # the admin sees ~100 with OSCARAPI_BLOCK_ADMIN_API_ACCESS=False

# Tools whose answer differs from one request to the next by design (compared by status only).
STATEFUL_TOOLS = {
    "basket_get": "each anonymous request without a session gets a new basket",
    "baskets_list": "lists the session's basket, new for each anonymous request",
}

# seed.TOKENS (rest_framework.authtoken)
CALLERS = {
    "anonymous": {},
    "user": {"HTTP_AUTHORIZATION": "Token a11ce00000000000000000000000000000000000"},
    "admin": {"HTTP_AUTHORIZATION": "Token ad000000000000000000000000000000000000ad"},
}

# Alice's own addresses; the rows say whose they are (user_id is compared).
ROUND_TRIP = dict(
    caller="user",
    collection="/api/useraddresses/",
    tools=dict(
        create="useraddresses_create",
        partial_update="useraddresses_partial_update",
        destroy="useraddresses_destroy",
        retrieve="useraddresses_retrieve",
    ),
    id_arg="pk",
    create={
        "title": "Ms", "first_name": "Alice", "last_name": "Round", "line1": "2 Low Road",
        "line4": "Leeds", "postcode": "LS1 1AA",
        "country": "http://testserver/api/countries/GB/", "phone_number": "", "notes": "",
    },
    # Oscar keeps (user, address hash) unique: the REST copy lives at another number.
    differs={"line1": "2 Low Road (REST)"},
    update={"notes": "Leave at the door."},
    model="address.UserAddress",
    ignore=["id", "url", "hash", "search_text"],
)

SEARCHES = [
    ("list products", "products_list"),
    ("create address", "useraddresses_create"),
    ("delete address", "useraddresses_destroy"),
    ("list countries", "countries_list"),
]
