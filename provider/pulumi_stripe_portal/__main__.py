"""``python -m pulumi_stripe_portal``: the ``stripe-portal`` command line."""

import sys

from .cli.main import main

sys.exit(main())
