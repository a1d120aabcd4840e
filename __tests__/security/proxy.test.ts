// Self-hosted runners often reach AWS only through a proxy. The bundled action, configured only through
// HTTP_PROXY / HTTPS_PROXY / NO_PROXY, sends its requests through a forward proxy on 127.0.0.1 (plain
// forwarding for http, a CONNECT tunnel for https with a test CA trusted through NODE_EXTRA_CA_CERTS),
// and goes direct when NO_PROXY matches.
//
// The endpoint is a made-up name under the reserved .test TLD: @actions/http-client's getProxyUrl (which
// the action uses, as the toolkit does) never proxies loopback hosts. Only the proxy can resolve the name
// (to the local server on 127.0.0.1), as a corporate proxy resolves names the runner cannot.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { startTestProxy, type TestProxy } from '../support/test-proxy.js'
import {
  afterThisTest,
  expectOnlyOwnCommands,
  makeTestCa,
  runStep,
  startServer,
  type StepResult,
  type TestCa
} from '../support/harness.js'

const APP_ID = 'd1a2b3c4d5e6f7'
const HOST = 'amplify.local.test'
const PROXY_USER = 'runner'
const PROXY_PASSWORD = 'pr0xy-s3cret%&'

async function startProxy(auth?: string): Promise<TestProxy> {
  const proxy = await startTestProxy({ hosts: { [HOST]: '127.0.0.1' }, auth })
  afterThisTest(() => proxy.close())
  return proxy
}

/** The proxy's URL with the user and password in it, as runners often set it. */
function withCredentials(proxy: TestProxy): string {
  return `http://${PROXY_USER}:${encodeURIComponent(PROXY_PASSWORD)}@127.0.0.1:${proxy.port}`
}

/** Neither the proxy password (plain, URL-encoded or in a Basic header) nor the user:password pair shows. */
function expectNoProxyCredentials(result: StepResult): void {
  const basic = Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')
  for (const text of [result.stdout, result.stderr, result.summary, JSON.stringify(result.outputs)]) {
    expect(text).not.toContain(PROXY_PASSWORD)
    expect(text).not.toContain(encodeURIComponent(PROXY_PASSWORD))
    expect(text).not.toContain(basic)
    expect(text).not.toContain(`${PROXY_USER}:`)
  }
}

const UNSET_PROXIES = {
  HTTP_PROXY: undefined,
  HTTPS_PROXY: undefined,
  NO_PROXY: undefined,
  http_proxy: undefined,
  https_proxy: undefined,
  no_proxy: undefined
}

describe('through a forward proxy on 127.0.0.1', () => {
  let ca: TestCa
  beforeAll(() => {
    ca = makeTestCa(HOST) // a CA and a certificate for HOST, for the TLS server behind the tunnel
  })

  it('(a) HTTP_PROXY with an http endpoint: every request is forwarded by the proxy, and the step succeeds', async () => {
    const server = await startServer({ cancelDelayMs: Infinity })
    server.addJob(APP_ID, 'feature/login', { status: 'RUNNING' })
    const proxy = await startProxy(`${PROXY_USER}:${PROXY_PASSWORD}`)
    const endpoint = `http://${HOST}:${server.port}`

    const result = await runStep(server, {
      endpoint,
      inputs: { 'app-id': APP_ID, 'branch-name': 'feature/login' },
      env: { ...UNSET_PROXIES, HTTP_PROXY: withCredentials(proxy), NO_PROXY: 'example.com,.internal' }
    })

    expect(result.exitCode).toBe(0)
    expect(proxy.requests).toEqual([
      {
        method: 'GET',
        target: `${endpoint}/apps/${APP_ID}/branches/feature%2Flogin/jobs?maxResults=50`,
        authorized: true,
        proxyAuthorization: true,
        status: 200
      },
      {
        method: 'DELETE',
        target: `${endpoint}/apps/${APP_ID}/branches/feature%2Flogin/jobs/1/stop`,
        authorized: true,
        proxyAuthorization: true,
        status: 200
      }
    ])
    expect(server.requests.map(r => [r.operation, r.status, r.signature])).toEqual([
      ['ListJobs', 200, 'valid'],
      ['StopJob', 200, 'valid']
    ])
    expect(result.stdout).toContain(`through the proxy http://127.0.0.1:${proxy.port}`)
    expect(result.outputs['stopped-count']).toBe('1')
    expectOnlyOwnCommands(result.stdout)
    expectNoProxyCredentials(result)
  })

  it('(b) HTTPS_PROXY with an https endpoint: a CONNECT tunnel to the TLS server, trusted through NODE_EXTRA_CA_CERTS', async () => {
    const server = await startServer({ tls: { key: ca.key, cert: ca.cert }, cancelDelayMs: Infinity })
    server.addJob(APP_ID, 'main', { status: 'SUCCEED' })
    server.addJob(APP_ID, 'main', { status: 'RUNNING' })
    const proxy = await startProxy(`${PROXY_USER}:${PROXY_PASSWORD}`)

    const result = await runStep(server, {
      endpoint: `https://${HOST}:${server.port}`,
      inputs: { 'app-id': APP_ID, 'branch-name': 'main' },
      env: { ...UNSET_PROXIES, HTTPS_PROXY: withCredentials(proxy), NODE_EXTRA_CA_CERTS: ca.caFile }
    })

    expect(result.exitCode).toBe(0)
    expect(proxy.requests.length).toBeGreaterThan(0)
    for (const entry of proxy.requests) {
      expect(entry).toEqual({
        method: 'CONNECT',
        target: `${HOST}:${server.port}`,
        authorized: true,
        proxyAuthorization: true,
        status: 200
      })
    }
    expect(server.requests.map(r => [r.operation, r.status, r.signature])).toEqual([
      ['ListJobs', 200, 'valid'],
      ['StopJob', 200, 'valid']
    ])
    expect(server.getJob(APP_ID, 'main', '2').status).toBe('CANCELLING')
    expect(result.outputs).toMatchObject({ 'job-id': '2', status: 'CANCELLING', 'stopped-count': '1' })
    expectOnlyOwnCommands(result.stdout)
    expectNoProxyCredentials(result)
  })

  it('(b) without the test CA, the tunnel is made but the certificate is refused: TLS is really verified', async () => {
    const server = await startServer({ tls: { key: ca.key, cert: ca.cert } })
    server.addJob(APP_ID, 'main', { status: 'RUNNING' })
    const proxy = await startProxy()

    const result = await runStep(server, {
      endpoint: `https://${HOST}:${server.port}`,
      inputs: { 'app-id': APP_ID, 'branch-name': 'main' },
      env: { ...UNSET_PROXIES, HTTPS_PROXY: proxy.url, AWS_MAX_ATTEMPTS: '1' }
    })

    expect(result.exitCode).toBe(1)
    expect(proxy.requests.map(r => r.method)).toEqual(['CONNECT'])
    expect(server.requests).toEqual([])
    expect(result.annotations.map(a => a.command)).toEqual(['error'])
    expect(result.annotations[0].message).toMatch(/certificate/i)
  })

  it.each([
    ['the host', HOST],
    ['its domain with a leading dot', '.local.test'],
    ['its domain', 'local.test'],
    ['host:port among others', `example.com, ${HOST}:{port}`]
  ])(
    '(c) NO_PROXY matching %s: nothing reaches the proxy, and the unresolvable name fails as a network error',
    async (_, noProxy) => {
      const server = await startServer()
      server.addJob(APP_ID, 'main', { status: 'RUNNING' })
      const proxy = await startProxy()

      const result = await runStep(server, {
        endpoint: `https://${HOST}:${server.port}`,
        inputs: { 'app-id': APP_ID, 'branch-name': 'main' },
        env: {
          ...UNSET_PROXIES,
          HTTPS_PROXY: proxy.url,
          NO_PROXY: noProxy.replace('{port}', String(server.port)),
          AWS_MAX_ATTEMPTS: '1'
        }
      })

      expect(proxy.requests).toEqual([])
      expect(server.requests).toEqual([])
      expect(result.exitCode).toBe(1)
      expect(result.stdout).not.toContain('through the proxy')
      expect(result.annotations.map(a => a.command)).toEqual(['error'])
      expect(result.annotations[0].message).toMatch(
        new RegExp(
          `^Could not reach Amplify for ListJobs \\((ENOTFOUND|EAI_AGAIN): .*${HOST.replace(/\./g, '\\.')}`
        )
      )
      expect(result.annotations[0].message).toMatch(
        /Check the runner's network or proxy \(HTTPS_PROXY, NO_PROXY\)/
      )
    }
  )

  it.each([
    ['host:port with no scheme, as curl accepts it', 'localhost:{port}'],
    [
      'user:password@host:port with no scheme',
      `${PROXY_USER}:${encodeURIComponent(PROXY_PASSWORD)}@localhost:{port}`
    ],
    ['an IP address and port with no scheme', '127.0.0.1:{port}'],
    ['an upper-case scheme', `HTTP://${PROXY_USER}:${encodeURIComponent(PROXY_PASSWORD)}@127.0.0.1:{port}`]
  ])('HTTP_PROXY as %s is used too', async (_, value) => {
    const server = await startServer()
    server.addJob(APP_ID, 'main', { status: 'RUNNING' })
    const proxy = await startProxy()

    const result = await runStep(server, {
      endpoint: `http://${HOST}:${server.port}`,
      inputs: { 'app-id': APP_ID, 'branch-name': 'main' },
      env: {
        ...UNSET_PROXIES,
        HTTP_PROXY: value.replace('{port}', String(proxy.port)),
        AWS_MAX_ATTEMPTS: '1'
      }
    })

    expect(result.exitCode).toBe(0)
    expect(proxy.requests.map(r => r.method)).toEqual(['GET', 'DELETE'])
    expect(result.stdout).toMatch(
      new RegExp(`through the proxy http://(localhost|127\\.0\\.0\\.1):${proxy.port}\\n`)
    )
    expectNoProxyCredentials(result)
  })

  it('with no proxy variable at all, the action goes direct (and this test host is not resolvable)', async () => {
    const server = await startServer()
    const proxy = await startProxy()

    const result = await runStep(server, {
      endpoint: `https://${HOST}:${server.port}`,
      inputs: { 'app-id': APP_ID, 'branch-name': 'main' },
      env: { ...UNSET_PROXIES, AWS_MAX_ATTEMPTS: '1' }
    })

    expect(result.exitCode).toBe(1)
    expect(proxy.requests).toEqual([])
    expect(result.annotations[0].message).toMatch(/^Could not reach Amplify for ListJobs/)
  })

  it('the proxy itself refuses hosts it does not map, so no test can reach anything but 127.0.0.1', async () => {
    const proxy = await startProxy()
    const { request } = await import('node:http')
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: proxy.port, method: 'CONNECT', path: 'example.com:443' })
      req.on('connect', res => {
        res.socket?.destroy()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.end()
    })
    expect(status).toBe(502)
    expect(proxy.requests).toEqual([
      {
        method: 'CONNECT',
        target: 'example.com:443',
        authorized: true,
        proxyAuthorization: false,
        status: 502
      }
    ])
  })
})
