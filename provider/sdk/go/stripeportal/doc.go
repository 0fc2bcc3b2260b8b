// Stripe customer portal configurations as code: exact diffs and unsets, drift, adoption with ownership.
package stripeportal
