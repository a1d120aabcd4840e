// No credential, session token or request signature appears in anything a workflow can see (stdout,
// stderr, outputs, the step summary), in debug mode too, on success and on every kind of failure.
import { describe, expect, it } from '@jest/globals'
import type { ActionResult } from '../support/action-runner.js'
import { TEST_CREDENTIALS, type AmplifyServer } from '../support/amplify-server.js'
import { APP_ID, runAgainst, startServer } from './security-helpers.js'

const SESSION_TOKEN =
  'IQoJb3JpZ2luX2VjEXAMPLEsessionTOKEN//////////wEaCXVzLWVhc3QtMSJHMEUCIQDtest+token/with+base64=='
const WRONG_SECRET = 'a-secret-key-the-server-does-not-know-0000'

/** The forms a secret could take in text: plain, URL-encoded, base64. */
function forms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]
}

/** What a workflow can see of a run: every stream and file the action writes. */
function visible(result: ActionResult): string {
  return [result.stdout, result.stderr, result.summary, JSON.stringify(result.outputs)].join('\n')
}

function expectNoSecrets(result: ActionResult, secretKey: string): void {
  const text = visible(result)
  for (const secret of [...forms(secretKey), ...forms(SESSION_TOKEN)]) expect(text).not.toContain(secret)
  expect(text).not.toMatch(/Signature=(?!\[redacted\])/i) // a SigV4 signature, in a header or a query string
  expect(text).not.toMatch(/\b[0-9a-f]{64}\b/) // a SigV4 signature's shape (commit ids here are 40 hex)
  expect(text).not.toMatch(/AWS4-HMAC-SHA256\s+Credential=\S+,\s*SignedHeaders=\S+,\s*Signature=[0-9a-f]/)
  expect(text).not.toMatch(/authorization\s*[:=]\s*AWS4/i)
  expect(text).not.toMatch(/Credential=AKID/)
  expect(text).not.toMatch(/x-amz-security-token\s*[:=]\s*(?!\[redacted\])\S/i)
}

interface Case {
  /** What happens. */
  name: string
  inputs: Record<string, string>
  arrange?: (server: AmplifyServer) => void
  secretKey?: string
  env?: Record<string, string>
  exitCode: 0 | 1
  /** What the ::error:: line says, when the step fails. */
  error?: RegExp
}

const A_SIGNATURE = 'f'.repeat(8) + '0123456789abcdef'.repeat(3) + 'e'.repeat(8)

const CASES: Case[] = [
  { name: 'a stop by job-id', inputs: { 'job-id': '1' }, exitCode: 0 },
  { name: 'discovery, with wait', inputs: { wait: 'true', 'wait-timeout': '5' }, exitCode: 0 },
  { name: 'a job that had already ended (a ::notice::)', inputs: { 'job-id': '2' }, exitCode: 0 },
  {
    name: 'a signature failure (a secret key the server does not know)',
    inputs: { 'job-id': '1' },
    secretKey: WRONG_SECRET,
    exitCode: 1,
    error: /refused the AWS credentials \(InvalidSignatureException/
  },
  {
    name: 'an access-denied failure',
    inputs: { 'job-id': '1' },
    arrange: server => server.deny('StopJob'),
    exitCode: 1,
    error: /Amplify StopJob .* was denied \(AccessDeniedException/
  },
  {
    name: 'a service message that echoes the Authorization header (IncompleteSignatureException)',
    inputs: {},
    arrange: server =>
      server.addFault({
        kind: 'error',
        operation: 'ListJobs',
        status: 403,
        errorType: 'IncompleteSignatureException',
        message:
          "Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 " +
          `Credential=${TEST_CREDENTIALS.accessKeyId}/20260101/us-east-1/amplify/aws4_request, ` +
          `SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=${A_SIGNATURE}, ` +
          `X-Amz-Security-Token=${SESSION_TOKEN}`
      }),
    exitCode: 1,
    error: /IncompleteSignatureException: .*Authorization=\[redacted\], X-Amz-Security-Token=\[redacted\]\)/
  },
  {
    name: 'a job that does not exist',
    inputs: { 'job-id': '99' },
    exitCode: 1,
    error: /Job 99 was not found/
  },
  {
    name: 'throttling that outlasts every retry',
    inputs: { 'job-id': '1' },
    arrange: server => server.addFault({ kind: 'throttle', operation: 'StopJob', times: Infinity }),
    exitCode: 1,
    error: /kept throttling StopJob/
  },
  {
    name: 'an unexpected error, whose stack goes to ::debug:: (a step summary file that cannot be written)',
    inputs: { 'job-id': '1' },
    env: { GITHUB_STEP_SUMMARY: '/nonexistent-dir/summary.md' },
    exitCode: 1,
    error: /^Unexpected error: /
  },
  {
    name: 'discovery finding nothing, with if-no-job: fail',
    inputs: { 'branch-name': 'empty', 'if-no-job': 'fail' },
    exitCode: 1,
    error: /No job is in progress/
  }
]

describe.each(['1', undefined])('with RUNNER_DEBUG=%s and a session token', runnerDebug => {
  it.each(CASES)('$name: no secret, token or signature shows', async c => {
    const server = await startServer({ cancelDelayMs: 20 })
    server.addJob(APP_ID, 'main', { status: 'RUNNING' })
    server.addJob(APP_ID, 'main', { status: 'CANCELLED' })
    server.addBranch(APP_ID, 'empty')
    c.arrange?.(server)
    const secretKey = c.secretKey ?? TEST_CREDENTIALS.secretAccessKey

    const result = await runAgainst(server, {
      inputs: { 'app-id': APP_ID, 'branch-name': 'main', ...c.inputs },
      credentials: {
        accessKeyId: TEST_CREDENTIALS.accessKeyId,
        secretAccessKey: secretKey,
        sessionToken: SESSION_TOKEN
      },
      env: { RUNNER_DEBUG: runnerDebug, AWS_MAX_ATTEMPTS: '2', ...c.env }
    })

    expect(result.exitCode).toBe(c.exitCode)
    expect(server.requests.length).toBeGreaterThan(0)
    const errors = result.annotations.filter(a => a.command === 'error').map(a => a.message)
    expect(errors).toHaveLength(c.error ? 1 : 0)
    expect(errors.filter(message => !c.error?.test(message))).toEqual([])
    expectNoSecrets(result, secretKey)
  })
})
