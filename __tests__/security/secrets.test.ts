// No secret key, session token or request signature shows in anything a workflow sees. runStep checks every
// run of every suite for the credentials it was given (harness.ts's expectNoCredentials). Here, the runs no
// other test makes, each with debug logging on: the service quoting the request's Authorization header and
// session token back (IncompleteSignatureException does), or echoing its headers in a server error, and an
// unexpected error whose stack trace goes to ::debug::.
import { describe, expect, it } from '@jest/globals'
import type { FaultSpec } from '../support/amplify-server.js'
import {
  expectFailure,
  runStep,
  startServer,
  TEST_CREDENTIALS,
  TEST_SESSION_TOKEN,
  visibleText
} from '../support/harness.js'

const APP = 'd1a2b3c4d5e6f7'
const SIGNATURE = 'fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024'
const AUTHORIZATION =
  `AWS4-HMAC-SHA256 Credential=${TEST_CREDENTIALS.accessKeyId}/20260101/us-east-1/amplify/aws4_request, ` +
  `SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=${SIGNATURE}`

describe('with debug logging on, what the service echoes stays secret', () => {
  it.concurrent.each<[string, FaultSpec | undefined, RegExp, Record<string, string>?]>([
    [
      'IncompleteSignatureException quoting the Authorization header and the session token',
      {
        kind: 'error',
        operation: 'ListJobs',
        status: 403,
        errorType: 'IncompleteSignatureException',
        message: `Authorization header requires 'Signature' parameter. Authorization=${AUTHORIZATION}, X-Amz-Security-Token=${TEST_SESSION_TOKEN}`
      },
      /\(IncompleteSignatureException: .*Authorization=\[redacted\], X-Amz-Security-Token=\[redacted\]\)/
    ],
    [
      "a server error that echoes the request's headers, on every attempt",
      {
        kind: 'error',
        operation: 'StopJob',
        status: 500,
        errorType: 'InternalFailureException',
        message: `Internal error.\nauthorization: ${AUTHORIZATION}\nx-amz-security-token: ${TEST_SESSION_TOKEN}\n`,
        times: Infinity
      },
      /\(InternalFailureException: .*authorization: \[redacted\] x-amz-security-token: \[redacted\]\)/
    ],
    [
      'an unexpected error (the summary file cannot be written) after a stop and a wait',
      undefined,
      /^Unexpected error: /,
      { GITHUB_STEP_SUMMARY: '/nonexistent-dir/summary.md' }
    ]
  ])('%s', async (_, fault, error, env) => {
    const server = await startServer({ cancelDelayMs: 20 })
    server.addJob(APP, 'main', { status: 'RUNNING' })
    if (fault) server.addFault(fault)

    const result = await runStep(server, {
      inputs: { 'app-id': APP, 'branch-name': 'main', wait: 'true' },
      env: { RUNNER_DEBUG: '1', AWS_MAX_ATTEMPTS: '2', ...env }
    })

    expectFailure(result, error)
    expect(visibleText(result)).not.toMatch(/[0-9a-f]{64}/) // no signature, whoever made it
    expect(/^::debug::.*%0A\s+at /m.test(result.stdout)).toBe(fault === undefined) // the stack, in ::debug::
  })
})
