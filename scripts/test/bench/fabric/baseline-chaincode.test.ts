import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The put-only baseline chaincode that network/fabric/baseline.sh serves (plain CommonJS).
const require = createRequire(import.meta.url);
const path = fileURLToPath(new URL('../../../../network/fabric/baseline-chaincode/index.js', import.meta.url));
const { BaselineChaincode } = require(path) as {
  BaselineChaincode: new () => {
    Init(stub: unknown): Promise<{ status: number }>;
    Invoke(stub: unknown): Promise<{ status: number; message?: string; payload?: Buffer }>;
  };
};

function stubOf(fcn: string, params: string[]): { stub: unknown; writes: Map<string, string> } {
  const writes = new Map<string, string>();
  const stub = {
    getFunctionAndParameters: () => ({ fcn, params }),
    putState: async (key: string, value: Buffer) => { writes.set(key, value.toString('utf8')); },
  };
  return { stub, writes };
}

describe('baseline chaincode', () => {
  const cc = new BaselineChaincode();

  it('initialises with nothing to do', async () => {
    expect((await cc.Init(stubOf('', []).stub)).status).toBe(200);
  });

  it('puts the value under the key and returns an empty payload', async () => {
    const { stub, writes } = stubOf('put', ['k1', '{"a":1}']);
    const response = await cc.Invoke(stub);
    expect(response.status).toBe(200);
    expect(response.payload?.length).toBe(0);
    expect([...writes]).toEqual([['k1', '{"a":1}']]);
  });

  it('refuses other functions and bad arguments with a coded error, writing nothing', async () => {
    for (const [fcn, params] of [['get', ['k1']], ['put', ['k1']], ['put', ['', 'v']], ['put', ['a', 'b', 'c']]] as const) {
      const { stub, writes } = stubOf(fcn, [...params]);
      const response = await cc.Invoke(stub);
      expect(response.status).toBe(500);
      expect(response.message).toMatch(/^\[CC_BAD_REQUEST\] /);
      expect(writes.size).toBe(0);
    }
  });
});
