/**
 * A test consortium on a {@link MemoryLedger}: a regulator, an operator, two providers,
 * lenders, a guarantor, a bank and an exchange, each with an ethers wallet; one registered
 * subject with its own signer wallet; a score product and a check product.
 */
import {
  consentTypedData,
  revocationTypedData,
  usageContractTypedData,
  receiptTypedData,
  type ConsentMessage,
  type ReceiptMessage,
  type Role,
  type UsageContractMessage,
} from '@xinlian/chaincode';
import { Wallet, id as keccakText } from 'ethers';
import { expect } from 'vitest';
import { MemoryLedger } from './memory-ledger.js';
import type { Identity } from './memory-stub.js';

export interface Member {
  id: string;
  identity: Identity;
  wallet: Wallet;
  roles: Role[];
}

const MEMBERS = {
  regulator: ['regulator'],
  operator: ['operator'],
  provider: ['provider'],
  provider2: ['provider'],
  lenderA: ['microlender'],
  lenderB: ['microlender'],
  lenderC: ['microlender'],
  lenderD: ['microlender'],
  guarantor: ['guarantor'],
  bank: ['bank'],
  exchange: ['exchange'],
} satisfies Record<string, Role[]>;
export type MemberName = keyof typeof MEMBERS;

export function walletOf(name: string): Wallet {
  return new Wallet(keccakText(`xinlian-test:${name}`));
}

export function identityOf(name: string): Identity {
  return { mspId: `${name}MSP`, clientId: `x509::/CN=${name}::/CN=ca.${name}` };
}

export const SUBJECT = '0x' + 'ab'.repeat(32);
export const OTHER_SUBJECT = '0x' + 'cd'.repeat(32);
export const HASH = '0x' + '11'.repeat(32);
/** An identity bound to no institution. */
export const STRANGER = identityOf('stranger');

const secs = (ms: number): number => Math.floor(ms / 1000);

export class Consortium {
  readonly ledger = new MemoryLedger();
  readonly m = {} as Record<MemberName, Member>;
  readonly subjectWallet = walletOf('subject');
  #n = 0;

  get nowSeconds(): number {
    return secs(this.ledger.now);
  }

  /** Submits and parses the JSON result. */
  async submit<T = Record<string, unknown>>(as: Member | Identity, name: string, ...args: string[]): Promise<T> {
    const identity = 'identity' in as ? as.identity : as;
    return JSON.parse((await this.ledger.submit(identity, name, args)).result) as T;
  }

  /** Evaluates and parses the JSON result. */
  async evaluate<T = Record<string, unknown>>(as: Member | Identity, name: string, ...args: string[]): Promise<T> {
    const identity = 'identity' in as ? as.identity : as;
    return JSON.parse(await this.ledger.evaluate(identity, name, args)) as T;
  }

  /**
   * Submits a write expected to be refused: checks the denied result, the denial record,
   * the `denied` event and audit record, and that nothing else was written.
   */
  async expectDenied(as: Member, code: string, name: string, ...args: string[]): Promise<void> {
    const before = this.ledger.size;
    const { result, txId } = await this.ledger.submit(as.identity, name, args);
    const parsed = JSON.parse(result) as { denied?: { code: string; action: string; message: string } };
    expect(parsed.denied, result).toMatchObject({ code, action: name });
    expect(parsed.denied!.message.startsWith(`[${code}] `)).toBe(true);
    // denial record + the audit record under all, type and the refused party, in both orders; nothing else
    expect(this.ledger.size - before).toBe(1 + 3 * 2);
    const event = this.ledger.events.at(-1)!;
    expect(event).toMatchObject({ txId, name: 'denied', payload: { type: 'denied', code, action: name, institution: as.id, txId } });
  }

  /** Expects the call to throw an error whose message starts with `[code]`. */
  async expectThrows(as: Member | Identity, code: string, name: string, ...args: string[]): Promise<void> {
    const identity = 'identity' in as ? as.identity : as;
    const before = this.ledger.size;
    await expect(this.ledger.submit(identity, name, args)).rejects.toThrow(new RegExp(`^\\[${code}\\] `));
    expect(this.ledger.size).toBe(before);
  }

  nextId(prefix: string): string {
    return `${prefix}-${++this.#n}`;
  }

  consentMessage(overrides: Partial<ConsentMessage> = {}): ConsentMessage {
    return {
      consentId: this.nextId('consent'),
      subjectToken: SUBJECT,
      grantee: 'lenderA',
      products: ['score-1', 'check-1'],
      purpose: 'pre_loan',
      validUntil: this.nowSeconds + 30 * 86400,
      issuedAt: this.nowSeconds - 60,
      ...overrides,
    };
  }

  async signConsent(message: ConsentMessage, wallet: Wallet = this.subjectWallet): Promise<string> {
    const t = consentTypedData(message);
    return wallet.signTypedData(t.domain, t.types, t.message);
  }

  /** Grants a consent (signed by the subject's signer) and returns its message. */
  async grant(overrides: Partial<ConsentMessage> = {}, as: Member = this.m.lenderA): Promise<ConsentMessage> {
    const message = this.consentMessage(overrides);
    const result = await this.submit(as, 'consents:Grant', JSON.stringify(message), await this.signConsent(message));
    expect(result.denied).toBeUndefined();
    return message;
  }

  async signRevocation(consentId: string, wallet: Wallet = this.subjectWallet, subjectToken = SUBJECT): Promise<string> {
    const t = revocationTypedData({ consentId, subjectToken });
    return wallet.signTypedData(t.domain, t.types, t.message);
  }

  agreement(overrides: Partial<UsageContractMessage> = {}): UsageContractMessage {
    return {
      contractId: this.nextId('contract'),
      productId: 'score-1',
      provider: 'provider',
      consumer: 'lenderA',
      purpose: 'pre_loan',
      validUntil: this.nowSeconds + 90 * 86400,
      maxUses: 100,
      ratePerMinute: 10,
      policyHash: HASH,
      ...overrides,
    };
  }

  async signAgreement(message: UsageContractMessage, wallet: Wallet): Promise<string> {
    const t = usageContractTypedData(message);
    return wallet.signTypedData(t.domain, t.types, t.message);
  }

  /** Agrees a contract signed by both parties' wallets and returns its message. */
  async agree(overrides: Partial<UsageContractMessage> = {}): Promise<UsageContractMessage> {
    const a = this.agreement(overrides);
    const provider = this.m[a.provider as MemberName];
    const consumer = this.m[a.consumer as MemberName];
    const result = await this.submit(
      consumer,
      'contracts:Agree',
      JSON.stringify(a),
      await this.signAgreement(a, provider.wallet),
      await this.signAgreement(a, consumer.wallet),
    );
    expect(result.denied).toBeUndefined();
    return a;
  }

  async receipt(overrides: Partial<ReceiptMessage>, wallet: Wallet = this.m.provider.wallet): Promise<ReceiptMessage & { signature: string }> {
    const message: ReceiptMessage = {
      receiptId: this.nextId('receipt'),
      contractId: 'none',
      consentId: 'none',
      productId: 'score-1',
      modelVersion: '1.0.0',
      subjectToken: SUBJECT,
      outputHash: HASH,
      issuedAt: this.nowSeconds,
      ...overrides,
    };
    const t = receiptTypedData(message);
    return { ...message, signature: await wallet.signTypedData(t.domain, t.types, t.message) };
  }
}

/** Builds the consortium: initialised, members admitted, subject registered, products published. */
export async function newConsortium(): Promise<Consortium> {
  const c = new Consortium();
  for (const [name, roles] of Object.entries(MEMBERS)) {
    c.m[name as MemberName] = { id: name, identity: identityOf(name), wallet: walletOf(name), roles: [...roles] };
  }
  const info = (m: Member) => ({ id: m.id, name: `${m.id} Ltd`, roles: m.roles, signerAddress: m.wallet.address });
  await c.submit(c.m.regulator, 'institutions:Initialize', JSON.stringify(info(c.m.regulator)));
  for (const m of Object.values(c.m)) {
    if (m.id === 'regulator') continue;
    await c.submit(c.m.regulator, 'institutions:Admit', JSON.stringify({ ...info(m), ...m.identity }));
  }
  await c.submit(c.m.operator, 'subjects:Register', SUBJECT, JSON.stringify([c.subjectWallet.address]));
  const product = (id: string, kind: string) => ({
    id,
    name: `${id} product`,
    kind,
    classification: 2,
    policy: { purposes: ['pre_loan', 'in_loan', 'post_loan'] },
    outputSchemaHash: HASH,
    modelVersion: '1.0.0',
  });
  await c.submit(c.m.provider, 'products:Publish', JSON.stringify(product('score-1', 'score')));
  await c.submit(c.m.provider, 'products:Publish', JSON.stringify(product('check-1', 'check')));
  return c;
}
