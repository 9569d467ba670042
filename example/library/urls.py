from drf_mcp_bridge import MCPRouter

from . import views

# MCPRouter is DRF's DefaultRouter; every registration is also exposed as MCP tools
# named after its prefix: books_list, books_retrieve, ..., loans_destroy.
router = MCPRouter()
router.register("books", views.BookViewSet)
router.register("authors", views.AuthorViewSet)
router.register("loans", views.LoanViewSet, basename="loan")
