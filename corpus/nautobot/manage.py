#!/usr/bin/env python
"""`python manage.py <command>`: Nautobot's own `nautobot-server` with this folder's nautobot_config.py."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

if __name__ == "__main__":
    os.environ["NAUTOBOT_CONFIG"] = os.path.join(HERE, "nautobot_config.py")
    from nautobot.core.cli import main

    main()
