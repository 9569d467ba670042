"""The official Python MCP SDK (ClientSession) against `manage.py runserver` of this corpus project.

Run with any Python that has `mcp` and `httpx2` (e.g. /work/main/.venv/bin/python sdk_client.py);
the server runs with ../.venv-oscar_api/bin/python.
"""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import anyio
import httpx2
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER_PY = os.path.join(HERE, "..", ".venv-oscar_api", "bin", "python")
TOKENS = {"alice": "a11ce00000000000000000000000000000000000", "admin": "ad000000000000000000000000000000000000ad"}


EXTRA = [("user_detail_get", {"pk": 2}), ("product_stockrecords_get", {"pk": 1}),
         ("product_detail_get", {"pk": 1}), ("useraddress_detail_get", {"pk": 1}),
         ("users_retrieve", {"pk": 2}), ("stockrecords_list", {"pk": 1}),
         ("products_retrieve", {"pk": 1}), ("useraddresses_retrieve", {"pk": 1})]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url, proc, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"runserver exited with {proc.returncode}")
        try:
            req = urllib.request.Request(url, data=b'{"jsonrpc":"2.0","id":1,"method":"ping"}',
                                         headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("runserver did not come up")


async def run(url, who):
    async with (
        httpx2.AsyncClient(headers={"Authorization": f"Token {TOKENS[who]}"}, timeout=60) as http,
        streamable_http_client(url, http_client=http) as (read, write),
        ClientSession(read, write) as session,
    ):
        init = await session.initialize()
        print(f"[{who}] initialize: protocol {init.protocol_version}, server {init.server_info.name}")
        t0 = time.monotonic()
        listed = (await session.list_tools()).tools
        print(f"[{who}] list_tools: {len(listed)} tools in {1000 * (time.monotonic() - t0):.0f} ms")
        targets = [t for t in listed if t.annotations and t.annotations.read_only_hint and not (t.input_schema or {}).get("required")]
        ok = err = exc = 0
        for tool in targets:
            try:
                r = await session.call_tool(tool.name, {})
            except Exception as e:  # the SDK raises, e.g. on structured content vs outputSchema
                exc += 1
                print(f"  {tool.name:38} EXCEPTION {type(e).__name__}: {str(e)[:200]}")
                continue
            if r.is_error:
                err += 1
                text = r.content[0].text if r.content and hasattr(r.content[0], "text") else ""
                print(f"  {tool.name:38} isError {text[:90]!r}")
            else:
                ok += 1
                print(f"  {tool.name:38} ok structured={'yes' if r.structured_content is not None else 'no'} "
                      f"outputSchema={'yes' if tool.output_schema else 'no'}")
        print(f"[{who}] list tools called: {len(targets)} ok={ok} isError={err} exceptions={exc}")
        # a few detail tools whose answers the in-process smoke showed to be special
        names = {t.name for t in listed}
        for name, args in EXTRA:
            if name not in names:
                continue
            try:
                r = await session.call_tool(name, args)
                print(f"  extra {name:32} {args} isError={r.is_error} structured={'yes' if r.structured_content is not None else 'no'}")
            except Exception as e:
                print(f"  extra {name:32} {args} EXCEPTION {type(e).__name__}: {str(e)[:200]}")


def main():
    port = free_port()
    log = open(os.path.join(os.environ.get("TMPDIR", "/tmp"), f"corpus-oscar-runserver-{port}.log"), "wb")
    proc = subprocess.Popen([SERVER_PY, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                            cwd=HERE, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/mcp/"
    try:
        wait_up(url, proc)
        print("server:", url, "pid", proc.pid)
        for who in sys.argv[1:] or ["alice", "admin"]:
            anyio.run(run, url, who)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


if __name__ == "__main__":
    main()
