from django.apps import AppConfig
from django.conf import settings

# pretalx's event_router prefixes, all mounted at api/events/<slug:event>/ (pretalx/api/urls.py)
EVENT_RESOURCES = ["submissions", "schedules", "slots", "tags", "submission-types", "tracks",
                   "mail-templates", "access-codes", "speakers", "reviews", "rooms", "questions",
                   "answers", "question-options", "speaker-information",
                   "teams"]  # the last one: organiser_router, at api/organisers/<slug:organiser>/


class CorpusConfig(AppConfig):
    """pretalx's whole REST API on MCP with expose_urls (docs/tools.md).

    CORPUS_EXPOSE=urls (default): the one line, nothing else.
    CORPUS_EXPOSE=named: the same, plus options={resource: {"name": ...}} for the ViewSets of
    the event router, whose generated names all collide (drf_mcp_bridge.E001; see REPORT.md).
    """

    name = "corpus_app"

    def ready(self):
        from drf_mcp_bridge import expose_urls

        if settings.CORPUS_EXPOSE == "named":
            expose_urls("api/", options={r: {"name": r.replace("-", "_")} for r in EVENT_RESOURCES})
        else:
            expose_urls("api/")
