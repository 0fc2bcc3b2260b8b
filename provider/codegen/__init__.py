"""Build-time generators: every file that is written from the models, never shipped.

Runs from a source tree (``make generate``: ``python -m codegen`` with ``provider/`` on the
path) and may import anything of ``pulumi_stripe_portal``; no runtime module imports it.
"""
