export * from './ledger-client.js';
export * from './errors.js';
