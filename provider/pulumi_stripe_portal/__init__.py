"""Stripe customer portal configurations as Pulumi resources."""
