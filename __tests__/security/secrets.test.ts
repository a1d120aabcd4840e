// No credential, session token or request signature appears in anything a workflow can see (stdout,
// stderr, outputs, the step summary), in debug mode too, on success and on every kind of failure.
//
// Every step the suites run is checked for the secret key, the session token and signatures (runStep in
// harness.ts runs expectNoCredentials on each), without RUNNER_DEBUG. Here: every kind of outcome with
// RUNNER_DEBUG=1, and without it the outcomes no other suite produces (`alsoWithoutDebug`).
import { describe, expect, it } from '@jest/globals'
import {
  runStep,
  startServer,
  TEST_CREDENTIALS,
  TEST_SESSION_TOKEN,
  visibleText,
  type AmplifyServer,
  type StepResult
} from '../support/harness.js'

const APP_ID = 'd1a2b3c4d5e6f7'
const WRONG_SECRET = 'a-secret-key-the-server-does-not-know-0000'

/** runStep has checked the credentials it was given; beyond them, nothing shaped like a signature. */
function expectNoSecrets(result: StepResult): void {
  expect(visibleText(result)).not.toMatch(/\b[0-9a-f]{64}\b/) // a SigV4 signature's shape (commit ids here are 40 hex)
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
  /** No other suite produces this outcome: run it without RUNNER_DEBUG here too. */
  alsoWithoutDebug?: true
  /** Or: the e2e scenario that produces it without RUNNER_DEBUG (runStep checks every run for secrets). */
  coveredWithoutDebugBy?: string
}

const A_SIGNATURE = 'f'.repeat(8) + '0123456789abcdef'.repeat(3) + 'e'.repeat(8)

const CASES: Case[] = [
  { name: 'a stop by job-id', inputs: { 'job-id': '1' }, exitCode: 0, coveredWithoutDebugBy: 'stop.e2e' },
  {
    name: 'discovery, with wait',
    inputs: { wait: 'true', 'wait-timeout': '5' },
    exitCode: 0,
    coveredWithoutDebugBy: 'wait-and-select.e2e'
  },
  {
    name: 'a job that had already ended (a ::notice::)',
    inputs: { 'job-id': '2' },
    exitCode: 0,
    coveredWithoutDebugBy: 'stop.e2e'
  },
  {
    name: 'a signature failure (a secret key the server does not know)',
    inputs: { 'job-id': '1' },
    secretKey: WRONG_SECRET,
    exitCode: 1,
    error: /refused the AWS credentials \(InvalidSignatureException/,
    coveredWithoutDebugBy: 'failures.e2e (credentials refused)'
  },
  {
    name: 'an access-denied failure',
    inputs: { 'job-id': '1' },
    arrange: server => server.deny('StopJob'),
    exitCode: 1,
    error: /Amplify StopJob .* was denied \(AccessDeniedException/,
    coveredWithoutDebugBy: 'stop.e2e (StopJob denied)'
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
          `X-Amz-Security-Token=${TEST_SESSION_TOKEN}`
      }),
    exitCode: 1,
    error: /IncompleteSignatureException: .*Authorization=\[redacted\], X-Amz-Security-Token=\[redacted\]\)/,
    alsoWithoutDebug: true
  },
  {
    name: 'a job that does not exist',
    inputs: { 'job-id': '99' },
    exitCode: 1,
    error: /Job 99 was not found/,
    coveredWithoutDebugBy: 'stop.e2e (job not found)'
  },
  {
    name: 'throttling that outlasts every retry',
    inputs: { 'job-id': '1' },
    arrange: server => server.addFault({ kind: 'throttle', operation: 'StopJob', times: Infinity }),
    exitCode: 1,
    error: /kept throttling StopJob/,
    coveredWithoutDebugBy: 'faults.e2e (persistent throttling)'
  },
  {
    name: 'an unexpected error, whose stack goes to ::debug:: (a step summary file that cannot be written)',
    inputs: { 'job-id': '1' },
    env: { GITHUB_STEP_SUMMARY: '/nonexistent-dir/summary.md' },
    exitCode: 1,
    error: /^Unexpected error: /,
    alsoWithoutDebug: true
  },
  {
    name: 'discovery finding nothing, with if-no-job: fail',
    inputs: { 'branch-name': 'empty', 'if-no-job': 'fail' },
    exitCode: 1,
    error: /No job is in progress/,
    coveredWithoutDebugBy: 'discovery.e2e (if-no-job fail)'
  }
]

const RUNS = [
  ...CASES.map(c => ['1', c.name, c] as const),
  ...CASES.filter(c => c.alsoWithoutDebug).map(c => [undefined, c.name, c] as const)
]

describe('with a session token', () => {
  it.each(RUNS)('RUNNER_DEBUG=%s, %s: no secret, token or signature shows', async (runnerDebug, _, c) => {
    const server = await startServer({ cancelDelayMs: 20 })
    server.addJob(APP_ID, 'main', { status: 'RUNNING' })
    server.addJob(APP_ID, 'main', { status: 'CANCELLED' })
    server.addBranch(APP_ID, 'empty')
    c.arrange?.(server)
    const secretKey = c.secretKey ?? TEST_CREDENTIALS.secretAccessKey

    const result = await runStep(server, {
      inputs: { 'app-id': APP_ID, 'branch-name': 'main', ...c.inputs },
      credentials: {
        accessKeyId: TEST_CREDENTIALS.accessKeyId,
        secretAccessKey: secretKey,
        sessionToken: TEST_SESSION_TOKEN
      },
      env: { RUNNER_DEBUG: runnerDebug, AWS_MAX_ATTEMPTS: '2', ...c.env }
    })

    expect(result.exitCode).toBe(c.exitCode)
    expect(server.requests.length).toBeGreaterThan(0)
    const errors = result.annotations.filter(a => a.command === 'error').map(a => a.message)
    expect(errors).toHaveLength(c.error ? 1 : 0)
    expect(errors.filter(message => !c.error?.test(message))).toEqual([])
    expectNoSecrets(result)
  })
})
