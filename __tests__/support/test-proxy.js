// @ts-check
// A small forward proxy for tests, as a self-hosted runner's corporate proxy behaves: plain HTTP
// forwarding of absolute-URI requests and CONNECT tunnelling, with a log of what passed through.
// It resolves the target itself from a fixed host map (the client never resolves it), and it never
// connects anywhere but 127.0.0.1: any host the map does not name is refused with 502.
import http from 'node:http'
import net from 'node:net'

/**
 * @param {import('./test-proxy').TestProxyOptions} [options]
 * @returns {Promise<import('./test-proxy').TestProxy>}
 */
export async function startTestProxy(options = {}) {
  const hosts = new Set(Object.keys(options.hosts ?? {}).map(host => host.toLowerCase()))
  const expectedAuth = options.auth ? `Basic ${Buffer.from(options.auth).toString('base64')}` : undefined
  /** @type {import('./test-proxy').ProxyLogEntry[]} */
  const requests = []
  /** @type {Set<net.Socket>} */
  const sockets = new Set()

  /**
   * Where the proxy connects for a target host: 127.0.0.1 for a mapped host, nothing otherwise.
   * @param {string} host
   */
  const resolveTarget = host => (hosts.has(host.toLowerCase()) ? '127.0.0.1' : undefined)

  /**
   * Logs the request and checks the proxy credentials; returns false (after logging) when they are wrong.
   * @param {http.IncomingMessage} req
   * @param {string} target
   */
  function admit(req, target) {
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
    /** @param {number} status @param {string} message @param {Record<string, string>} [headers] */
    const refuse = (status, message, headers = {}) => {
      entry.status = status
      res.writeHead(status, { 'content-type': 'text/plain', ...headers })
      res.end(message)
    }
    if (!entry.authorized) return refuse(407, 'Proxy authentication required', PROXY_AUTHENTICATE)
    /** @type {URL} */
    let url
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

  server.on('connect', (/** @type {http.IncomingMessage} */ req, /** @type {net.Socket} */ client, head) => {
    const target = req.url ?? ''
    const entry = admit(req, target)
    /** @param {string} statusLine */
    const refuse = statusLine => {
      entry.status = Number(statusLine.split(' ')[0])
      client.end(
        `HTTP/1.1 ${statusLine}\r\n${statusLine.startsWith('407') ? 'Proxy-Authenticate: Basic realm="test"\r\n' : ''}\r\n`
      )
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

  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(undefined))
  })
  const port = /** @type {net.AddressInfo} */ (server.address()).port

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    clearRequests() {
      requests.length = 0
    },
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise(resolve => server.close(() => resolve(undefined)))
    }
  }
}

const PROXY_AUTHENTICATE = { 'proxy-authenticate': 'Basic realm="test"' }
