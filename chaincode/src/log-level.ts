/**
 * fabric-contract-api logs every decorator at `info` when the contracts load, which floods
 * the output of every package that imports this one. Default its level to WARNING unless the
 * operator set `CORE_CHAINCODE_LOGGING_LEVEL`. Imported first by index.ts, before the contracts.
 */
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'WARNING';
export {};
