"""Follows the quick start (docs/quickstart.md) as a new user would on a fresh machine.

1. Copies the checkout (its tracked and untracked, not ignored files: what a clone holds)
   to a temporary folder named ``drf-mcp-bridge`` and runs each install command of the
   page's "1. Install" section as written, each way in a fresh virtualenv of its own.
2. Checks that the install brought in nothing but Django and DRF (and their own
   dependencies) next to the package.
3. In the wheel's virtualenv, starts a project with ``django-admin startproject``, makes the
   changes of sections 2 and 3 with the page's own code blocks, and runs the ``$`` commands of
   sections 4 and 5 that need no running server, comparing what they print with the page.

Run by scripts/test.sh; ``python scripts/check_install.py [--keep]``.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "quickstart.md"
#: What ``pip install`` may add to a fresh virtualenv: the package, Django, DRF, and the
#: dependencies those two declare.
ALLOWED = {"drf-mcp-bridge", "django", "djangorestframework", "asgiref", "sqlparse", "pip"}


class Failed(Exception):
    pass


def sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## ", text, flags=re.MULTILINE)
    return {part.split("\n", 1)[0].strip(): part for part in parts[1:]}


def blocks(section: str, language: str) -> list[str]:
    """The code blocks of one language, also those indented under a list item."""
    found = re.findall(rf"^( *)```{language}\n(.*?)^\1```", section, flags=re.MULTILINE | re.DOTALL)
    return [textwrap.dedent(block) for _indent, block in found]


def transcript(block: str) -> list[tuple[str, list[str]]]:
    """A console block as (command, lines it prints) pairs."""
    steps: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
    return steps


def expected_pattern(line: str) -> re.Pattern[str]:
    # A documented token (40 hex digits) stands for whatever token the run generates.
    return re.compile(re.sub(r"[0-9a-f]{40}", "[0-9a-f]{40}", re.escape(line.strip())))


def run(command: str, cwd: Path, venv: Path) -> str:
    env = dict(os.environ, PATH=f"{venv / 'bin'}:{os.environ['PATH']}", VIRTUAL_ENV=str(venv))
    env.pop("PYTHONPATH", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    completed = subprocess.run(
        shlex.split(command), cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    output = completed.stdout + completed.stderr
    if completed.returncode != 0:
        raise Failed(f"`{command}` exited {completed.returncode}:\n{output}")
    return output


def follow(command: str, printed: list[str], cwd: Path, venv: Path) -> None:
    """Runs a documented command; every line the page shows it print (but "...") must be
    in its output, in that order."""
    print(f"$ {command}", flush=True)
    output = [
        line.strip()
        for line in run(command, cwd, venv).splitlines()
        if "WARNING: Location" not in line
    ]
    position = 0
    for line in printed:
        if line.strip() in {"", "..."}:
            continue
        pattern = expected_pattern(line)
        while position < len(output) and not pattern.fullmatch(output[position]):
            position += 1
        if position == len(output):
            raise Failed(
                f"`{command}` did not print {line.strip()!r}; it printed:\n" + "\n".join(output)
            )
        position += 1


def fresh_venv(path: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    return path


def installed(venv: Path) -> set[str]:
    listing = run("python -m pip list --format=json --disable-pip-version-check", venv, venv)
    start = listing.index("[")
    return {
        re.sub(r"[-_.]+", "-", item["name"]).lower()
        for item in json.loads(listing[start : listing.index("]", start) + 1])
    }


def check_install(work: Path, section: str) -> Path:
    checkout = work / "drf-mcp-bridge"
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (checkout / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, checkout / name)
    ways = [block for block in blocks(section, "console") if "$ " in block]
    if len(ways) != 2:
        raise Failed(f"expected two ways to install in '1. Install', found {len(ways)}")
    # The README's step 1 gives the same commands (with a comment), in the same order.
    readme = [
        command.split("  #", 1)[0].strip()
        for block in blocks((ROOT / "README.md").read_text(), "console")
        for command, _ in transcript(block)
        if "pip" in command
    ]
    page_commands = [command for block in ways for command, _ in transcript(block)]
    if readme != page_commands:
        raise Failed(f"README's install commands {readme} are not the page's {page_commands}")
    last = work
    for number, block in enumerate(ways, 1):
        venv = fresh_venv(work / f"venv{number}")
        for command, printed in transcript(block):
            follow(command, printed, work, venv)
        packages = installed(venv)
        if "drf-mcp-bridge" not in packages:
            raise Failed(f"way {number} did not install drf-mcp-bridge: {sorted(packages)}")
        if packages - ALLOWED:
            raise Failed(f"way {number} installed more than Django and DRF: {packages - ALLOWED}")
        print(f"   installed: {', '.join(sorted(packages))}", flush=True)
        last = venv
    return last


PROJECT_FILES = {
    # The project's own code, which the page leaves to the reader ("your models").
    "customers/models.py": """
        from django.conf import settings
        from django.db import models


        class Customer(models.Model):
            name = models.CharField(max_length=100)
            tier = models.CharField(max_length=10, choices=[("free", "Free"), ("pro", "Pro")])
            owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    """,
    "customers/serializers.py": """
        from rest_framework import serializers

        from .models import Customer


        class CustomerSerializer(serializers.ModelSerializer):
            owner = serializers.ReadOnlyField(source="owner.username")

            class Meta:
                model = Customer
                fields = ["id", "owner", "name", "tier"]

            def create(self, validated_data):
                validated_data["owner"] = self.context["request"].user
                return super().create(validated_data)
    """,
}


def check_project(work: Path, venv: Path, page: dict[str, str]) -> None:
    project = work / "project"
    project.mkdir()
    run("django-admin startproject shop .", project, venv)
    run("python manage.py startapp customers", project, venv)
    for name, text in PROJECT_FILES.items():
        (project / name).write_text(textwrap.dedent(text).lstrip())

    # 2. Add the app and the URL: the page's settings and urls blocks.
    settings_block, urls_block = blocks(page["2. Add the app and the URL"], "python")
    apps = re.findall(r'^\s+"([\w.]+)",$', settings_block, flags=re.MULTILINE)
    if apps != ["rest_framework", "drf_mcp_bridge"]:
        raise Failed(f"the page's INSTALLED_APPS block changed: {apps}")
    settings = project / "shop" / "settings.py"
    text = settings.read_text()
    added = "".join(f'    "{app}",\n' for app in [*apps, "rest_framework.authtoken", "customers"])
    text = text.replace("INSTALLED_APPS = [\n", "INSTALLED_APPS = [\n" + added, 1)
    settings.write_text(text)
    [mount] = [line.strip() for line in urls_block.splitlines() if "include(" in line]
    (project / "shop" / "urls.py").write_text(
        textwrap.dedent(
            f"""
            from django.urls import include, path
            from rest_framework.routers import DefaultRouter

            from customers.views import CustomerViewSet

            router = DefaultRouter()
            router.register("customers", CustomerViewSet)

            urlpatterns = [
                path("api/", include(router.urls)),
                {mount}
            ]
            """
        ).lstrip()
    )

    # 3. Expose ViewSets: the page's decorated ViewSet, as written, is the app's views.py.
    decorated = next(
        block for block in blocks(page["3. Expose ViewSets"], "python") if "@mcp_viewset" in block
    )
    (project / "customers" / "views.py").write_text(
        "from .models import Customer\nfrom .serializers import CustomerSerializer\n" + decorated
    )
    run("python manage.py makemigrations customers", project, venv)
    run("python manage.py migrate", project, venv)
    run(
        "python manage.py shell -c "
        + shlex.quote(
            "from django.contrib.auth.models import User; User.objects.create_user('alice')"
        ),
        project,
        venv,
    )
    follow(
        "python manage.py check", ["System check identified no issues (0 silenced)."], project, venv
    )

    # 4. and the in-process commands of 5.
    steps = transcript(blocks(page["4. Check it without any client"], "console")[0])
    steps += [
        (command, printed)
        for command, printed in transcript(
            blocks(page["5. Authenticate your client"], "console")[0]
        )
        + transcript(blocks(page["5. Authenticate your client"], "console")[1])
        if "--url" not in command and "npx" not in command
    ]
    if len(steps) < 4:
        raise Failed(f"expected the page's in-process commands, found {[c for c, _ in steps]}")
    for command, printed in steps:
        follow(command, printed, project, venv)


def main() -> int:
    keep = "--keep" in sys.argv
    page = sections(PAGE.read_text())
    work = Path(tempfile.mkdtemp(prefix="drf-mcp-install-"))
    try:
        venv = check_install(work, page["1. Install"])
        check_project(work, venv, page)
    except Failed as failure:
        print(f"check_install: FAILED: {failure}", file=sys.stderr)
        return 1
    finally:
        if keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("check_install: the quick start's install and first steps work as written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
