'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, served by fabric-shim */
/**
 * The put-only baseline chaincode of the Fabric benchmark (scripts/src/bench/fabric-bench.ts):
 * fabric-shim's low-level ChaincodeInterface, one function, no validation beyond the arguments.
 *
 *   put(key, value) → putState(key, value), returns "" (status 200)
 *
 * Anything else is refused with status 500 and a `[CC_BAD_REQUEST]` message.
 * `node index.js` serves it as a chaincode service (see ../baseline.sh); the environment gives
 * CHAINCODE_ID, CHAINCODE_ADDRESS and the TLS files CHAINCODE_TLS_{CERT,KEY,CLIENT_CA}_FILE.
 */
const { readFileSync } = require('node:fs');
const shim = require('fabric-shim');

class BaselineChaincode {
  /** Nothing to initialise. */
  async Init() {
    return shim.success();
  }

  /** Dispatches `put`; refuses any other function or argument count. */
  async Invoke(stub) {
    const { fcn, params } = stub.getFunctionAndParameters();
    if (fcn !== 'put') return shim.error(`[CC_BAD_REQUEST] unknown function ${fcn}`);
    if (params.length !== 2 || params[0].length === 0) {
      return shim.error('[CC_BAD_REQUEST] put takes a non-empty key and a value');
    }
    await stub.putState(params[0], Buffer.from(params[1], 'utf8'));
    return shim.success(Buffer.alloc(0));
  }
}

/** Starts the chaincode service from the environment; exits 1 when a setting is missing. */
async function serve(env) {
  const need = (name) => {
    const value = env[name];
    if (!value) throw new Error(`missing environment variable ${name}`);
    return value;
  };
  const server = shim.server(new BaselineChaincode(), {
    ccid: need('CHAINCODE_ID'),
    address: need('CHAINCODE_ADDRESS'),
    tlsProps: {
      cert: readFileSync(need('CHAINCODE_TLS_CERT_FILE')),
      key: readFileSync(need('CHAINCODE_TLS_KEY_FILE')),
      clientCACerts: readFileSync(need('CHAINCODE_TLS_CLIENT_CA_FILE')),
    },
  });
  await server.start();
}

module.exports = { BaselineChaincode };

if (require.main === module) {
  serve(process.env).catch((e) => {
    console.error(`baseline chaincode: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
