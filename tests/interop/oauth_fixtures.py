"""Test-only pieces of the OAuth flow test that stand in for the outside world."""

from __future__ import annotations

import os
import ssl
import urllib.request
from typing import Any

from oauth2_provider.cimd import CIMDError, SafeMetadataFetcher


class LoopbackFetcher(SafeMetadataFetcher):  # type: ignore[misc]
    """Fetches Client ID Metadata Documents over real HTTPS from the test's loopback
    server, trusting the test's CA (``CIMD_TEST_CA``). Only the address policy differs from
    django-oauth-toolkit's fetcher; the document is read and checked by its code."""

    def fetch(self, client_id: str) -> Any:
        context = ssl.create_default_context(cafile=os.environ["CIMD_TEST_CA"])
        try:
            with urllib.request.urlopen(client_id, context=context, timeout=5) as response:
                return self._read_document(response)
        except OSError as exc:
            raise CIMDError(f"could not fetch client_id document: {exc}") from exc
