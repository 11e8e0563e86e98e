/**
 * The demo's {@link InstitutionHost}: an institution the regulator admits through the
 * gateway without a signer address is hosted in this process, as the demo's own
 * institutions are — its signer and libp2p keys in `institutions/<id>/keys`, its own ledger
 * identity, its connector started and served by the gateway. `demo/hosted.json` lists the
 * hosted institutions; the next start reopens them.
 *
 * Order of a hosting (each step persisted before the next, so a crash anywhere is finished
 * or undone at the next start): keys in a pending directory → `admitting` entry →
 * admission (the gateway's `admit`, through the regulator's connector) → the regulator binds
 * the institution's ledger identity → keys moved into place → connector started → `hosted`.
 */
import { randomUUID } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isCodedError, type Role } from '@xinlian/chaincode';
import { createConnector, loadOrCreateInstitutionKeys, type Connector, type Logger } from '@xinlian/connector';
import type { HostInstitutionInput, InstitutionHost } from '@xinlian/gateway';
import type { DemoLedger } from './ledgers.js';
import type { PlannedInstitution } from './plan.js';
import { mkdirPrivate } from './private-files.js';

/** One line of `demo/hosted.json`. */
export interface HostedInstitution {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly mspId: string;
  /** `admitting` until the connector is started; such an entry is resolved at the next start. */
  readonly state: 'admitting' | 'hosted';
  /** Where its keys wait while `admitting` (relative to the data dir). */
  readonly pendingDir?: string;
  readonly at: string;
}

export const HOSTED_FILE = 'hosted.json';

/** The ledger organisation of a hosted institution, by its first role. */
const MSP_OF_ROLE: Readonly<Record<string, string>> = {
  regulator: 'RegulatorMSP',
  operator: 'OperatorMSP',
  provider: 'ProviderMSP',
  microlender: 'LenderMSP',
  bank: 'BankMSP',
  guarantor: 'GuarantorMSP',
  exchange: 'ExchangeMSP',
};

export interface DemoInstitutionHostOptions {
  readonly dataDir: string;
  readonly ledger: DemoLedger;
  /** The connectors the gateway serves: a hosted institution's connector is added here. */
  readonly connectors: Map<string, Connector>;
  readonly consortiumKey: string;
  /** The connectors' logger (each hosted connector logs through a child of it). */
  readonly logger?: Logger;
  /** The regulator's connector (binds the hosted institution's ledger identity). */
  readonly regulator: () => Connector;
  readonly log?: (line: string) => void;
}

export class DemoInstitutionHost implements InstitutionHost {
  readonly #o: DemoInstitutionHostOptions;
  readonly #file: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: DemoInstitutionHostOptions) {
    this.#o = options;
    this.#file = join(options.dataDir, 'demo', HOSTED_FILE);
  }

  /** Hosts one institution (one hosting at a time). */
  host(input: HostInstitutionInput, admit: (signerAddress: string) => Promise<void>): Promise<void> {
    const run = this.#queue.then(() => this.#host(input, admit));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Reopens the institutions hosted before (started connectors added to the map) and
   * resolves hostings a crash interrupted: finished when the ledger has the admission with
   * the pending keys' signer, undone otherwise.
   */
  async reopen(): Promise<void> {
    const entries = await this.#read();
    const kept: HostedInstitution[] = [];
    for (const entry of entries) {
      if (entry.state === 'hosted') {
        await this.#start(entry);
        kept.push(entry);
        continue;
      }
      const pending = join(this.#o.dataDir, entry.pendingDir ?? '');
      const keys = await loadOrCreateInstitutionKeys(join(pending, 'keys'));
      if (await this.#admitted(entry.id, keys.wallet.address)) {
        const hosted = await this.#finish(entry, pending);
        kept.push(hosted);
        this.#o.log?.(`Finished hosting ${entry.id} (interrupted by a stop).`);
      } else {
        await rm(pending, { recursive: true, force: true });
        this.#o.log?.(`Dropped the interrupted hosting of ${entry.id} (never admitted).`);
      }
    }
    await this.#write(kept);
  }

  async #host(input: HostInstitutionInput, admit: (signerAddress: string) => Promise<void>): Promise<void> {
    const entries = await this.#read();
    const mspId = MSP_OF_ROLE[input.roles[0] ?? ''] ?? 'MemberMSP';
    const pendingDir = join('institutions', '.pending', `${input.id}-${randomUUID()}`);
    const pending = join(this.#o.dataDir, pendingDir);
    await mkdirPrivate(pending);
    const keys = await loadOrCreateInstitutionKeys(join(pending, 'keys'));
    const entry: HostedInstitution = { id: input.id, name: input.name, roles: [...input.roles], mspId, state: 'admitting', pendingDir, at: new Date().toISOString() };
    await this.#write([...entries.filter((e) => !(e.id === input.id && e.state === 'admitting')), entry]);
    try {
      // The chaincode refuses an id that exists (CC_CONFLICT): nothing of an existing institution is touched before this.
      await admit(keys.wallet.address);
    } catch (e) {
      // A failure after the admission committed (a lost answer) is finished, not undone.
      if (!(await this.#admitted(input.id, keys.wallet.address))) {
        await rm(pending, { recursive: true, force: true });
        await this.#write(entries);
        throw e;
      }
    }
    const hosted = await this.#finish(entry, pending);
    await this.#write([...entries.filter((e) => e.id !== input.id), hosted]);
  }

  /** Binds the identity, moves the keys into place and starts the connector. */
  async #finish(entry: HostedInstitution, pending: string): Promise<HostedInstitution> {
    const plan = this.#plan(entry);
    const client = await this.#o.ledger.clientFor(plan);
    const bound = await this.#o.regulator().ledger.getInstitution(entry.id);
    if (bound.clientId !== client.identity.clientId || bound.mspId !== client.identity.mspId) {
      await this.#o.regulator().ledger.bindIdentity(entry.id, client.identity.mspId, client.identity.clientId);
    }
    const target = join(this.#o.dataDir, 'institutions', entry.id);
    await rm(target, { recursive: true, force: true });
    await rename(pending, target);
    const hosted: HostedInstitution = { id: entry.id, name: entry.name, roles: entry.roles, mspId: entry.mspId, state: 'hosted', at: entry.at };
    await this.#start(hosted);
    return hosted;
  }

  async #start(entry: HostedInstitution): Promise<void> {
    const connector = await createConnector({
      institutionId: entry.id,
      dataDir: join(this.#o.dataDir, 'institutions', entry.id),
      ledger: await this.#o.ledger.clientFor(this.#plan(entry)),
      consortiumKey: this.#o.consortiumKey,
      ...(this.#o.logger ? { logger: this.#o.logger } : {}),
    });
    try {
      await connector.start();
    } catch (e) {
      await connector.stop().catch(() => undefined);
      throw e;
    }
    this.#o.connectors.set(entry.id, connector);
  }

  /** True when the ledger has institution `id` admitted with this signer. */
  async #admitted(id: string, signerAddress: string): Promise<boolean> {
    const onLedger = await this.#o.regulator().ledger.getInstitution(id).catch((e: unknown) => {
      if (isCodedError(e, 'CC_NOT_FOUND')) return undefined;
      throw e;
    });
    return onLedger?.signerAddress.toLowerCase() === signerAddress.toLowerCase();
  }

  #plan(entry: HostedInstitution): PlannedInstitution {
    return { id: entry.id, name: entry.name, roles: entry.roles, mspId: entry.mspId };
  }

  async #read(): Promise<HostedInstitution[]> {
    try {
      return JSON.parse(await readFile(this.#file, 'utf8')) as HostedInstitution[];
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  }

  /** Replaces hosted.json atomically (write a temp file, rename). */
  async #write(entries: readonly HostedInstitution[]): Promise<void> {
    const tmp = `${this.#file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(entries, null, 2) + '\n', { mode: 0o600 });
    await rename(tmp, this.#file);
  }
}
