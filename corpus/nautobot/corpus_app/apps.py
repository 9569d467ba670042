from django.apps import AppConfig


class CorpusConfig(AppConfig):
    """CORPUS_EXPOSE=urls: the whole Nautobot REST API in one line, with expose_urls (docs/tools.md)."""

    name = "corpus_app"

    def ready(self):
        from drf_mcp_bridge import expose_urls

        expose_urls("api/")
