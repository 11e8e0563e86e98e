/**
 * What `npm start` prints once the gateway is up. It names the credentials file and shows
 * how to read a key from it; it never prints a key itself (terminals are logged, shared and
 * scrolled back by others).
 */
export interface BannerInput {
  /** Where the consortium runs, e.g. `on the embedded ledger`. */
  readonly on: string;
  readonly seconds: number;
  readonly url: string;
  /** Path of credentials.json. */
  readonly credentials: string;
  /** Number of institutions with a key in it. */
  readonly institutions: number;
}

export function startBanner(b: BannerInput): string {
  const key = (id: string): string => `$(node -p "require('${b.credentials}').institutions['${id}'].apiKey")`;
  return `
xinlian is up ${b.on} in ${b.seconds.toFixed(1)} s: ${b.url}  (API docs: ${b.url}/docs)
Credentials (API keys of the ${b.institutions} institutions, subject signer keys; keep it private): ${b.credentials}

Try:
  LENDER_KEY=${key('microloan-a')}
  REGULATOR_KEY=${key('regulator')}
  curl -s ${b.url}/v1/catalog -H "Authorization: Bearer $LENDER_KEY"
  curl -s ${b.url}/v1/institutions -H "Authorization: Bearer $LENDER_KEY"
  curl -s ${b.url}/v1/audit/integrity -H "Authorization: Bearer $REGULATOR_KEY"

Ctrl-C stops it; the next npm start reopens the same data (--reset starts over).`;
}
