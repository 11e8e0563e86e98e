import { MAX_LENDING_BATCH } from '@xinlian/chaincode';
import { contentHashOf, defaultProductPolicy, type Connector, type LendingEventInput } from '@xinlian/connector';
import { keccak256, toUtf8Bytes, Wallet } from 'ethers';
import { batchesByEnterprise, exportLendingEvents, generateEnterprises } from '../synthetic/index.js';
import { forEachLimit } from './concurrency.js';
import { DEMO_CERTIFICATE_NO, DEMO_EXCHANGE, DEMO_INSTITUTIONS, DEMO_PRODUCTS, DEMO_PROVIDER } from './plan.js';

/** Reports progress of a long step: `start(total)`, then `tick(done)`, then `stop()`. */
export interface ProgressReporter {
  (step: string, total: number): { update(done: number): void; stop(): void };
}

export interface BootstrapOptions {
  readonly connectors: ReadonlyMap<string, Connector>;
  readonly enterprises: number;
  /** Seed of the synthetic data (enterprises and their histories). */
  readonly seed: number | string;
  /** The signer key of a synthetic enterprise (see {@link demoSubjectWallet}). */
  readonly subjectWallet: (uscc: string) => Wallet;
  readonly progress?: ProgressReporter;
  readonly log: (line: string) => void;
}

const quiet: ProgressReporter = () => ({ update: () => undefined, stop: () => undefined });

/**
 * A synthetic enterprise's signer key in the demo, derived from the data directory's random
 * subject secret (`demo/subject-keys.secret`), never from the public synthetic-data seed: two
 * data directories made with the same `--seed` have the same enterprises but different keys.
 */
export function demoSubjectWallet(subjectSecret: string, uscc: string): Wallet {
  return new Wallet(keccak256(toUtf8Bytes(`xinlian-demo-subject:${subjectSecret}:${uscc}`)));
}

/**
 * First start of the demo: initialise the chaincode with the regulator, admit everyone,
 * start the connectors, publish and list the provider's products, generate the provider's
 * enterprises, register them as subjects, and replay each lender's lending history.
 */
export async function bootstrapConsortium(o: Readonly<BootstrapOptions>): Promise<void> {
  const progress = o.progress ?? quiet;
  const get = (id: string): Connector => {
    const c = o.connectors.get(id);
    if (!c) throw new Error(`no connector for ${id}`);
    return c;
  };
  const regulator = get('regulator');
  const identityOf = (c: Connector) => c.ledger.identity;

  const [first, ...others] = DEMO_INSTITUTIONS;
  await regulator.ledger.initialize({
    id: first!.id,
    name: first!.name,
    roles: [...first!.roles],
    signerAddress: regulator.wallet.address,
  });
  for (const plan of others) {
    const c = get(plan.id);
    await regulator.ledger.admit({
      id: plan.id,
      name: plan.name,
      roles: [...plan.roles],
      signerAddress: c.wallet.address,
      mspId: identityOf(c).mspId,
      clientId: identityOf(c).clientId,
    });
  }
  for (const c of o.connectors.values()) await c.start();
  o.log(`Admitted ${DEMO_INSTITUTIONS.length} institutions; connectors listening on loopback.`);

  const provider = get(DEMO_PROVIDER);
  for (const product of Object.values(DEMO_PRODUCTS)) {
    const policy = defaultProductPolicy({ productId: product.id });
    const outputSchema = { product: product.id, fields: ['score', 'grade', 'dimensions', 'reasonCodes'] };
    await provider.ledger.publishProduct({
      ...product,
      policy: policy as unknown as Record<string, unknown>,
      outputSchemaHash: contentHashOf(outputSchema),
      modelVersion: 'sme-scorecard-1.0.0',
    });
  }
  await get(DEMO_EXCHANGE).ledger.listOnExchange(DEMO_PRODUCTS.score.id, DEMO_CERTIFICATE_NO);

  // Yesterday: the data's series and events end that day, so nothing lies in the ledger's future.
  const asOf = new Date(Date.now() - 24 * 3600 * 1000).toISOString().slice(0, 10);
  const generating = progress('Generating synthetic enterprises', o.enterprises);
  await generateEnterprises({
    seed: o.seed,
    count: o.enterprises,
    asOf,
    store: provider.store,
    onProgress: (done) => generating.update(done),
  });
  generating.stop();
  await provider.subjects.reindex();
  // the ring detector warmed at start saw an empty store: build it again over the new data
  provider.rings.refresh();
  provider.rings.warm();

  const operator = get('operator');
  const registering = progress('Registering subjects on the ledger', o.enterprises);
  let registered = 0;
  await forEachLimit(provider.store.enterprises.keys(), 128, async (uscc) => {
    const signer = o.subjectWallet(uscc);
    await operator.ledger.registerSubject(operator.subjects.tokenOf(uscc), [signer.address]);
    registering.update(++registered);
  });
  registering.stop();

  let events = 0;
  for (const plan of DEMO_INSTITUTIONS.filter((p) => p.syntheticLender)) {
    const lender = get(plan.id);
    // One enterprise's events stay in one batch: the chaincode checks each (lender, enterprise)
    // lifecycle in order, and batches run 8 at a time.
    const batches = lendingBatches(exportLendingEvents(provider.store, { lenderId: plan.syntheticLender! }), lender);
    let n = 0;
    await forEachLimit(batches, 8, async (batch) => {
      // A fixed batch id per (lender, position): the history is recorded once per ledger.
      await lender.ledger.recordLending(`demo-history:${plan.id}:${n++}`, batch);
      events += batch.length;
    });
  }
  o.log(`Replayed ${events} lending events from ${DEMO_INSTITUTIONS.filter((p) => p.syntheticLender).length} lenders.`);
}

async function* lendingBatches(
  events: AsyncIterable<{ uscc: string; type: string; amount?: number; occurredAt: string }>,
  lender: Connector,
): AsyncGenerator<LendingEventInput[]> {
  for await (const batch of batchesByEnterprise(events, MAX_LENDING_BATCH)) {
    yield batch.map((e) => ({
      subjectToken: lender.subjects.tokenOf(e.uscc),
      type: e.type as LendingEventInput['type'],
      ...(e.amount !== undefined ? { amount: Math.round(e.amount * 100) } : {}),
      occurredAt: e.occurredAt,
    }));
  }
}
