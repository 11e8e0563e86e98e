export * from './ledger-client.js';
export * from './errors.js';
export * from './denial.js';
export * from './embedded/index.js';
