// Self-hosted runners often reach AWS only through a proxy. The bundled action, configured only through
// HTTP_PROXY / HTTPS_PROXY / NO_PROXY, sends its requests through a forward proxy on 127.0.0.1 (plain
// forwarding for http, a CONNECT tunnel for https with a test CA trusted through NODE_EXTRA_CA_CERTS),
// and goes direct when NO_PROXY matches, never showing the proxy's password.
//
// The endpoint is a made-up name under the reserved .test TLD: @actions/http-client's getProxyUrl (which
// the action uses, as the toolkit does) never proxies loopback hosts. Only the proxy can resolve the name
// (to the local server on 127.0.0.1), as a corporate proxy resolves names the runner cannot.
import { request } from 'node:http'
import { describe, expect, it } from '@jest/globals'
import { startTestProxy, type TestProxy } from '../support/test-proxy.js'
import {
  afterThisTest,
  expectNoCredentials,
  expectOnlyOwnCommands,
  makeTestCa,
  runStep,
  startServer,
  type StepResult,
  visibleText
} from '../support/harness.js'

const APP = 'd1a2b3c4d5e6f7'
const HOST = 'amplify.local.test'
const USER = 'runner'
const PASSWORD = 'pr0xy-s3cret%&'
const CREDENTIALS = `${USER}:${encodeURIComponent(PASSWORD)}`

async function startProxy(auth?: string): Promise<TestProxy> {
  const proxy = await startTestProxy({ hosts: { [HOST]: '127.0.0.1' }, auth })
  afterThisTest(() => proxy.close())
  return proxy
}

/** What passed through the proxy: `METHOD target status`, and whether it carried (right) credentials. */
function passed(proxy: TestProxy): string[] {
  return proxy.requests.map(
    r => `${r.method} ${r.target} ${r.status}${r.proxyAuthorization ? ` auth ${r.authorized}` : ''}`
  )
}

/** Neither the proxy password (plain, URL-encoded, base64 as in a Basic header) nor the user name with it shows. */
function expectNoProxyCredentials(result: StepResult): void {
  expectNoCredentials(result, [PASSWORD, `${USER}:${PASSWORD}`])
  expect(visibleText(result)).not.toContain(`${USER}:`)
}

const UNSET = Object.fromEntries(
  ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY']
    .flatMap(name => [name, name.toLowerCase()])
    .map(name => [name, undefined])
)

describe('through a forward proxy on 127.0.0.1', () => {
  const ca = makeTestCa(HOST) // a CA and a certificate for HOST, for the TLS server behind the tunnel

  it.concurrent(
    'HTTP_PROXY with an http endpoint: every request is forwarded, with its credentials',
    async () => {
      const server = await startServer({ cancelDelayMs: Infinity })
      server.addJob(APP, 'feature/login', { status: 'RUNNING' })
      const proxy = await startProxy(`${USER}:${PASSWORD}`)
      const endpoint = `http://${HOST}:${server.port}`

      const result = await runStep(server, {
        endpoint,
        inputs: { 'app-id': APP, 'branch-name': 'feature/login' },
        env: {
          ...UNSET,
          HTTP_PROXY: `http://${CREDENTIALS}@127.0.0.1:${proxy.port}`,
          NO_PROXY: 'example.com'
        }
      })

      expect(result.exitCode).toBe(0)
      const jobs = `${endpoint}/apps/${APP}/branches/feature%2Flogin/jobs`
      expect(passed(proxy)).toEqual([
        `GET ${jobs}?maxResults=50 200 auth true`,
        `DELETE ${jobs}/1/stop 200 auth true`
      ])
      expect(server.requests.map(r => `${r.operation} ${r.status} ${r.signature}`)).toEqual([
        'ListJobs 200 valid',
        'StopJob 200 valid'
      ])
      expect(result.stdout).toContain(`through the proxy http://127.0.0.1:${proxy.port}`)
      expectOnlyOwnCommands(result.stdout)
      expectNoProxyCredentials(result)
    }
  )

  it.concurrent(
    'HTTPS_PROXY with an https endpoint: a CONNECT tunnel, TLS trusted through NODE_EXTRA_CA_CERTS',
    async () => {
      const server = await startServer({ tls: { key: ca.key, cert: ca.cert }, cancelDelayMs: Infinity })
      server.addJob(APP, 'main', { status: 'SUCCEED' })
      server.addJob(APP, 'main', { status: 'RUNNING' })
      const proxy = await startProxy(`${USER}:${PASSWORD}`)

      const result = await runStep(server, {
        endpoint: `https://${HOST}:${server.port}`,
        inputs: { 'app-id': APP, 'branch-name': 'main' },
        env: {
          ...UNSET,
          HTTPS_PROXY: `http://${CREDENTIALS}@127.0.0.1:${proxy.port}`,
          NODE_EXTRA_CA_CERTS: ca.caFile
        }
      })

      expect(result.exitCode).toBe(0)
      expect(new Set(passed(proxy))).toEqual(new Set([`CONNECT ${HOST}:${server.port} 200 auth true`]))
      expect(server.requests.map(r => `${r.operation} ${r.status} ${r.signature}`)).toEqual([
        'ListJobs 200 valid',
        'StopJob 200 valid'
      ])
      expect(result.outputs).toMatchObject({ 'job-id': '2', status: 'CANCELLING', 'stopped-count': '1' })
      expectOnlyOwnCommands(result.stdout)
      expectNoProxyCredentials(result)
    }
  )

  it.concurrent(
    'without the test CA, the tunnel is made but the certificate refused: TLS is verified',
    async () => {
      const server = await startServer({ tls: { key: ca.key, cert: ca.cert } })
      server.addJob(APP, 'main', { status: 'RUNNING' })
      const proxy = await startProxy()

      const result = await runStep(server, {
        endpoint: `https://${HOST}:${server.port}`,
        inputs: { 'app-id': APP, 'branch-name': 'main' },
        env: { ...UNSET, HTTPS_PROXY: proxy.url, AWS_MAX_ATTEMPTS: '1' }
      })

      expect(passed(proxy)).toEqual([`CONNECT ${HOST}:${server.port} 200`])
      expect(server.requests).toEqual([])
      expect(result.errors.map(e => e.message)).toEqual([expect.stringMatching(/certificate/i)])
    }
  )

  it.concurrent.each<[string, string | undefined]>([
    ['NO_PROXY matching its domain with a leading dot', '.local.test'],
    ['NO_PROXY matching host:port among others', `example.com, ${HOST}:{port}`],
    ['no proxy variable at all', undefined]
  ])('%s: the action goes direct, and the unresolvable name fails as a network error', async (_, given) => {
    const server = await startServer()
    const proxy = await startProxy()
    const noProxy = given?.replace('{port}', String(server.port))

    const result = await runStep(server, {
      endpoint: `https://${HOST}:${server.port}`,
      inputs: { 'app-id': APP, 'branch-name': 'main' },
      env: {
        ...UNSET,
        ...(noProxy ? { HTTPS_PROXY: proxy.url, NO_PROXY: noProxy } : {}),
        AWS_MAX_ATTEMPTS: '1'
      }
    })

    expect(proxy.requests).toEqual([])
    expect(result.stdout).not.toContain('through the proxy')
    expect(result.errors.map(e => e.message)).toEqual([
      expect.stringMatching(
        /^Could not reach Amplify for ListJobs \((ENOTFOUND|EAI_AGAIN): .*amplify\.local\.test.*Check the runner's network or proxy \(HTTPS_PROXY, NO_PROXY\)/
      )
    ])
  })

  it.concurrent.each([
    ['host:port with no scheme, as curl accepts it', 'localhost:{port}'],
    ['user:password@host:port with no scheme', `${CREDENTIALS}@localhost:{port}`]
  ])('HTTP_PROXY as %s is used too', async (_, value) => {
    const server = await startServer()
    server.addJob(APP, 'main', { status: 'RUNNING' })
    const proxy = await startProxy()

    const result = await runStep(server, {
      endpoint: `http://${HOST}:${server.port}`,
      inputs: { 'app-id': APP, 'branch-name': 'main' },
      env: { ...UNSET, HTTP_PROXY: value.replace('{port}', String(proxy.port)), AWS_MAX_ATTEMPTS: '1' }
    })

    expect(result.exitCode).toBe(0)
    expect(proxy.requests.map(r => r.method)).toEqual(['GET', 'DELETE'])
    expect(result.stdout).toContain(`through the proxy http://localhost:${proxy.port}\n`)
    expectNoProxyCredentials(result)
  })

  it('the test proxy refuses hosts it does not map, so no test reaches anything but 127.0.0.1', async () => {
    const proxy = await startProxy()
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: proxy.port, method: 'CONNECT', path: 'example.com:443' })
      req.on('error', reject).on('connect', (res, socket) => {
        socket.destroy()
        resolve(res.statusCode ?? 0)
      })
      req.end()
    })
    expect(status).toBe(502)
    expect(passed(proxy)).toEqual(['CONNECT example.com:443 502'])
  })
})
