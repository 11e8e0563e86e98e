/**
 * Module aliases shared by every vitest config: tests run the ESM workspaces from source.
 * The chaincode is not aliased: it is imported from its tsc build (chaincode/dist), because
 * esbuild emits no decorator metadata and fabric-contract-api needs it.
 */
export function workspaceAliases(root: string): { find: RegExp; replacement: string }[] {
  return [
    { find: /^@xinlian\/(network|connector|gateway|scripts)$/, replacement: `${root}$1/src/index.ts` },
    { find: /^@xinlian\/(network|connector|gateway|scripts)\/(.+)$/, replacement: `${root}$1/src/$2` },
  ];
}
