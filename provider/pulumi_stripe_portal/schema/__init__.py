"""The one source of the resource's shape and of Stripe's rules: the models, the
cross-field rules, the tree walkers and Stripe's defaults, and the tree as plain data
(shape.py, generated from the models) for whoever must not pay for pydantic. Run by every
face but a program.

May import: only ``schema`` itself (and pydantic). Nothing here talks to Stripe or Pulumi.
"""
