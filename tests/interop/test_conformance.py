"""The official conformance suite (@modelcontextprotocol/conformance, pinned) against the
fixture server. Each scenario listed must pass with exit status 0.
"""

from __future__ import annotations

import subprocess

import pytest

from tests.interop.conftest import node_env, node_tool

pytestmark = pytest.mark.interop

SCENARIOS = [
    "server-initialize",
    "ping",
    "tools-list",
    "tools-call-simple-text",
    "tools-call-error",
    "tools-call-image",
    "tools-call-audio",
    "tools-call-embedded-resource",
    "tools-call-mixed-content",
    "resources-list",
    "resources-read-text",
    "resources-read-binary",
    "resources-templates-read",
    "prompts-list",
    "prompts-get-simple",
    "prompts-get-with-args",
    "prompts-get-embedded-resource",
    "prompts-get-with-image",
    "completion-complete",
    "dns-rebinding-protection",
    # Talking to the client during a call: SSE answers and the optional session.
    "logging-set-level",
    "tools-call-with-logging",
    "tools-call-with-progress",
    "tools-call-sampling",
    "tools-call-elicitation",
    "elicitation-sep1034-defaults",
    "elicitation-sep1330-enums",
    "server-sse-multiple-streams",
    "resources-subscribe",
    "resources-unsubscribe",
]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_conformance_scenario(live_url: str, scenario: str, tmp_path: object) -> None:
    # The suite checks DNS-rebinding protection against a localhost URL.
    url = live_url.replace("127.0.0.1", "localhost")
    completed = subprocess.run(
        [
            node_tool("conformance"),
            "server",
            "--url",
            url,
            "--scenario",
            scenario,
            "--spec-version",
            "2025-11-25",
            "-o",
            str(tmp_path),
        ],
        env=node_env(),
        capture_output=True,
        text=True,
        timeout=180,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    assert "0 failed" in output, output
    assert "FAILURE" not in output, output
    assert " 0 warnings" in output, output
