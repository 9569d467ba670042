"""Version matrix: Django 4.2 / 5.2 / 6.0 x DRF 3.15 / newest, Python tests only.

``scripts/test.sh`` runs the oldest combination; run another one with e.g.
``nox --session "tests(django='6.0', drf='3.18')"``, or all of them with ``nox``.
Django 6 needs Python 3.12 or later (pyenv provides python3.12 here).
"""

from __future__ import annotations

import glob
import os

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True


def _interpreter(version: str) -> str:
    """A pyenv interpreter when one is installed (pyenv's shims only run the global
    version), else the plain version for nox to find on PATH.
    """
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    found = sorted(
        glob.glob(os.path.join(root, "versions", f"{version}.*", "bin", f"python{version}"))
    )
    return found[-1] if found else version


PYTHON_FOR_DJANGO = {
    "4.2": _interpreter("3.11"),
    "5.2": _interpreter("3.11"),
    "6.0": _interpreter("3.12"),
}
DRF_VERSIONS = ["3.15", "3.18"]
MATRIX = [
    nox.param(python, django, drf, id=f"django='{django}', drf='{drf}'")
    for django, python in PYTHON_FOR_DJANGO.items()
    for drf in DRF_VERSIONS
]


@nox.session
@nox.parametrize(("python", "django", "drf"), MATRIX)
def tests(session: nox.Session, django: str, drf: str) -> None:
    """The Python tests (not the official-client interop tests) on one combination."""
    session.install(
        "-e",
        ".",
        f"Django~={django}.0",
        f"djangorestframework~={drf}.0",
        "pytest",
        "pytest-django",
        "jsonschema",
        "hypothesis==6.112.0",
        "hypothesis-jsonschema==0.23.1",
        # Django's memcached and Redis backends: the shared-state tests run on real servers.
        "pymemcache",
        "redis",
        # Request-scoped middleware of real applications (tests/test_middleware_fidelity.py).
        "django-simple-history",
        "django-crum",
        # Django's task framework backport (contrib.tasks; django-tasks-db needs 5.2+).
        "django-tasks",
    )
    session.run(
        "python",
        "-m",
        "pytest",
        "-m",
        "not interop",
        "-q",
        "-p",
        "no:cacheprovider",
        "--ignore=tests/interop",
        *session.posargs,
    )
