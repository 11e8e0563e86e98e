/** Direct calls to the gateway, for test set-up and for checking what the CLI did. */
export interface ApiAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** Calls the gateway at `url` with an API key; returns status and parsed body. */
export async function api(url: string, apiKey: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiAnswer> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
