// client.mjs drives the emulator with Stripe's Node.js client (stripe-node), which sends
// Content-Length form bodies over its keep-alive agent.
//
// It creates a billing portal configuration (with an idempotency key), replays that create,
// creates a second one, updates the first, retrieves it, lists both with one item per page
// (so the list paginates), and asks for an unknown id (404) and with a bad parameter (400).
// Each step prints one "ok ..." line; the first failure prints "FAIL ..." and exits 1.
//
// Usage: STRIPE_BASE_URL=http://127.0.0.1:PORT [STRIPE_API_KEY=sk_test_...] node client.mjs
import Stripe from 'stripe';

function fail(message) {
  console.log(`FAIL ${message}`);
  process.exit(1);
}

const base = process.env.STRIPE_BASE_URL;
if (!base) fail('no base URL: set STRIPE_BASE_URL');
const url = new URL(base);
const stripe = new Stripe(process.env.STRIPE_API_KEY || 'sk_test_123', {
  host: url.hostname,
  port: Number(url.port),
  protocol: url.protocol.replace(':', ''),
  maxNetworkRetries: 0,
});
const configs = stripe.billingPortal.configurations;

async function expectError(call, status, check, what) {
  try {
    await call();
  } catch (e) {
    if (e.statusCode === status && check(e)) return e;
    fail(`${what}: want a ${status}, got ${e.statusCode} ${e.type} ${e.message}`);
  }
  fail(`${what}: want a ${status}, got an answer`);
}

const firstParams = {
  name: 'node-first',
  features: {
    invoice_history: {enabled: true},
    customer_update: {enabled: true, allowed_updates: ['email', 'address']},
  },
  business_profile: {headline: 'Node client'},
  metadata: {client: 'stripe-node'},
};
const a = await configs.create(firstParams, {idempotencyKey: 'stripe-node-first'});
if (a.name !== 'node-first' || !a.features.invoice_history.enabled ||
    a.metadata.client !== 'stripe-node' || a.features.customer_update.allowed_updates.length !== 2) {
  fail(`create answered ${JSON.stringify(a)}`);
}
console.log(`ok create ${a.id}`);

const replay = await configs.create(firstParams, {idempotencyKey: 'stripe-node-first'});
if (replay.id !== a.id || replay.lastResponse.headers['idempotent-replayed'] !== 'true') {
  fail(`idempotent replay: id=${replay.id} (want ${a.id})`);
}
console.log(`ok replay ${replay.id}`);

const b = await configs.create({
  name: 'node-second',
  features: {payment_method_update: {enabled: true}},
});
console.log(`ok create ${b.id}`);

const u = await configs.update(a.id, {
  name: 'node-first-renamed',
  features: {invoice_history: {enabled: false}},
  metadata: {step: 'updated'},
});
if (u.name !== 'node-first-renamed' || u.features.invoice_history.enabled ||
    u.metadata.step !== 'updated' || u.metadata.client !== 'stripe-node') {
  fail(`update answered ${JSON.stringify(u)}`);
}
console.log(`ok update ${u.id}`);

const r = await configs.retrieve(a.id);
if (r.name !== u.name || r.updated !== u.updated || r.business_profile.headline !== 'Node client') {
  fail(`retrieve answered ${JSON.stringify(r)}`);
}
console.log(`ok retrieve ${r.id}`);

const seen = new Set();
for await (const c of configs.list({limit: 1})) seen.add(c.id);
if (!seen.has(a.id) || !seen.has(b.id)) fail(`list (one per page) saw ${[...seen]}`);
console.log(`ok list ${seen.size}`);

const missing = await expectError(
  () => configs.retrieve('bpc_doesnotexist'), 404,
  (e) => e.code === 'resource_missing' && e.type === 'StripeInvalidRequestError', 'unknown id');
console.log(`ok not-found ${missing.code}`);

const invalid = await expectError(
  () => configs.create({features: {invoice_history: {enabled: true}}, bogus: 'x'}), 400,
  (e) => e.param === 'bogus' && e.type === 'StripeInvalidRequestError', 'unknown parameter');
console.log(`ok invalid ${invalid.param}`);
