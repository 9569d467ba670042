"""The MCP stdio transport (``manage.py mcp_stdio``): newline-delimited JSON-RPC on stdin,
each answer one line on stdout, logs on stderr.

Messages go straight to the protocol through a :class:`~.local.LocalEndpoint` (one caller:
``--user``, or the credentials of ``--header``), so every tool call runs the same access
gate, middleware and DRF views as over HTTP.
"""

from __future__ import annotations

import json
import queue
import sys
import threading
from typing import Any, TextIO

from ..core.jsonrpc import dumps
from .local import LocalEndpoint


def serve(stdin: TextIO, stdout: TextIO, user: Any, headers: dict[str, str]) -> None:
    """Answer each line of ``stdin`` on ``stdout`` until end of input.

    Requests are answered one after another in this thread. A background thread reads
    stdin, so that what the client sends while a call runs (its replies to elicitation or
    sampling, ``notifications/cancelled``) reaches the server at once; notifications and
    progress of a streamed call are written as they come, each on its own line.
    """
    endpoint = LocalEndpoint(user, headers)
    # Nothing but protocol messages may reach stdout: stray prints go to stderr.
    real_stdout, sys.stdout = stdout, sys.stderr
    lock = threading.Lock()
    requests: queue.Queue[str | None] = queue.Queue()

    def write(message: Any) -> None:
        with lock:
            real_stdout.write(dumps(message) + "\n")
            real_stdout.flush()

    def read() -> None:
        try:
            for line in stdin:
                line = line.strip()
                if not line:
                    continue
                if _is_request(line):
                    requests.put(line)
                else:
                    endpoint.answer_line(line)  # a reply or a notification: no answer
        finally:
            requests.put(None)

    reader = threading.Thread(target=read, name="mcp-stdio-reader", daemon=True)
    reader.start()
    try:
        while (line := requests.get()) is not None:
            answer = endpoint.answer_line(line, emit=write)
            if answer is not None:
                write(answer)
    finally:
        sys.stdout = real_stdout


def _is_request(line: str) -> bool:
    """Whether a line is a request (it has an answer) or unparsable (an error answers it),
    rather than a reply or a notification."""
    try:
        message = json.loads(line)
    except (ValueError, RecursionError):
        return True
    return not (isinstance(message, dict) and ("method" not in message or "id" not in message))
