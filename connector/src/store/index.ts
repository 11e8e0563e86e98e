export {
  openStore,
  type ConnectorStore,
  type ContractUsageRecord,
  type LocalProduct,
  type StoreOptions,
} from './store.js';
export { JsonCollection, type KeyRange } from './json-collection.js';
export { Outbox, type OutboxEntry } from './outbox.js';
export { NonceStore } from './nonce-store.js';
export { StateRecordStore, type StateRecord, type RecordUpdate } from './state-record-store.js';
