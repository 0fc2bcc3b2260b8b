"""The ``stripe-portal`` command (list, export, explain): beside the provider, on the same
client and models, never on the provider.

May import: ``explain``, ``stripe_api``, ``schema`` and the root's leaves (``names``,
``ownership``, ``wire_names``); never ``lifecycle``.
"""
