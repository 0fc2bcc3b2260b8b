// Command stripe-go-client drives the emulator with Stripe's Go client (stripe-go), which
// sends its POST bodies chunked (Transfer-Encoding: chunked) over keep-alive connections.
//
// It creates two billing portal configurations, updates one, retrieves it, lists both with
// one item per page (so the list paginates), and asks for an unknown id (404). Each step
// prints one "ok ..." line; the first failure prints "FAIL ..." and exits 1.
//
// Usage: stripe-go-client -base-url http://127.0.0.1:PORT [-key sk_test_...]
// (defaults: $STRIPE_BASE_URL, $STRIPE_API_KEY or sk_test_123).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/stripe/stripe-go/v84"
)

func fail(format string, args ...any) {
	fmt.Printf("FAIL "+format+"\n", args...)
	os.Exit(1)
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func main() {
	baseURL := flag.String("base-url", os.Getenv("STRIPE_BASE_URL"), "emulator URL")
	key := flag.String("key", envOr("STRIPE_API_KEY", "sk_test_123"), "API key")
	flag.Parse()
	if *baseURL == "" {
		fail("no base URL: pass -base-url or set STRIPE_BASE_URL")
	}
	retries := int64(0)
	backends := stripe.NewBackendsWithConfig(&stripe.BackendConfig{
		URL:               stripe.String(*baseURL),
		MaxNetworkRetries: &retries,
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelNull},
	})
	sc := stripe.NewClient(*key, stripe.WithBackends(backends))
	configs := sc.V1BillingPortalConfigurations
	ctx := context.Background()

	first := &stripe.BillingPortalConfigurationCreateParams{
		Name: stripe.String("go-first"),
		Features: &stripe.BillingPortalConfigurationCreateFeaturesParams{
			InvoiceHistory: &stripe.BillingPortalConfigurationCreateFeaturesInvoiceHistoryParams{
				Enabled: stripe.Bool(true),
			},
			CustomerUpdate: &stripe.BillingPortalConfigurationCreateFeaturesCustomerUpdateParams{
				Enabled:        stripe.Bool(true),
				AllowedUpdates: stripe.StringSlice([]string{"email", "address"}),
			},
		},
		BusinessProfile: &stripe.BillingPortalConfigurationCreateBusinessProfileParams{
			Headline: stripe.String("Go client"),
		},
	}
	first.AddMetadata("client", "stripe-go")
	first.SetIdempotencyKey("stripe-go-first")
	a, err := configs.Create(ctx, first)
	if err != nil {
		fail("create: %v", err)
	}
	if a.Name != "go-first" || !a.Features.InvoiceHistory.Enabled || a.Metadata["client"] != "stripe-go" {
		fail("create answered name=%q invoice_history=%v metadata=%v", a.Name, a.Features.InvoiceHistory.Enabled, a.Metadata)
	}
	if got := a.Features.CustomerUpdate.AllowedUpdates; len(got) != 2 {
		fail("create answered allowed_updates=%v", got)
	}
	fmt.Printf("ok create %s\n", a.ID)

	replay, err := configs.Create(ctx, first)
	if err != nil || replay.ID != a.ID {
		fail("idempotent replay: id=%v err=%v (want %s)", replay, err, a.ID)
	}
	fmt.Printf("ok replay %s\n", replay.ID)

	b, err := configs.Create(ctx, &stripe.BillingPortalConfigurationCreateParams{
		Name: stripe.String("go-second"),
		Features: &stripe.BillingPortalConfigurationCreateFeaturesParams{
			PaymentMethodUpdate: &stripe.BillingPortalConfigurationCreateFeaturesPaymentMethodUpdateParams{
				Enabled: stripe.Bool(true),
			},
		},
	})
	if err != nil {
		fail("create second: %v", err)
	}
	fmt.Printf("ok create %s\n", b.ID)

	update := &stripe.BillingPortalConfigurationUpdateParams{
		Name: stripe.String("go-first-renamed"),
		Features: &stripe.BillingPortalConfigurationUpdateFeaturesParams{
			InvoiceHistory: &stripe.BillingPortalConfigurationUpdateFeaturesInvoiceHistoryParams{
				Enabled: stripe.Bool(false),
			},
		},
	}
	update.AddMetadata("step", "updated")
	u, err := configs.Update(ctx, a.ID, update)
	if err != nil {
		fail("update: %v", err)
	}
	if u.Name != "go-first-renamed" || u.Features.InvoiceHistory.Enabled || u.Metadata["step"] != "updated" || u.Metadata["client"] != "stripe-go" {
		fail("update answered name=%q invoice_history=%v metadata=%v", u.Name, u.Features.InvoiceHistory.Enabled, u.Metadata)
	}
	fmt.Printf("ok update %s\n", u.ID)

	r, err := configs.Retrieve(ctx, a.ID, nil)
	if err != nil {
		fail("retrieve: %v", err)
	}
	if r.Name != u.Name || r.Updated != u.Updated || r.BusinessProfile.Headline != "Go client" {
		fail("retrieve answered name=%q updated=%d headline=%q", r.Name, r.Updated, r.BusinessProfile.Headline)
	}
	fmt.Printf("ok retrieve %s\n", r.ID)

	seen := map[string]bool{}
	list := &stripe.BillingPortalConfigurationListParams{}
	list.Limit = stripe.Int64(1)
	for c, err := range configs.List(ctx, list) {
		if err != nil {
			fail("list: %v", err)
		}
		seen[c.ID] = true
	}
	if !seen[a.ID] || !seen[b.ID] {
		fail("list (one per page) saw %v, want %s and %s", seen, a.ID, b.ID)
	}
	fmt.Printf("ok list %d\n", len(seen))

	_, err = configs.Retrieve(ctx, "bpc_doesnotexist", nil)
	var se *stripe.Error
	if !errors.As(err, &se) || se.HTTPStatusCode != 404 || se.Code != stripe.ErrorCodeResourceMissing {
		fail("retrieve unknown id: want a 404 resource_missing, got %v", err)
	}
	fmt.Printf("ok not-found %s\n", se.Code)
}
