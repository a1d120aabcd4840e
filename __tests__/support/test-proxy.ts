// A small forward proxy for tests, as a self-hosted runner's corporate proxy behaves: plain HTTP forwarding of
// absolute-URI requests and CONNECT tunnelling, with a log of what passed through. It resolves the target itself
// from a fixed host map (the client never resolves it), and it never connects anywhere but 127.0.0.1: any host
// the map does not name is refused with 502.
import http from 'node:http'
import net from 'node:net'

export interface TestProxyOptions {
  /**
   * The host names the proxy forwards to, all to 127.0.0.1 (the proxy resolves them, as a corporate proxy
   * resolves names the runner cannot). Every other host is refused with 502.
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
  /** Stops listening and destroys open sockets and tunnels. */
  close(): Promise<void>
}

const PROXY_AUTHENTICATE = { 'proxy-authenticate': 'Basic realm="test"' }

export async function startTestProxy(options: TestProxyOptions = {}): Promise<TestProxy> {
  const hosts = new Set(Object.keys(options.hosts ?? {}).map(host => host.toLowerCase()))
  const expectedAuth = options.auth ? `Basic ${Buffer.from(options.auth).toString('base64')}` : undefined
  const requests: ProxyLogEntry[] = []
  const sockets = new Set<net.Socket>()

  /** Where the proxy connects for a target host: 127.0.0.1 for a mapped host, nowhere otherwise. */
  const resolveTarget = (host: string) => (hosts.has(host.toLowerCase()) ? '127.0.0.1' : undefined)

  /** Logs the request, with whether its proxy credentials are right. */
  function admit(req: http.IncomingMessage, target: string): ProxyLogEntry {
    const auth = req.headers['proxy-authorization']
    const entry = {
      method: req.method ?? '',
      target,
      authorized: expectedAuth === undefined || auth === expectedAuth,
      proxyAuthorization: auth !== undefined,
      status: 0
    }
    requests.push(entry)
    return entry
  }

  const server = http.createServer((req, res) => {
    const entry = admit(req, req.url ?? '')
    const refuse = (status: number, message: string, headers: Record<string, string> = {}) => {
      entry.status = status
      res.writeHead(status, { 'content-type': 'text/plain', ...headers })
      res.end(message)
    }
    if (!entry.authorized) return refuse(407, 'Proxy authentication required', PROXY_AUTHENTICATE)
    let url: URL
    try {
      url = new URL(req.url ?? '')
    } catch {
      return refuse(400, 'A proxy request needs an absolute URI')
    }
    const address = url.protocol === 'http:' ? resolveTarget(url.hostname) : undefined
    if (!address) return refuse(502, `The test proxy does not forward to ${url.host}`)
    const headers = { ...req.headers }
    delete headers['proxy-authorization']
    delete headers['proxy-connection']
    // The Host header stays as the client sent it: the request is signed over it.
    const upstream = http.request(
      {
        host: address,
        port: Number(url.port || 80),
        method: req.method,
        path: `${url.pathname}${url.search}`,
        headers,
        setHost: false
      },
      upstreamRes => {
        entry.status = upstreamRes.statusCode ?? 0
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers)
        upstreamRes.pipe(res)
      }
    )
    upstream.on('error', error => {
      if (res.headersSent) res.destroy()
      else refuse(502, `Upstream failed: ${error.message}`)
    })
    req.pipe(upstream)
  })

  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const target = req.url ?? ''
    const entry = admit(req, target)
    const refuse = (statusLine: string) => {
      entry.status = Number(statusLine.split(' ')[0])
      const authenticate = statusLine.startsWith('407') ? 'Proxy-Authenticate: Basic realm="test"\r\n' : ''
      client.end(`HTTP/1.1 ${statusLine}\r\n${authenticate}\r\n`)
    }
    if (!entry.authorized) return refuse('407 Proxy Authentication Required')
    const match = /^([^:[\]]+|\[[^\]]+\]):([0-9]{1,5})$/.exec(target)
    const address = match ? resolveTarget(match[1]) : undefined
    if (!match || !address) return refuse('502 Bad Gateway')
    const upstream = net.connect(Number(match[2]), address, () => {
      entry.status = 200
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    upstream.on('error', () =>
      client.writable && entry.status === 0 ? refuse('502 Bad Gateway') : client.destroy()
    )
    client.on('error', () => upstream.destroy())
  })

  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as net.AddressInfo).port

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise(resolve => server.close(() => resolve(undefined)))
    }
  }
}
