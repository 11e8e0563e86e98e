/**
 * A requester outside any connector: a libp2p node and request/response service with given
 * keys, that trusts a fixed directory instead of the ledger. Used to send what a connector
 * would not (another consumer's contract, malformed bodies) or could not (a suspended
 * institution cannot read the ledger, so its own connector cannot even resolve the provider).
 */
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { Libp2p } from '@libp2p/interface';
import { Wallet } from 'ethers';
import type { Connector } from '../../../src/connector.js';
import { loadOrCreateInstitutionKeys } from '../../../src/identity/index.js';
import {
  createP2PNode,
  createRequestResponse,
  isP2PError,
  type JsonValue,
  type RequestResponseService,
} from '../../../src/p2p/index.js';

export interface RawRequester {
  readonly node: Libp2p;
  readonly rr: RequestResponseService;
  /** Sends `body` to the provider; resolves with its OK body or its refusal. */
  ask(protocol: string, body: JsonValue | undefined): Promise<Answer>;
  stop(): Promise<void>;
}

export type Answer =
  | { readonly status: 'OK'; readonly body: JsonValue | undefined }
  | { readonly status: string; readonly code: string; readonly message: string; readonly rule?: string };

/**
 * Starts a requester as `institutionId`: with the institution's stored keys (`keysDir`), or
 * with fresh random keys (a stranger). It trusts `provider` as the ledger would.
 */
export async function startRawRequester(o: {
  institutionId: string;
  provider: Connector;
  keysDir?: string;
}): Promise<RawRequester> {
  const keys = o.keysDir
    ? await loadOrCreateInstitutionKeys(o.keysDir)
    : { wallet: new Wallet(Wallet.createRandom().privateKey), libp2pPrivateKey: await generateKeyPair('Ed25519') };
  const node = await createP2PNode({ privateKey: keys.libp2pPrivateKey, listen: [] });
  const { peerId, addresses } = o.provider.endpoint;
  const providerPeer = { institutionId: o.provider.institutionId, signerAddress: o.provider.wallet.address };
  const rr = createRequestResponse({
    node,
    signer: keys.wallet,
    institutionId: o.institutionId,
    authorizePeer: async (id) => (id === peerId ? providerPeer : undefined),
  });
  await rr.start();
  return {
    node,
    rr,
    async ask(protocol, body) {
      try {
        return { status: 'OK', body: await rr.request(addresses, protocol, body, { expectInstitution: providerPeer.institutionId }) };
      } catch (e) {
        if (isP2PError(e) && e.remote) {
          const { status, code, message, rule } = e.remote;
          return rule === undefined ? { status, code, message } : { status, code, message, rule };
        }
        if (isP2PError(e)) return { status: 'LOCAL', code: e.code, message: e.message };
        throw e;
      }
    },
    async stop() {
      await rr.stop();
      await node.stop();
    },
  };
}
