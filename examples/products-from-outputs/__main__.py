"""Product and price ids arriving as Outputs, nested deep inside ``features``.

In a real program the ids come from ``stripe.Product``/``stripe.Price`` resources of another
provider, or from a StackReference to the stack that owns the catalog. Here a first portal
configuration stands in for such a resource: ids derived from its outputs are unknown during
the first preview, which the provider accepts (they are checked once known).
"""

import pulumi

from pulumi_stripe_portal import (
    AdjustableQuantityArgs,
    FeaturesArgs,
    InvoiceHistoryArgs,
    PaymentMethodUpdateArgs,
    PortalConfiguration,
    ProductArgs,
    SubscriptionUpdateArgs,
)

config = pulumi.Config("catalog")

# Stand-in for a catalog resource: anything with outputs.
catalog = PortalConfiguration(
    "catalog-owner",
    name="Catalog owner",
    features=FeaturesArgs(invoice_history=InvoiceHistoryArgs(enabled=True)),
    metadata={"basic_product": "prod_basic", "basic_prices": "price_basic_m,price_basic_y"},
)

basic_product = catalog.metadata.apply(lambda m: m["basic_product"])
basic_prices = catalog.metadata.apply(lambda m: m["basic_prices"].split(","))
pro_price = catalog.id.apply(lambda _id: config.get("proPrice") or "price_pro_m")

portal = PortalConfiguration(
    "upgrades-portal",
    name="Plan changes",
    features=FeaturesArgs(
        payment_method_update=PaymentMethodUpdateArgs(enabled=True),
        subscription_update=SubscriptionUpdateArgs(
            enabled=True,
            default_allowed_updates=["price", "quantity"],
            proration_behavior="create_prorations",
            products=[
                ProductArgs(
                    product=basic_product,
                    prices=basic_prices,
                    adjustable_quantity=AdjustableQuantityArgs(enabled=True, maximum=10),
                ),
                ProductArgs(product="prod_pro", prices=[pro_price]),
            ],
        ),
    ),
)

pulumi.export("portal_id", portal.id)
pulumi.export(
    "products",
    portal.features.subscription_update.products.apply(lambda ps: [p.product for p in ps or []]),
)
