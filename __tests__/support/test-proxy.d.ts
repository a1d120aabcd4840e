// Types for test-proxy.js, a forward proxy on 127.0.0.1 for tests. Hand-written: keep in step with the
// JavaScript module beside it.

export interface TestProxyOptions {
  /**
   * The host names the proxy forwards to, all to 127.0.0.1 (the proxy resolves them, as a corporate proxy
   * resolves names the runner cannot). Every other host is refused with 502. The value is ignored.
   */
  hosts?: Record<string, '127.0.0.1'>
  /** `user:password`: require this Basic Proxy-Authorization (else 407). Default: no authentication. */
  auth?: string
}

/** One request the proxy received. */
export interface ProxyLogEntry {
  /** GET, DELETE, ... for a forwarded request; CONNECT for a tunnel. */
  method: string
  /** The absolute URI of a forwarded request, or host:port of a CONNECT. */
  target: string
  /** Whether the Proxy-Authorization matched (true when no authentication is required). */
  authorized: boolean
  /** Whether the request carried a Proxy-Authorization header at all (its value is never logged). */
  proxyAuthorization: boolean
  /** The status the proxy answered (200 for an established tunnel); 0 while pending. */
  status: number
}

export interface TestProxy {
  /** http://127.0.0.1:<port> */
  readonly url: string
  readonly port: number
  /** Every request received, in arrival order. The same array for the proxy's lifetime. */
  readonly requests: ProxyLogEntry[]
  clearRequests(): void
  /** Stops listening and destroys open sockets and tunnels. */
  close(): Promise<void>
}

export declare function startTestProxy(options?: TestProxyOptions): Promise<TestProxy>
