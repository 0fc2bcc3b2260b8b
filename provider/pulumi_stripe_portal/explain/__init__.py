"""The customers'-words explanation of a plan or a live configuration (``stripe-portal
explain``): reading a plan, the terms table, the changes, rendering.

May import: ``schema``, ``lifecycle``'s pure state and price helpers, ``ownership``; no Pulumi.
"""
