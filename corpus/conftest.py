"""Loads the corpus project named by CORPUS_PROJECT (a folder of corpus/ with a project.py)
and sets Django up with its settings, against the database its setup.sh built."""

from __future__ import annotations

import importlib
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))


def _load():
    name = os.environ.get("CORPUS_PROJECT")
    if not name:
        raise pytest.UsageError("Set CORPUS_PROJECT to a folder of corpus/ (corpus/run.sh does).")
    folder = os.path.join(HERE, name)
    os.chdir(folder)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    project = importlib.import_module("project")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", project.SETTINGS)
    setup = getattr(project, "setup_django", None)
    if setup is not None:
        setup()
    else:
        import django

        django.setup()
    project.FOLDER = folder
    return project


PROJECT = _load()


@pytest.fixture(scope="session")
def project():
    return PROJECT
