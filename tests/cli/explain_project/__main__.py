"""One PortalConfiguration per entry of portals.json (written by the test before each run)."""

import json
from pathlib import Path

from pulumi_stripe_portal import PortalConfiguration

for name, declared in json.loads(Path("portals.json").read_text()).items():
    PortalConfiguration(name, **declared)
