"""Field smoke test of rest_framework_mcp on django-oscar-api. Run: ../.venv-oscar_api/bin/python smoke.py"""
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
os.chdir(HERE)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
REPORT = {}


def section(title):
    print(f"\n== {title}")


# 1. manage.py check -----------------------------------------------------------------
section("manage.py check")
t0 = time.monotonic()
proc = subprocess.run([sys.executable, "manage.py", "check"], capture_output=True, text=True)
elapsed = time.monotonic() - t0
out = proc.stdout + proc.stderr
ids = Counter(re.findall(r"\((rest_framework_mcp\.[EW]\d+|[\w.]+\.[EW]\d+)\)", out))
print(f"exit={proc.returncode} time={elapsed:.2f}s ids={dict(ids)}")
print(out.strip().splitlines()[-1])

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from jsonschema import Draft202012Validator, FormatChecker  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from rest_framework_mcp.test import MCPClient  # noqa: E402
from django.conf import settings  # noqa: E402
from seed import TOKENS  # noqa: E402

User = get_user_model()
MODE = settings.CORPUS_EXPOSE
print(f"exposure mode: {MODE}")
if MODE == "views":
    import mcp_exposure  # noqa: E402

    print(f"exposed by mcp_exposure: {len(mcp_exposure.EXPOSED)} (route, method) pairs")
NAMES = {"views": {"create": "useraddress_list_post", "put": "useraddress_detail_put",
                   "patch": "useraddress_detail_patch", "delete": "useraddress_detail_delete"},
         "urls": {"create": "useraddresses_create", "put": "useraddresses_update",
                  "patch": "useraddresses_partial_update", "delete": "useraddresses_destroy"}}[MODE]


def client(who):
    c = MCPClient()
    if who != "anonymous":
        c.credentials(HTTP_AUTHORIZATION=f"Token {TOKENS[who]}")
    return c


def rest(who):
    c = APIClient()
    if who != "anonymous":
        c.credentials(HTTP_AUTHORIZATION=f"Token {TOKENS[who]}")
    return c


# 2. tools/list per caller ------------------------------------------------------------
section("tools/list")
catalogues = {}
for who in ("anonymous", "alice", "admin"):
    c = client(who)
    t0 = time.monotonic()
    resp = c.mcp_post({"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
    ms = (time.monotonic() - t0) * 1000
    body = resp.json()
    if "error" in body:
        print(f"{who}: HTTP {resp.status_code} error {body['error']}")
        continue
    tools = body["result"]["tools"]
    sizes = [len(json.dumps(t, separators=(",", ":"))) for t in tools]
    biggest = max(tools, key=lambda t: len(json.dumps(t)))
    catalogues[who] = tools
    print(f"{who}: HTTP {resp.status_code} tools={len(tools)} bytes={len(resp.content)} "
          f"largest={max(sizes)} ({biggest['name']}) median={statistics.median(sizes):.0f} time={ms:.0f}ms"
          f" nextCursor={body['result'].get('nextCursor')!r}")

tools = {t["name"]: t for t in catalogues.get("admin", [])}
no_output = sorted(n for n, t in tools.items() if "outputSchema" not in t)
print(f"admin tools without outputSchema: {len(no_output)}")
any_schema_props = {n: sorted(k for k, v in t["inputSchema"].get("properties", {}).items() if v == {})
                    for n, t in tools.items()}
print("permissive {} input properties:", {n: v for n, v in any_schema_props.items() if v})


# 3. every list tool once ---------------------------------------------------------------
def status_of(result):
    meta = (result.raw.get("_meta") or {}).get("http") or {}
    if "status" in meta:
        return meta["status"]
    m = re.search(r"HTTP (\d{3})", result.text[:60])
    return int(m.group(1)) if m else ("2xx?" if not result.is_error else None)


def validate(tool, result):
    schema = tool.get("outputSchema")
    if schema is None:
        return "no-schema"
    if result.structured is None:
        return "no-structured"
    errs = list(Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(result.structured))
    if not errs:
        return "ok"
    e = errs[0]
    return f"INVALID({len(errs)}): {'/'.join(map(str, e.absolute_path))}: {e.message[:160]}"


section("list tools (readOnlyHint, no required arguments), as each caller")
list_tools = [n for n, t in tools.items() if (t.get("annotations") or {}).get("readOnlyHint") and not t["inputSchema"].get("required")]
rows = []
for who in ("anonymous", "alice", "admin"):
    c = client(who)
    for name in list_tools:
        try:
            r = c.call_tool(name, {})
        except Exception as exc:  # a JSON-RPC error
            rows.append((who, name, "RPC-ERROR", None, str(exc)[:200]))
            continue
        rows.append((who, name, r.is_error, status_of(r), validate(tools[name], r) if not r.is_error else r.text[:160].replace("\n", " ")))
for row in rows:
    print("  %-9s %-32s isError=%-5s status=%s %s" % row)
summary = Counter((w, "error" if e is True or e == "RPC-ERROR" else ("valid" if v == "ok" else v.split(":")[0])) for w, n, e, s, v in rows)
print("summary:", dict(summary))

# detail GET tools with an id argument, as admin, pk=1 (informative)
section("detail GET tools with pk=1 as admin")
c = client("admin")
for name, t in tools.items():
    req = t["inputSchema"].get("required") or []
    if (t.get("annotations") or {}).get("readOnlyHint") and req:
        args = {k: ("GB" if "countr" in name else 1) for k in req}
        try:
            r = c.call_tool(name, args)
            print(f"  {name:34} {args} isError={r.is_error} status={status_of(r)} {validate(t, r) if not r.is_error else r.text[:120]!r}")
        except Exception as exc:
            print(f"  {name:34} RPC-ERROR {exc}")

# 4. create / update / destroy round trip, MCP vs REST ---------------------------------
section("round trip: useraddresses as alice, MCP vs REST")
from oscar.core.loading import get_model  # noqa: E402

UserAddress = get_model("address", "UserAddress")
alice = User.objects.get(username="alice")
payload = {"title": "Ms", "first_name": "Alice", "last_name": "Round", "line1": "2 Low Road",
           "line4": "Leeds", "postcode": "LS1 1AA", "country": "http://testserver/api/countries/GB/",
           "phone_number": "", "notes": ""}
strip = lambda d: {k: v for k, v in (d or {}).items() if k not in ("id", "url", "hash", "search_text", "date_created", "line1")}  # noqa: E731


def mcp_step(name, args):
    r = client("alice").call_tool(name, args)
    return status_of(r), (r.structured if r.structured is not None else r.text[:300])


def rest_step(method, url, data=None):
    resp = getattr(rest("alice"), method)(url, data=data, format="json")
    return resp.status_code, (resp.json() if resp.content else None)


create_tool = NAMES["create"]
print("create tool input schema:", json.dumps(tools.get(create_tool, {}).get("inputSchema"))[:600])
n0 = UserAddress.objects.filter(user=alice).count()
s_m, b_m = mcp_step(create_tool, payload)
n1 = UserAddress.objects.filter(user=alice).count()
s_r, b_r = rest_step("post", "/api/useraddresses/", dict(payload, line1="2 Low Road (REST)"))
n2 = UserAddress.objects.filter(user=alice).count()
print(f"create: MCP status={s_m} rows {n0}->{n1} | REST status={s_r} rows {n1}->{n2}")
print(f"  bodies equal (minus id/url): {strip(b_m) == strip(b_r) if isinstance(b_m, dict) else False}")
if not isinstance(b_m, dict) or strip(b_m) != strip(b_r):
    print("  MCP :", json.dumps(b_m)[:400])
    print("  REST:", json.dumps(b_r)[:400])
pk_m = b_m.get("id") if isinstance(b_m, dict) else None
pk_r = b_r.get("id") if isinstance(b_r, dict) else None
if pk_m is None and isinstance(b_m, dict) and b_m.get("url"):
    pk_m = int(b_m["url"].rstrip("/").rsplit("/", 1)[1])
if pk_r is None and isinstance(b_r, dict) and b_r.get("url"):
    pk_r = int(b_r["url"].rstrip("/").rsplit("/", 1)[1])
print(f"  pk MCP={pk_m} REST={pk_r}")
upd = dict(payload, line1="3 Other Road")
if pk_m and pk_r:
    for tool, method in ((NAMES["put"], "put"), (NAMES["patch"], "patch")):
        data = upd if method == "put" else {"line4": "York"}
        s_m, b_m = mcp_step(tool, dict(data, pk=pk_m))
        s_r, b_r = rest_step(method, f"/api/useraddresses/{pk_r}/", dict(data, line1="3 Other Road (REST)") if method == "put" else data)
        print(f"{method}: MCP status={s_m} REST status={s_r} bodies equal: {strip(b_m) == strip(b_r) if isinstance(b_m, dict) else False}")
        if not isinstance(b_m, dict) or strip(b_m) != strip(b_r):
            print("  MCP :", json.dumps(b_m)[:400])
            print("  REST:", json.dumps(b_r)[:400])
    n3 = UserAddress.objects.filter(user=alice).count()
    s_m, b_m = mcp_step(NAMES["delete"], {"pk": pk_m})
    n4 = UserAddress.objects.filter(user=alice).count()
    s_r, b_r = rest_step("delete", f"/api/useraddresses/{pk_r}/")
    n5 = UserAddress.objects.filter(user=alice).count()
    print(f"delete: MCP status={s_m} rows {n3}->{n4} body={b_m!r} | REST status={s_r} rows {n4}->{n5} body={b_r!r}")
# clean any leftover
UserAddress.objects.filter(user=alice, last_name="Round").delete()
