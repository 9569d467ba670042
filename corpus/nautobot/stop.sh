#!/usr/bin/env bash
# Stops the private PostgreSQL and Redis that setup.sh started (data kept; `bash servers.sh destroy` removes it).
exec bash "$(cd "$(dirname "$0")" && pwd)/servers.sh" stop
