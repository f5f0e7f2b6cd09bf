/** HTTP as the engine sees it: opaque bodies, so the engine knows nothing about Matrix. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpRequest {
  readonly method: HttpMethod;
  /** The raw path including the version prefix, without the query string. */
  readonly path: string;
  /** The raw query string without `?`, or ''. */
  readonly query: string;
  readonly body: unknown;
  /** The client's address as the router sees it (ip_hash balancing, UIA ips table). */
  readonly ip: string;
  readonly userAgent: string;
  /** The Cookie header the client sends, if any (sticky-cookie balancing). */
  readonly cookie?: string;
  /** The `Authorization: Bearer` access token, if any (the account endpoints, uia §2.5). */
  readonly accessToken?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly body: unknown;
  /** Node id of the process that produced the response (-1: the router itself, e.g. a 502). */
  readonly servedBy: number;
  /** A Set-Cookie header (the router's sticky cookie). */
  readonly setCookie?: string;
}

export function httpResponse(status: number, body: unknown, servedBy = -1): HttpResponse {
  return { status, body, servedBy };
}
