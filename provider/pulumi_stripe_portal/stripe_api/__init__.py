"""Stripe on the wire: the client (the only module that imports the stripe SDK), batched
reads, backoff, connection settings and the test/live mode guard.

May import: ``schema`` (the API version) and nothing of Pulumi.
"""
