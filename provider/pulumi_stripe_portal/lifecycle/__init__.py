"""What the provider process does for each engine call (check, diff, create, read, update,
delete): the operations, their params and state, validation, price resolution, diagnostics.

May import: ``schema``, ``stripe_api``, and the shared leaves ``names`` and ``ownership``.
"""
