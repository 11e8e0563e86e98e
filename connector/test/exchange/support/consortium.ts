/**
 * A small consortium for exchange tests: one embedded ledger in a temp dir and one real
 * connector per institution (own store, keys and libp2p node on 127.0.0.1, port 0), wired
 * like the demo (scripts/src/demo/consortium.ts), with a few products and subjects.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, consentTypedData, contracts, revocationTypedData, type Role } from '@xinlian/chaincode';
import {
  createEmbeddedIdentity,
  createEmbeddedLedger,
  type EmbeddedIdentity,
  type EmbeddedLedger,
  type LedgerClient,
} from '@xinlian/network';
import { keccak256, toUtf8Bytes, Wallet } from 'ethers';
import { pino, type Logger } from 'pino';
import { createConnector, type Connector } from '../../../src/connector.js';
import { subjectToken, type EnterpriseRecord } from '../../../src/domain/index.js';
import { defaultProductPolicy, type DefaultPolicyOptions } from '../../../src/policy/index.js';
import { newEnterprise, newUscc } from './enterprises.js';

export const PROVIDER = 'credit-data';
export const LENDER_A = 'lender-a';
export const LENDER_B = 'lender-b';

interface Member {
  readonly id: string;
  readonly roles: Role[];
  readonly mspId: string;
}

const MEMBERS: readonly Member[] = [
  { id: 'regulator', roles: ['regulator'], mspId: 'RegulatorMSP' },
  { id: 'operator', roles: ['operator'], mspId: 'OperatorMSP' },
  { id: PROVIDER, roles: ['provider'], mspId: 'ProviderMSP' },
  { id: LENDER_A, roles: ['microlender'], mspId: 'LenderMSP' },
  { id: LENDER_B, roles: ['bank'], mspId: 'BankMSP' },
  { id: 'exchange', roles: ['exchange'], mspId: 'ExchangeMSP' },
];

/** The provider's products: one plain, and one per limit a test needs to reach. */
export const PRODUCTS = {
  score: { id: 'sme-score', kind: 'score', policy: {} },
  capped: { id: 'sme-score-capped', kind: 'score', policy: { maxUses: 2 } },
  rate: { id: 'sme-score-rate', kind: 'score', policy: { ratePerMinute: 2 } },
  onlyA: { id: 'sme-score-a', kind: 'score', policy: { institutions: [LENDER_A] } },
  preLoan: { id: 'sme-score-preloan', kind: 'score', policy: { purposes: ['pre_loan'] } },
  other: { id: 'sme-report', kind: 'report', policy: {} },
  check: { id: 'multi-lending-check', kind: 'check', policy: {} },
} as const satisfies Record<string, { id: string; kind: string; policy: Partial<DefaultPolicyOptions> }>;

export interface TestSubject {
  readonly uscc: string;
  readonly token: string;
  /** The enterprise's own signer (grants and revokes consents). */
  readonly wallet: Wallet;
  /** The provider's raw record; undefined for the subject the provider holds no data on. */
  readonly record?: EnterpriseRecord;
}

export interface GrantInput {
  readonly subject: TestSubject;
  readonly grantee: string;
  readonly products: readonly string[];
  readonly purpose?: string;
  /** Default 30 days. */
  readonly validForMs?: number;
}

/** Shifts business time (ledger transaction timestamps and the connectors' clocks). */
export class TestClock {
  offsetMs = 0;
  readonly now = (): Date => new Date(Date.now() + this.offsetMs);
}

export interface OpenOptions {
  /** Wraps an institution's ledger client (e.g. to hold or fail some submits). */
  readonly wrapLedger?: (id: string, client: LedgerClient) => LedgerClient;
}

/** Connectors log nothing in tests unless XINLIAN_LOG_LEVEL is set. */
export const testLogger: Logger = pino({ level: process.env['XINLIAN_LOG_LEVEL'] ?? 'silent' });

export interface CreateOptions {
  /** The connector's logger (default {@link testLogger}). */
  readonly logger?: Logger;
  /** The revocation follower's back-off. */
  readonly followerBackoffMs?: { initial: number; max: number };
}

export class TestConsortium {
  readonly dir: string;
  readonly ledger: EmbeddedLedger;
  readonly clock: TestClock;
  readonly subjects: readonly TestSubject[];
  readonly #identities: Map<string, EmbeddedIdentity>;
  readonly #connectors = new Map<string, Connector>();
  readonly #key: string;

  private constructor(dir: string, ledger: EmbeddedLedger, clock: TestClock, identities: Map<string, EmbeddedIdentity>, key: string) {
    this.dir = dir;
    this.ledger = ledger;
    this.clock = clock;
    this.#identities = identities;
    this.#key = key;
    const held = [0, 1, 2, 3].map((n) => newEnterprise(n));
    const all = [...held.map((record) => ({ uscc: record.uscc, record })), { uscc: newUscc('MB0Q7Q3X') }];
    this.subjects = all.map((s) => ({ ...s, token: subjectToken(s.uscc, key), wallet: new Wallet(Wallet.createRandom().privateKey) }));
  }

  /** Creates the ledger, admits everyone, starts the connectors, publishes products, registers subjects. */
  static async open(options: OpenOptions = {}): Promise<TestConsortium> {
    const dir = await mkdtemp(join(tmpdir(), 'xinlian-exchange-'));
    const clock = new TestClock();
    const ledger = await createEmbeddedLedger({ dataDir: join(dir, 'ledger'), contracts, clock: clock.now, blockMaxWaitMs: 2 });
    const identities = new Map<string, EmbeddedIdentity>();
    for (const m of MEMBERS) identities.set(m.id, await createEmbeddedIdentity({ mspId: m.mspId, name: m.id, dir: join(dir, 'msp') }));
    const c = new TestConsortium(dir, ledger, clock, identities, 'test-consortium-key-0123456789abcdef');
    try {
      await c.#bootstrap(options);
    } catch (e) {
      await c.close();
      throw e;
    }
    return c;
  }

  get(id: string): Connector {
    const connector = this.#connectors.get(id);
    if (!connector) throw new Error(`${id} is not running`);
    return connector;
  }

  get provider(): Connector {
    return this.get(PROVIDER);
  }
  get lenderA(): Connector {
    return this.get(LENDER_A);
  }
  get lenderB(): Connector {
    return this.get(LENDER_B);
  }
  get regulator(): Connector {
    return this.get('regulator');
  }

  /** A new connector for `id` on its existing data directory (not started). */
  async create(id: string, wrap?: OpenOptions['wrapLedger'], options: CreateOptions = {}): Promise<Connector> {
    const identity = this.#identities.get(id);
    if (!identity) throw new Error(`unknown member ${id}`);
    const client = this.ledger.connect(identity);
    const connector = await createConnector({
      institutionId: id,
      dataDir: join(this.dir, 'institutions', id),
      ledger: wrap ? wrap(id, client) : client,
      consortiumKey: this.#key,
      now: this.clock.now,
      logger: options.logger ?? testLogger,
      ...(options.followerBackoffMs ? { followerBackoffMs: options.followerBackoffMs } : {}),
    });
    this.#connectors.set(id, connector);
    return connector;
  }

  /** Stops `id`'s connector (as a crash would, from the peers' point of view). */
  async stop(id: string): Promise<void> {
    const connector = this.#connectors.get(id);
    this.#connectors.delete(id);
    await connector?.stop();
  }

  /** Stops and starts `id` again on the same data (optionally with a wrapped ledger client). */
  async restart(id: string, wrap?: OpenOptions['wrapLedger'], options: CreateOptions = {}): Promise<Connector> {
    await this.stop(id);
    const connector = await this.create(id, wrap, options);
    await connector.start();
    return connector;
  }

  /** The enterprise signs a consent; the grantee submits it. Returns the consent id. */
  async grantConsent(input: GrantInput): Promise<string> {
    const nowS = Math.floor(this.clock.now().getTime() / 1000);
    const message = {
      consentId: `cst-${randomUUID()}`,
      subjectToken: input.subject.token,
      grantee: input.grantee,
      products: [...input.products],
      purpose: input.purpose ?? 'pre_loan',
      validUntil: nowS + Math.floor((input.validForMs ?? 30 * 24 * 3600 * 1000) / 1000),
      issuedAt: nowS - 1,
    };
    const typed = consentTypedData(message);
    const signature = await input.subject.wallet.signTypedData(typed.domain, typed.types, typed.message);
    await this.get(input.grantee).ledger.grantConsent(message, signature);
    return message.consentId;
  }

  /** The enterprise revokes a consent (submitted through the operator). */
  async revokeConsent(subject: TestSubject, consentId: string): Promise<void> {
    const typed = revocationTypedData({ consentId, subjectToken: subject.token });
    const signature = await subject.wallet.signTypedData(typed.domain, typed.types, typed.message);
    await this.get('operator').ledger.revokeConsent(consentId, signature);
  }

  async close(): Promise<void> {
    for (const id of [...this.#connectors.keys()]) await this.stop(id).catch(() => undefined);
    await this.ledger.close().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }

  async #bootstrap(options: OpenOptions): Promise<void> {
    for (const m of MEMBERS) await this.create(m.id, options.wrapLedger);
    const [first, ...others] = MEMBERS;
    const regulator = this.get(first!.id);
    await regulator.ledger.initialize({ id: first!.id, name: first!.id, roles: first!.roles, signerAddress: regulator.wallet.address });
    for (const m of others) {
      const connector = this.get(m.id);
      const { mspId, clientId } = connector.ledger.identity;
      await regulator.ledger.admit({ id: m.id, name: m.id, roles: m.roles, signerAddress: connector.wallet.address, mspId, clientId });
    }
    for (const connector of this.#connectors.values()) await connector.start();

    const provider = this.provider;
    for (const p of Object.values(PRODUCTS)) {
      const policy = defaultProductPolicy({ productId: p.id, ...p.policy });
      await provider.ledger.publishProduct({
        id: p.id,
        name: p.id,
        kind: p.kind,
        classification: 2,
        policy: policy as unknown as Record<string, unknown>,
        outputSchemaHash: keccak256(toUtf8Bytes(canonicalJson({ product: p.id }))),
        modelVersion: 'sme-scorecard-1.0.0',
      });
    }
    for (const s of this.subjects) {
      if (s.record) await provider.store.enterprises.put(s.uscc, s.record);
      await this.get('operator').ledger.registerSubject(s.token, [s.wallet.address]);
    }
    await provider.subjects.reindex();
  }
}
