/**
 * @xinlian/gateway — the HTTP API v1 of shared/API.md (fastify 5).
 *
 * `buildApp(options)` builds the app (no listening); `startGateway(options)` reads
 * PORT/HOST/LOG_LEVEL and listens. The gateway reaches the ledger and other institutions only
 * through the `Services` it is given.
 */
export { buildApp, type AppOptions } from './app.js';
export { startGateway, readListenConfig, type ListenConfig, type RunningGateway } from './server.js';
export * from './services.js';
export {
  createMemoryApiKeyStore,
  generateApiKey,
  hashApiKey,
  MIN_API_KEY_LENGTH,
  type ApiKeyEntry,
  type ApiKeyRecord,
  type ApiKeyStore,
  type IssuingApiKeyStore,
} from './auth/api-key-store.js';
export { openGatewayStore, type DurableApiKeyStore, type GatewayStore, type GatewayStoreOptions } from './store/gateway-store.js';
export { createMemoryIdempotencyStore, IDEMPOTENCY_TTL_MS, type IdempotencyRecord, type IdempotencyStore } from './store/idempotency-store.js';
export { createRefusalRecorder, type Refusal, type RefusalRecorder, type RefusalRecorderOptions } from './refusals.js';
export { GatewayError, GatewayErrorCode, isGatewayError, isCodedError, CodedError } from './errors.js';
export { mapError, type MappedError, type PublicErrorBody, type PublicErrorCode } from './error-map.js';
export { isUsccFormat } from './uscc-format.js';
export { createConnectorServices, lendingBatchId, negotiationId, reportRequestId, type ConnectorServicesOptions } from './connector-services.js';
