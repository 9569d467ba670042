"""Settings of the catalogue-size benchmark: bench.settings with a 300-tool URLconf."""

from bench.settings import *  # noqa: F403

ROOT_URLCONF = "bench.catalogue_urls"
