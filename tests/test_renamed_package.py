"""The deprecated ``rest_framework_mcp`` alias of the renamed package (docs/decisions.md,
"Distribution and import names"): a project that still says ``rest_framework_mcp`` in
INSTALLED_APPS, its URLconf and its imports keeps working, on the very same modules, and is
told once, with a DeprecationWarning, what to change. Each check runs in a fresh
interpreter: the first import is the one that warns."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(tmp_path: Path, code: str, *flags: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "alias_settings.py").write_text(
        textwrap.dedent(
            """
            from tests.settings import *  # noqa: F403

            INSTALLED_APPS = [  # noqa: F405
                "rest_framework_mcp" if app == "drf_mcp_bridge" else app for app in INSTALLED_APPS
            ]
            ROOT_URLCONF = "alias_urls"
            """
        )
    )
    (tmp_path / "alias_urls.py").write_text(
        textwrap.dedent(
            """
            from django.urls import include, path

            from tests.urls import urlpatterns as api

            urlpatterns = [path("old-mcp/", include("rest_framework_mcp.urls")), *api]
            """
        )
    )
    return subprocess.run(
        [sys.executable, *flags, "-c", textwrap.dedent(code)],
        cwd=tmp_path,
        env={
            "PYTHONPATH": f"{tmp_path}:{ROOT}:{ROOT / 'src'}",
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "alias_settings",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_first_import_warns_with_what_to_change(tmp_path: Path) -> None:
    completed = run(tmp_path, "import rest_framework_mcp", "-W", "error::DeprecationWarning")
    assert completed.returncode == 1
    assert "DeprecationWarning: 'rest_framework_mcp' was renamed 'drf_mcp_bridge'" in (
        completed.stderr
    )
    assert "Replace 'rest_framework_mcp' with 'drf_mcp_bridge' in INSTALLED_APPS" in (
        completed.stderr
    )


def test_old_paths_are_the_same_modules_and_a_project_on_them_serves_tools(
    tmp_path: Path,
) -> None:
    code = """
        import json, sys, warnings
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            import django
            django.setup()
            from django.apps import apps
            from django.core.management import call_command
            import drf_mcp_bridge, drf_mcp_bridge.test, drf_mcp_bridge.urls
            from rest_framework_mcp import MCPRouter, mcp_viewset
            from rest_framework_mcp.test import MCPClient
            import rest_framework_mcp.urls
            from django.contrib.auth.models import User
            call_command("migrate", verbosity=0, run_syncdb=True)
            call_command("check")
            alice = User.objects.create_user("alice")
            client = MCPClient(mcp_path="/old-mcp/")
            client.force_authenticate(alice)
            names = client.tool_names()
        print(json.dumps({
            "same": [
                MCPRouter is drf_mcp_bridge.MCPRouter,
                mcp_viewset is drf_mcp_bridge.mcp_viewset,
                MCPClient is drf_mcp_bridge.test.MCPClient,
                sys.modules["rest_framework_mcp.urls"] is drf_mcp_bridge.urls,
            ],
            "spec": drf_mcp_bridge.urls.__spec__.name,
            "app": [config.name for config in apps.get_app_configs()],
            "tools": len(names),
            "customers_list": "customers_list" in names,
            "warnings": [str(w.message) for w in caught if w.category is DeprecationWarning
                         and "rest_framework_mcp" in str(w.message)],
        }))
    """
    completed = run(tmp_path, code)
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["same"] == [True, True, True, True]
    assert report["spec"] == "drf_mcp_bridge.urls"
    assert "drf_mcp_bridge" in report["app"] and "rest_framework_mcp" not in report["app"]
    assert report["customers_list"] is True and report["tools"] > 10
    assert len(report["warnings"]) == 1


def test_no_other_distribution_claims_the_import_packages() -> None:
    from drf_mcp_bridge.catalogue.checks import check_import_name_owners

    assert check_import_name_owners() == []


def test_a_distribution_sharing_an_import_package_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What `pip install djangorestframework-mcp-server` leaves in site-packages (its wheel's
    # only top-level package is rest_framework_mcp).
    info = tmp_path / "djangorestframework_mcp_server-0.54.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: djangorestframework-mcp-server\nVersion: 0.54.0\n"
    )
    (info / "top_level.txt").write_text("rest_framework_mcp\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    from drf_mcp_bridge.catalogue.checks import check_import_name_owners

    [warning] = check_import_name_owners()
    assert warning.id == "drf_mcp_bridge.W070"
    assert warning.msg.startswith(
        "The import package 'rest_framework_mcp' is also installed by "
        "djangorestframework-mcp-server:"
    )
    assert "Uninstall djangorestframework-mcp-server" in warning.hint
