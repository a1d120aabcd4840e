// Drives the local Amplify server with the real AmplifyClient, so the tests that rely on it are known to
// be talking to something that behaves like the service on the wire.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  AmplifyClient,
  AmplifyServiceException,
  BadRequestException,
  GetBranchCommand,
  GetJobCommand,
  InternalFailureException,
  LimitExceededException,
  ListJobsCommand,
  NotFoundException,
  StopJobCommand,
  UnauthorizedException,
  type AmplifyClientConfig
} from '@aws-sdk/client-amplify'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import type { HttpRequest } from '@smithy/protocol-http'
import {
  FINAL_STATUSES,
  IN_PROGRESS_STATUSES,
  startAmplifyServer,
  TEST_CREDENTIALS,
  type AmplifyServer,
  type AmplifyServerOptions
} from './amplify-server.js'

const servers: AmplifyServer[] = []
const clients: AmplifyClient[] = []

afterEach(async () => {
  clients.splice(0).forEach(client => client.destroy())
  await Promise.all(servers.splice(0).map(server => server.close()))
})

async function start(options: AmplifyServerOptions = {}): Promise<AmplifyServer> {
  const server = await startAmplifyServer(options)
  servers.push(server)
  return server
}

function clientFor(server: AmplifyServer, config: Partial<AmplifyClientConfig> = {}): AmplifyClient {
  const client = new AmplifyClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { ...TEST_CREDENTIALS }, // a copy: the SDK writes $source onto the object
    ...config
  })
  clients.push(client)
  return client
}

/** Resolves with the error a promise rejects with; fails the test if it resolves. */
async function failure(promise: Promise<unknown>): Promise<AmplifyServiceException> {
  try {
    await promise
  } catch (error) {
    return error as AmplifyServiceException
  }
  throw new Error('expected the call to fail')
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/** How the SDK encodes a path label: encodeURIComponent plus !'()* */
const encodeLabel = (label: string) =>
  encodeURIComponent(label).replace(/[!'()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

describe('StopJob', () => {
  it('moves a running job to CANCELLING, then CANCELLED with an endTime after cancelDelayMs', async () => {
    const server = await start({ cancelDelayMs: 100 })
    server.addJob('d1', 'main', { status: 'RUNNING' })
    const client = clientFor(server)

    const { jobSummary } = await client.send(
      new StopJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' })
    )
    expect(jobSummary).toMatchObject({
      jobId: '1',
      status: 'CANCELLING',
      jobArn: 'arn:aws:amplify:us-east-1:123456789012:apps/d1/branches/main/jobs/0000000001'
    })
    expect(jobSummary?.endTime).toBeUndefined()

    await sleep(250)
    const { job } = await client.send(new GetJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' }))
    expect(job?.summary?.status).toBe('CANCELLED')
    expect(job?.summary?.endTime).toBeInstanceOf(Date)
    expect(job?.steps).toEqual([])
  })

  it.each([...IN_PROGRESS_STATUSES, 'SOME_FUTURE_STATUS'])('stops a job in %s', async status => {
    const server = await start()
    server.addJob('d1', 'main', { status })
    const { jobSummary } = await clientFor(server).send(
      new StopJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' })
    )
    expect(jobSummary?.status).toBe('CANCELLING')
  })

  it.each(FINAL_STATUSES)('rejects a job already in %s with BadRequestException', async status => {
    const server = await start()
    server.addJob('d1', 'main', { jobId: '7', status })
    const error = await failure(
      clientFor(server).send(new StopJobCommand({ appId: 'd1', branchName: 'main', jobId: '7' }))
    )
    expect(error).toBeInstanceOf(BadRequestException)
    expect(error.message).toBe(`Job 7 is already in ${status} state and cannot be stopped.`)
    expect(error.$metadata.httpStatusCode).toBe(400)
  })

  it('answers 200 and stays CANCELLING when the job is already CANCELLING', async () => {
    const server = await start({ cancelDelayMs: Infinity })
    server.addJob('d1', 'main')
    const client = clientFor(server)
    const stop = new StopJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' })
    await client.send(stop)
    const { jobSummary } = await client.send(stop)
    expect(jobSummary?.status).toBe('CANCELLING')
    expect(server.getJob('d1', 'main', '1').status).toBe('CANCELLING')
  })
})

describe('ListJobs', () => {
  it('pages newest first and omits nextToken on the last page', async () => {
    const server = await start()
    server.addJobs('d1', 'main', 5, i => ({ status: i < 4 ? 'SUCCEED' : 'RUNNING' }))
    const client = clientFor(server)

    const pages: string[][] = []
    let nextToken: string | undefined
    do {
      const page = await client.send(
        new ListJobsCommand({ appId: 'd1', branchName: 'main', maxResults: 2, nextToken })
      )
      pages.push((page.jobSummaries ?? []).map(job => job.jobId ?? ''))
      nextToken = page.nextToken
    } while (nextToken)

    expect(pages).toEqual([['5', '4'], ['3', '2'], ['1']])
    expect(server.requestsFor('ListJobs').map(r => r.query.maxResults)).toEqual(['2', '2', '2'])
  })

  it('returns full job summaries with timestamps parsed to Date', async () => {
    const server = await start()
    server.addJob('d1', 'main', { status: 'SUCCEED', jobType: 'RELEASE' })
    const { jobSummaries } = await clientFor(server).send(
      new ListJobsCommand({ appId: 'd1', branchName: 'main' })
    )
    const [summary] = jobSummaries ?? []
    expect(summary).toEqual({
      jobArn: 'arn:aws:amplify:us-east-1:123456789012:apps/d1/branches/main/jobs/0000000001',
      jobId: '1',
      commitId: expect.stringMatching(/^[0-9a-f]{40}$/),
      commitMessage: 'Commit 1',
      commitTime: new Date('2025-01-01T00:00:30Z'),
      startTime: new Date('2025-01-01T00:01:00Z'),
      endTime: new Date('2025-01-01T00:06:00Z'),
      status: 'SUCCEED',
      jobType: 'RELEASE'
    })
  })

  it('leaves out commit fields seeded as undefined, like manual deployments', async () => {
    const server = await start()
    server.addJob('d1', 'main', {
      jobType: 'MANUAL',
      commitId: undefined,
      commitMessage: undefined,
      commitTime: undefined
    })
    const { jobSummaries } = await clientFor(server).send(
      new ListJobsCommand({ appId: 'd1', branchName: 'main' })
    )
    expect(Object.keys(jobSummaries?.[0] ?? {}).sort()).toEqual([
      'jobArn',
      'jobId',
      'jobType',
      'startTime',
      'status'
    ])
  })

  it('rejects maxResults above 50 with BadRequestException naming the constraint', async () => {
    const server = await start()
    server.addJob('d1', 'main')
    const error = await failure(
      clientFor(server).send(new ListJobsCommand({ appId: 'd1', branchName: 'main', maxResults: 51 }))
    )
    expect(error).toBeInstanceOf(BadRequestException)
    expect(error.message).toContain("Value '51' at 'maxResults' failed to satisfy constraint")
    expect(error.message).toContain('less than or equal to 50')
  })

  it('uses defaultPageSize when maxResults is 0 or absent', async () => {
    const server = await start({ defaultPageSize: 3 })
    server.addJobs('d1', 'main', 4)
    const client = clientFor(server)
    for (const maxResults of [0, undefined]) {
      const page = await client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main', maxResults }))
      expect(page.jobSummaries).toHaveLength(3)
      expect(page.nextToken).toBeDefined()
    }
  })

  it('rejects a nextToken it did not issue, or one from another branch', async () => {
    const server = await start()
    server.addJobs('d1', 'main', 3)
    server.addJobs('d1', 'dev', 3)
    const client = clientFor(server)
    const { nextToken } = await client.send(
      new ListJobsCommand({ appId: 'd1', branchName: 'main', maxResults: 1 })
    )
    for (const [branchName, token] of [
      ['main', 'not-a-token'],
      ['dev', nextToken]
    ]) {
      const error = await failure(
        client.send(new ListJobsCommand({ appId: 'd1', branchName, nextToken: token }))
      )
      expect(error).toBeInstanceOf(BadRequestException)
    }
  })

  it('keeps pages stable when new jobs arrive between pages', async () => {
    const server = await start()
    server.addJobs('d1', 'main', 4)
    const client = clientFor(server)
    const first = await client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main', maxResults: 2 }))
    server.addJob('d1', 'main')
    const second = await client.send(
      new ListJobsCommand({ appId: 'd1', branchName: 'main', maxResults: 2, nextToken: first.nextToken })
    )
    expect(second.jobSummaries?.map(job => job.jobId)).toEqual(['2', '1'])
  })

  it('lists oldest first when asked to', async () => {
    const server = await start({ listOrder: 'oldest-first' })
    server.addJobs('d1', 'main', 3)
    const client = clientFor(server)
    const first = await client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main', maxResults: 2 }))
    const second = await client.send(
      new ListJobsCommand({ appId: 'd1', branchName: 'main', maxResults: 2, nextToken: first.nextToken })
    )
    expect([...(first.jobSummaries ?? []), ...(second.jobSummaries ?? [])].map(job => job.jobId)).toEqual([
      '1',
      '2',
      '3'
    ])
  })

  it('lists 2,000 jobs in 40 pages quickly', async () => {
    const server = await start()
    const seeded = Date.now()
    server.addJobs('d1', 'main', 2000, i => ({ status: i === 1999 ? 'RUNNING' : 'SUCCEED' }))
    expect(Date.now() - seeded).toBeLessThan(1000)
    const client = clientFor(server)

    const listed = Date.now()
    const ids: string[] = []
    let nextToken: string | undefined
    do {
      const page = await client.send(
        new ListJobsCommand({ appId: 'd1', branchName: 'main', maxResults: 50, nextToken })
      )
      ids.push(...(page.jobSummaries ?? []).map(job => job.jobId ?? ''))
      nextToken = page.nextToken
    } while (nextToken)

    expect(server.requestsFor('ListJobs')).toHaveLength(40)
    expect(ids).toHaveLength(2000)
    expect(ids[0]).toBe('2000')
    expect(ids[1999]).toBe('1')
    expect(Date.now() - listed).toBeLessThan(5000)
  })
})

describe('GetBranch', () => {
  it('reports the newest in-progress job as activeJobId', async () => {
    const server = await start()
    server.addJob('d1', 'main', { status: 'RUNNING' })
    server.addJob('d1', 'main', { status: 'PENDING' })
    server.addJob('d1', 'main', { status: 'FAILED' })
    const { branch } = await clientFor(server).send(new GetBranchCommand({ appId: 'd1', branchName: 'main' }))
    expect(branch).toMatchObject({
      branchName: 'main',
      branchArn: 'arn:aws:amplify:us-east-1:123456789012:apps/d1/branches/main',
      displayName: 'main',
      activeJobId: '2',
      totalNumberOfJobs: '3'
    })
  })

  it('falls back to the newest job when none is in progress', async () => {
    const server = await start()
    server.addJobs('d1', 'main', 2, { status: 'SUCCEED' })
    const { branch } = await clientFor(server).send(new GetBranchCommand({ appId: 'd1', branchName: 'main' }))
    expect(branch?.activeJobId).toBe('2')
  })
})

describe('path labels', () => {
  it.each(['feature/login', 'my branch', 'ünïcødé/枝', '100%', 'a+b', 'release/v1.2 (rc)'])(
    'round-trips the branch name %j through the SDK and verifies its signature',
    async branchName => {
      const server = await start()
      server.addJobs('d1', branchName, 2)
      const client = clientFor(server)

      const { jobSummaries } = await client.send(new ListJobsCommand({ appId: 'd1', branchName }))
      expect(jobSummaries?.[0]?.jobArn).toBe(
        `arn:aws:amplify:us-east-1:123456789012:apps/d1/branches/${branchName}/jobs/0000000002`
      )
      const { jobSummary } = await client.send(new StopJobCommand({ appId: 'd1', branchName, jobId: '2' }))
      expect(jobSummary?.status).toBe('CANCELLING')
      const { branch } = await client.send(new GetBranchCommand({ appId: 'd1', branchName }))
      expect(branch?.branchName).toBe(branchName)

      for (const request of server.requests) {
        expect(request).toMatchObject({ branchName, signature: 'valid', status: 200 })
        expect(request.path).toContain(`/branches/${encodeLabel(branchName)}`)
      }
    }
  )
})

describe('not found', () => {
  it.each([
    ['app', { appId: 'dmissing', branchName: 'main', jobId: '1' }, 'App not found: dmissing'],
    ['branch', { appId: 'd1', branchName: 'feature/gone', jobId: '1' }, 'Branch not found: feature/gone'],
    ['job', { appId: 'd1', branchName: 'main', jobId: '42' }, 'Job not found: 42']
  ])('raises NotFoundException naming the missing %s', async (_, input, message) => {
    const server = await start()
    server.addJob('d1', 'main')
    const client = clientFor(server)
    const errors = [
      await failure(client.send(new StopJobCommand(input))),
      await failure(client.send(new GetJobCommand(input)))
    ]
    for (const error of errors) {
      expect(error).toBeInstanceOf(NotFoundException)
      expect(error.message).toBe(message)
      expect(error.$metadata.httpStatusCode).toBe(404)
    }
  })

  it('treats a deleted branch as not found', async () => {
    const server = await start()
    server.addJob('d1', 'main')
    server.deleteBranch('d1', 'main')
    const error = await failure(
      clientFor(server).send(new ListJobsCommand({ appId: 'd1', branchName: 'main' }))
    )
    expect(error).toBeInstanceOf(NotFoundException)
    expect(error.message).toBe('Branch not found: main')
  })

  it('answers an unknown route with 404 UnknownOperationException and the service headers', async () => {
    const server = await start({ verifySignatures: false })
    const response = await fetch(`${server.url}/apps/d1/webhooks`)
    expect(response.status).toBe(404)
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException')
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/)
    expect(await response.json()).toEqual({ message: 'Unknown operation: GET /apps/d1/webhooks' })
    expect(server.requests[0]).toMatchObject({ operation: null, status: 404, signature: 'missing' })
  })
})

describe('SigV4', () => {
  it('rejects a request signed with the wrong secret and logs the signature as invalid', async () => {
    const server = await start()
    server.addJob('d1', 'main')
    const client = clientFor(server, {
      credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: 'wrong-secret' }
    })
    const error = await failure(
      client.send(new StopJobCommand({ appId: 'd1', branchName: 'feature/x', jobId: '1' }))
    )
    expect(error.name).toBe('InvalidSignatureException')
    expect(error.message).toMatch(
      /^The request signature we calculated does not match the signature you provided/
    )
    expect(error.$metadata.httpStatusCode).toBe(403)
    expect(server.requests).toEqual([
      expect.objectContaining({
        operation: 'StopJob',
        status: 403,
        signature: 'invalid',
        errorType: 'InvalidSignatureException'
      })
    ])
    expect(server.getJob('d1', 'main', '1').status).toBe('RUNNING')
  })

  it.each([
    ['path', (request: HttpRequest) => void (request.path = request.path.replace('/jobs/1/', '/jobs/2/'))],
    ['query', (request: HttpRequest) => void (request.query = { maxResults: '1' })],
    [
      'signed header',
      (request: HttpRequest) => void (request.headers['amz-sdk-request'] = 'attempt=9; max=9')
    ]
  ])('rejects a request whose %s changed after signing', async (_, tamper) => {
    const server = await start()
    server.addJobs('d1', 'feature/login', 2)
    const client = clientFor(server, { maxAttempts: 1 })
    type Next = (args: { request: HttpRequest }) => Promise<unknown>
    const tamperAfterSigning = (next: Next) => async (args: { request: HttpRequest }) => {
      tamper(args.request)
      return next(args)
    }
    client.middlewareStack.addRelativeTo(
      tamperAfterSigning as unknown as Parameters<typeof client.middlewareStack.addRelativeTo>[0],
      { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'tamper' }
    )
    const error = await failure(
      client.send(new StopJobCommand({ appId: 'd1', branchName: 'feature/login', jobId: '1' }))
    )
    expect(error.name).toBe('InvalidSignatureException')
    expect(server.requests[0].signature).toBe('invalid')
    expect(server.getJob('d1', 'feature/login', '2').status).toBe('RUNNING')
  })

  it('rejects a client signing for another region, naming it', async () => {
    const server = await start()
    server.addJob('d1', 'main')
    const error = await failure(
      clientFor(server, { region: 'eu-west-1' }).send(
        new ListJobsCommand({ appId: 'd1', branchName: 'main' })
      )
    )
    expect(error.name).toBe('InvalidSignatureException')
    expect(error.$metadata.httpStatusCode).toBe(403)
    expect(error.message).toContain("not 'eu-west-1'")
  })

  it('rejects an unknown access key with UnrecognizedClientException', async () => {
    const server = await start()
    const client = clientFor(server, {
      credentials: { accessKeyId: 'AKIDSOMEONEELSE00000', secretAccessKey: 'x' }
    })
    const error = await failure(client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main' })))
    expect(error.name).toBe('UnrecognizedClientException')
    expect(error.$metadata.httpStatusCode).toBe(403)
  })

  it('rejects an unsigned request with MissingAuthenticationTokenException', async () => {
    const server = await start()
    const response = await fetch(`${server.url}/apps/d1/branches/main/jobs`)
    expect(response.status).toBe(403)
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException')
    expect(server.requests[0]).toMatchObject({ operation: 'ListJobs', signature: 'missing', status: 403 })
  })

  it('only logs bad signatures when verifySignatures is false', async () => {
    const server = await start({ verifySignatures: false })
    server.addJob('d1', 'main')
    const client = clientFor(server, {
      credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: 'nope' }
    })
    await client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main' }))
    expect(server.requests[0]).toMatchObject({ status: 200, signature: 'invalid' })
  })

  it('accepts custom credentials and region', async () => {
    const credentials = { accessKeyId: 'AKIDOTHER', secretAccessKey: 'other-secret' }
    const server = await start({ region: 'ap-southeast-2', accountId: '999999999999', credentials })
    server.addJob('d1', 'main')
    const client = clientFor(server, { region: 'ap-southeast-2', credentials: { ...credentials } })
    const { jobSummaries } = await client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main' }))
    expect(jobSummaries?.[0]?.jobArn).toBe(
      'arn:aws:amplify:ap-southeast-2:999999999999:apps/d1/branches/main/jobs/0000000001'
    )
  })
})

describe('faults and retries', () => {
  it('throttles twice, then the default SDK retry succeeds on the third attempt', async () => {
    const server = await start()
    server.addJob('d1', 'main')
    server.addFault({ operation: 'ListJobs', kind: 'throttle', times: 2 })
    const result = await clientFor(server).send(new ListJobsCommand({ appId: 'd1', branchName: 'main' }))
    expect(result.$metadata.attempts).toBe(3)
    expect(server.requests.map(r => r.status)).toEqual([429, 429, 200])
    expect(server.requests.map(r => r.signature)).toEqual(['valid', 'valid', 'valid']) // re-signed per attempt
    expect(server.requests.map(r => r.errorType)).toEqual([
      'LimitExceededException',
      'LimitExceededException',
      undefined
    ])
  })

  it('raises LimitExceededException with status 429 when retries run out', async () => {
    const server = await start()
    server.addFault({ kind: 'throttle' })
    const error = await failure(
      clientFor(server, { maxAttempts: 1 }).send(new ListJobsCommand({ appId: 'd1', branchName: 'main' }))
    )
    expect(error).toBeInstanceOf(LimitExceededException)
    expect(error.$metadata.httpStatusCode).toBe(429)
  })

  it('returns InternalFailureException for an internal fault, which the SDK retries', async () => {
    const server = await start()
    server.addJob('d1', 'main')
    server.addFault({ operation: 'StopJob', kind: 'internal' })
    const error = await failure(
      clientFor(server, { maxAttempts: 1 }).send(
        new StopJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' })
      )
    )
    expect(error).toBeInstanceOf(InternalFailureException)
    expect(error.$metadata.httpStatusCode).toBe(500)

    server.addFault({ operation: 'StopJob', kind: 'internal' })
    server.clearRequests()
    await clientFor(server).send(new StopJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' }))
    expect(server.requests.map(r => r.status)).toEqual([500, 200])
  })

  it('only applies a fault to its operation', async () => {
    const server = await start()
    server.addJob('d1', 'main')
    server.addFault({ operation: 'StopJob', kind: 'internal' })
    const client = clientFor(server, { maxAttempts: 1 })
    await client.send(new GetJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' }))
    await expect(
      client.send(new StopJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' }))
    ).rejects.toThrow(InternalFailureException)
  })

  it('resets the connection; the SDK retries', async () => {
    const server = await start()
    server.addJob('d1', 'main')
    server.addFault({ kind: 'reset' })
    await clientFor(server).send(new GetJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' }))
    expect(server.requests.map(r => r.status)).toEqual(['reset', 200])
  })

  it('hangs until the client times out; the SDK retries', async () => {
    const server = await start()
    server.addJob('d1', 'main')
    server.addFault({ operation: 'StopJob', kind: 'hang' })
    // requestTimeout only throws (a retryable TimeoutError) with throwOnRequestTimeout: see the next test.
    const requestHandler = new NodeHttpHandler({ requestTimeout: 300, throwOnRequestTimeout: true })
    const client = clientFor(server, { requestHandler })
    const { jobSummary } = await client.send(
      new StopJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' })
    )
    expect(jobSummary?.status).toBe('CANCELLING')
    expect(server.requests.map(r => r.status)).toEqual(['hang', 200])
  })

  it('is not timed out by requestTimeout alone, which only logs a warning (SDK behaviour pinned here)', async () => {
    const server = await start()
    server.addFault({ kind: 'hang' })
    const warnings: string[] = []
    const logger = { debug() {}, info() {}, warn: (message: string) => warnings.push(message), error() {} }
    const client = clientFor(server, {
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ requestTimeout: 100, logger })
    })
    const pending = failure(client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main' })))
    await sleep(400)
    expect(warnings.join('\n')).toContain('throwOnRequestTimeout=true')
    expect(server.requests.map(r => r.status)).toEqual(['hang'])
    await server.close() // only the server closing the socket ends the call
    expect((await pending).message).toMatch(/socket hang up|ECONNRESET/)
  })

  it('scripts any error, which the SDK maps to its modeled exception', async () => {
    const server = await start()
    server.addFault({ kind: 'error', status: 401, errorType: 'UnauthorizedException', message: 'Nope' })
    const error = await failure(
      clientFor(server).send(new ListJobsCommand({ appId: 'd1', branchName: 'main' }))
    )
    expect(error).toBeInstanceOf(UnauthorizedException)
    expect(error.message).toBe('Nope')
    expect(server.requests).toHaveLength(1) // 401 is not retried
  })

  it('closes even with a hanging request outstanding', async () => {
    const server = await start()
    server.addFault({ kind: 'hang' })
    const client = clientFor(server, { maxAttempts: 1 })
    const pending = failure(client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main' })))
    while (server.requests.length === 0) await sleep(5)
    await server.close()
    expect((await pending).message).toMatch(/socket hang up|ECONNRESET/)
  })
})

describe('deny', () => {
  it("answers 403 AccessDeniedException with IAM's message", async () => {
    const server = await start()
    server.addJob('d1', 'feature/login')
    server.deny('StopJob')
    const client = clientFor(server)
    const error = await failure(
      client.send(new StopJobCommand({ appId: 'd1', branchName: 'feature/login', jobId: '1' }))
    )
    expect(error.name).toBe('AccessDeniedException')
    expect(error.$metadata.httpStatusCode).toBe(403)
    expect(error.message).toBe(
      'User: arn:aws:sts::123456789012:assumed-role/local-test/session is not authorized to perform: ' +
        'amplify:StopJob on resource: arn:aws:amplify:us-east-1:123456789012:apps/d1/branches/feature/login/jobs/0000000001'
    )
    // Other operations are still allowed.
    await client.send(new ListJobsCommand({ appId: 'd1', branchName: 'feature/login' }))
  })

  it('can be narrowed to one branch and lifted', async () => {
    const server = await start()
    server.addJob('d1', 'main')
    server.addJob('d1', 'dev')
    const allow = server.deny('ListJobs', { appId: 'd1', branchName: 'main' })
    const client = clientFor(server)
    const error = await failure(client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main' })))
    expect(error.message).toContain(
      'amplify:ListJobs on resource: arn:aws:amplify:us-east-1:123456789012:apps/d1/branches/main'
    )
    await client.send(new ListJobsCommand({ appId: 'd1', branchName: 'dev' }))
    allow()
    await client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main' }))
  })
})

describe('onRequest', () => {
  it('lets a test end a job between ListJobs and StopJob', async () => {
    const server = await start()
    server.addJob('d1', 'main', { status: 'RUNNING' })
    const seen: string[] = []
    server.onRequest(async ({ operation, appId, branchName, jobId }) => {
      seen.push(`${operation} ${appId} ${branchName} ${jobId}`)
      if (operation === 'StopJob') server.setJobStatus(appId ?? '', branchName ?? '', jobId ?? '', 'SUCCEED')
    })
    const client = clientFor(server)
    const { jobSummaries } = await client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main' }))
    expect(jobSummaries?.[0]?.status).toBe('RUNNING')
    const error = await failure(
      client.send(new StopJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' }))
    )
    expect(error).toBeInstanceOf(BadRequestException)
    expect(error.message).toBe('Job 1 is already in SUCCEED state and cannot be stopped.')
    expect(seen).toEqual(['ListJobs d1 main undefined', 'StopJob d1 main 1'])
    expect(server.getJob('d1', 'main', '1').endTime).toBeInstanceOf(Date)
  })
})

describe('seeding', () => {
  it('numbers jobs after the highest existing id and rejects duplicates and bad app ids', async () => {
    const server = await start()
    server.addJob('d1', 'main', { jobId: '41' })
    expect(server.addJob('d1', 'main').jobId).toBe('42')
    expect(() => server.addJob('d1', 'main', { jobId: '41' })).toThrow('already exists')
    expect(() => server.addApp('MyApp')).toThrow('d[a-z0-9]+')
  })
})

// Needs the openssl CLI to make a throwaway certificate.
const describeWithOpenssl = hasOpenssl ? describe : describe.skip

describeWithOpenssl('TLS', () => {
  it('serves HTTPS when given a key and certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amplify-server-tls-'))
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem')
        ],
        { stdio: 'ignore' }
      )
      const key = readFileSync(join(dir, 'key.pem'), 'utf8')
      const cert = readFileSync(join(dir, 'cert.pem'), 'utf8')
      const server = await start({ tls: { key, cert } })
      server.addJob('d1', 'main')
      expect(server.url).toBe(`https://127.0.0.1:${server.port}`)
      const client = clientFor(server, {
        requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca: cert }) })
      })
      const { jobSummaries } = await client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main' }))
      expect(jobSummaries).toHaveLength(1)
      expect(server.requests[0].signature).toBe('valid')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
