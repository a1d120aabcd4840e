// Untrusted text stays inert. Commit messages and branch names are written by whoever opens a pull
// request, and service error messages can echo them; none of it may start a workflow command in the log,
// break a line, or become HTML or Markdown in the step summary. Checked through the real writers
// (logOutcomes, core.setFailed, writeSummary) with fast-check, and end to end through dist/index.js.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import * as core from '@actions/core'
import fc from 'fast-check'
import { describeFailure } from '../../src/amplify.js'
import type { JobOutcome, JobResult } from '../../src/jobs.js'
import type { RequestSubject } from '../../src/messages.js'
import type { BranchPlan, Failure } from '../../src/plan.js'
import { logOutcomes, writeSummary } from '../../src/report.js'
import type { Settings } from '../../src/settings.js'
import { firstLine, inertLine } from '../../src/text.js'
import {
  decodeEntities,
  expectInertSummary,
  expectOnlyOwnCommands,
  LINE_BREAKING_OR_CONTROL,
  runStep,
  startServer
} from '../support/harness.js'

const APP_ID = 'd1a2b3c4d5e6f7'

/** The pieces hostile text is made of: workflow commands, their escapes, HTML, Markdown, line breaks. */
const PAYLOADS = [
  '\n',
  '\r',
  '\r\n',
  '%0A',
  '%0D',
  '%25',
  '%250A',
  '::error::pwned',
  '::warning file=a.js,line=1::pwned',
  '::add-mask::hunter2',
  '::stop-commands::resume-token',
  '::resume-token::',
  '::set-output name=status::SUCCEED',
  '::save-state name=x::y',
  '::group::x',
  '::endgroup::',
  '::echo::on',
  '::debug::x',
  '##[error]pwned',
  '##[group]x',
  '##[set-output name=x;]y',
  '|',
  '| --- |',
  '`',
  '```',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '<a href="javascript:alert(1)">x</a>',
  '<https://evil.example>',
  '](javascript:alert(1))',
  '[click](javascript:alert(1))',
  '![x](https://evil.example/x.png)',
  'javascript:alert(1)',
  '<!--',
  '-->',
  '&lt;b&gt;',
  '&#60;script&#62;',
  '# heading',
  '> quote',
  '- item',
  '1. item',
  '*bold*',
  '_em_',
  '~~strike~~',
  '\\',
  '"',
  "'",
  '\t',
  '\u000b',
  '\u000c',
  '\u2028',
  '\u2029',
  '\u0085',
  '\u0000',
  '\u007f',
  '\u009b31m',
  '\u001b[31m',
  '\u001b[2K\r',
  '\u001bE',
  '\u001b]8;;javascript:alert(1)\u0007link\u001b]8;;\u0007',
  '\u200b',
  '\ufeff',
  '\u202e',
  'é',
  '😀'
]

/** Arbitrary text, biased toward the payloads above. */
const hostileText = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .array(fc.oneof(fc.constantFrom(...PAYLOADS), fc.string({ maxLength: 4 })), {
        minLength: 1,
        maxLength: 10
      })
      .map(parts => parts.join(''))
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 50 }) }
)

const RESULTS: JobResult[] = ['stopped', 'already-ended', 'already-stopping', 'would-stop', 'kept', 'failed']
const SERVICE_ERRORS = [
  ['BadRequestException', 400],
  ['AccessDeniedException', 403],
  ['NotFoundException', 404],
  ['InternalFailureException', 500],
  ['SomethingNewException', 400]
] as const

/** An error as the SDK throws it for a service response whose message is `message`. */
function serviceError(name: string, status: number, message: string): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, attempts: 1 }
  })
}

function settingsFor(branchName: string, dryRun = false): Settings {
  return {
    apps: { kind: 'ids', ids: [APP_ID] },
    branches: { kind: 'names', names: [branchName] },
    branchSource: 'input',
    ifNoJob: 'warn',
    region: 'us-east-1',
    wait: false,
    waitTimeoutSeconds: 300,
    keepNewest: false,
    dryRun
  }
}

function outcomesFor(commitMessage: string, errorMessage: string, branchName = 'x'): JobOutcome[] {
  return RESULTS.map((result, i) => ({
    job: {
      appId: APP_ID,
      branchName,
      jobId: String(10 + i),
      jobArn: `arn:aws:amplify:us-east-1:123456789012:apps/${APP_ID}/branches/x/jobs/00000000${10 + i}`,
      status: result === 'already-ended' ? 'CANCELLED' : 'CANCELLING',
      commitId: '0123456789abcdef0123456789abcdef01234567',
      commitMessage
    },
    result,
    previousStatus: 'RUNNING',
    ...(result === 'failed' ? { error: errorMessage } : {})
  }))
}

/** The branch name as parseSettings lets it through (1–255 characters, no control character), else main. */
function accepted(branchName: string): string {
  return /^[^\p{Cc}\p{Cs}\u2028\u2029]{1,255}$/u.test(branchName) ? branchName : 'main'
}

/** What the log writers print, captured as the runner would read it; process.exitCode is restored. */
function captureStdout(write: () => void): string {
  let stdout = ''
  const original = process.stdout.write
  const exitCode = process.exitCode
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    return true
  }) as typeof process.stdout.write
  try {
    write()
  } finally {
    process.stdout.write = original
    process.exitCode = exitCode
  }
  return stdout
}

const FUZZ_RUNS = { log: 1500, summary: 1000 }

describe('the log writers keep hostile text inert (property)', () => {
  it('logOutcomes, core.setFailed and core.info of service messages: only our own commands, no broken lines', () => {
    expect(() =>
      fc.assert(
        fc.property(
          hostileText,
          hostileText,
          hostileText,
          fc.constantFrom(...SERVICE_ERRORS),
          (commitMessage, branchName, serviceMessage, [errorName, status]) => {
            // Error messages name the branch parseSettings accepted; the writers get the raw text as well.
            const target: RequestSubject = {
              region: 'us-east-1',
              appId: APP_ID,
              branchName: accepted(branchName)
            }
            const stopFailure = describeFailure(serviceError(errorName, status, serviceMessage), 'StopJob', {
              ...target,
              jobId: '15'
            })
            const listFailure = describeFailure(
              serviceError('NotFoundException', 404, serviceMessage),
              'ListJobs',
              target
            )
            const outcomes = outcomesFor(commitMessage, stopFailure.message, branchName)

            const stdout = captureStdout(() => {
              logOutcomes(outcomes, settingsFor(branchName))
              core.info(`${listFailure.message} Nothing to stop.`) // main.ts with if-no-job: ignore
              core.warning(listFailure.message) // ... with if-no-job: warn
              core.setFailed(stopFailure.message)
            })

            const commands = expectOnlyOwnCommands(stdout)
            expect(stdout.split('\n')).toHaveLength(outcomes.length + 3 + 1)
            expect(commands.sort()).toEqual(['error', 'notice', 'warning'])
            expect(stopFailure.message).not.toMatch(LINE_BREAKING_OR_CONTROL)
            expect(listFailure.message).not.toMatch(LINE_BREAKING_OR_CONTROL)
          }
        ),
        { numRuns: FUZZ_RUNS.log }
      )
    ).not.toThrow()
  })
})

describe('the step summary keeps hostile text inert (property)', () => {
  let dir: string
  let summaryFile: string
  let previous: string | undefined

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'amplify-stop-job-summary-'))
    summaryFile = join(dir, 'summary.md')
    previous = process.env.GITHUB_STEP_SUMMARY
    process.env.GITHUB_STEP_SUMMARY = summaryFile
  })
  afterAll(() => {
    if (previous === undefined) delete process.env.GITHUB_STEP_SUMMARY
    else process.env.GITHUB_STEP_SUMMARY = previous
    rmSync(dir, { recursive: true, force: true })
  })

  async function summaryFor(commitMessage: string, branchName: string, dryRun: boolean): Promise<string> {
    writeFileSync(summaryFile, '')
    const settings = settingsFor(branchName, dryRun)
    const plan: BranchPlan = {
      target: { appId: APP_ID, branchName },
      decided: [],
      toStop: [],
      unknownStatus: []
    }
    // A failed request's message quotes what the service said: hostile text too.
    const failure: Failure = {
      appId: APP_ID,
      branchName,
      operation: 'ListJobs',
      kind: 'service',
      message: commitMessage
    }
    await writeSummary({
      settings,
      appsRead: 1,
      plans: [plan],
      failures: [failure],
      outcomes: outcomesFor(commitMessage, 'x', branchName)
    })
    return readFileSync(summaryFile, 'utf8')
  }

  it('writeSummary: only our own tags and links, no HTML or Markdown from the text, which shows as written', async () => {
    await expect(
      fc.assert(
        fc.asyncProperty(
          hostileText,
          hostileText.filter(s => !/\p{Cs}/u.test(s)), // parseSettings refuses a branch with a lone surrogate
          fc.boolean(),
          async (commitMessage, branchName, dryRun) => {
            const summary = await summaryFor(commitMessage, branchName, dryRun)
            expectInertSummary(summary.replace(' (dry run: no StopJob sent)', ''))

            const rows = [...summary.matchAll(/<tr>(.*?)<\/tr>/g)].slice(1)
            expect(rows).toHaveLength(RESULTS.length)
            for (const [, row] of rows) {
              // core.summary writes an empty cell as a lone <td>, so split on the opening tags.
              const cells = row
                .split('<td>')
                .slice(1)
                .map(cell => cell.replace(/<\/td>$/, ''))
              expect(cells).toHaveLength(5)
              expect(decodeEntities(cells[4])).toBe(inertLine(firstLine(commitMessage)))
            }
            const branch = /branch <a href="[^"]*"><code>(.*?)<\/code><\/a>/.exec(summary)
            expect(branch).not.toBeNull()
            expect(decodeEntities((branch as RegExpExecArray)[1])).toBe(inertLine(branchName))
            const failed = /<li>(.*?)(?:<\/li>)?<\/ul>/.exec(summary) // an empty item is a lone <li>
            expect(decodeEntities((failed as RegExpExecArray)[1])).toBe(inertLine(commitMessage))
          }
        ),
        { numRuns: FUZZ_RUNS.summary }
      )
    ).resolves.toBeUndefined()
  })
})

describe('every payload alone, as a commit message, a branch name and a service message', () => {
  it.each(PAYLOADS.map(p => [p]))('%j', payload => {
    const target: RequestSubject = { region: 'us-east-1', appId: APP_ID, branchName: accepted(payload) }
    const failure = describeFailure(serviceError('BadRequestException', 400, payload), 'StopJob', {
      ...target,
      jobId: '15'
    })
    const stdout = captureStdout(() => {
      logOutcomes(outcomesFor(payload, failure.message, payload), settingsFor(payload))
      core.setFailed(failure.message)
    })
    expect(expectOnlyOwnCommands(stdout).sort()).toEqual(['error', 'notice'])
  })
})

// ---- End to end: the bundled action against a server that holds hostile text -----------------------

const MALICIOUS_COMMIT = [
  'Fix the build ::error::pwned <img src=x onerror=alert(1)> | `rm -rf` ](javascript:alert(1)) %0A%25',
  '::add-mask::hunter2',
  '::stop-commands::token',
  '::error file=x::injected',
  '##[error]injected',
  '<script>alert(1)</script>',
  'a\u2028::error::b\u0085::warning::c\u0000\u001b[31mred\r::notice::d'
].join('\n')
const HOSTILE_BRANCH = `evil/<img src=x onerror=alert(1)>|\`x\`|[a](javascript:alert(1))%0A%25*_~#!&"'\\é`

describe('end to end through dist/index.js', () => {
  it('discovery: a hostile branch name and commit message stay inert in the log, outputs and summary', async () => {
    const server = await startServer({ cancelDelayMs: Infinity })
    server.addJob(APP_ID, HOSTILE_BRANCH, { status: 'SUCCEED', commitMessage: MALICIOUS_COMMIT })
    server.addJob(APP_ID, HOSTILE_BRANCH, { status: 'RUNNING', commitMessage: MALICIOUS_COMMIT })

    const result = await runStep(server, { inputs: { 'app-id': APP_ID, 'branch-name': HOSTILE_BRANCH } })

    expect(result.exitCode).toBe(0)
    expect(result.annotations).toEqual([])
    expectOnlyOwnCommands(result.stdout)
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(2)
    expect(result.stdout).toContain(JSON.stringify(firstLine(MALICIOUS_COMMIT)))
    expect(result.stdout).toContain(JSON.stringify(HOSTILE_BRANCH))
    expectInertSummary(result.summary)
    expect(decodeEntities(result.summary)).toContain(firstLine(MALICIOUS_COMMIT))
    expect(result.outputs['stopped-count']).toBe('1')
    expect(result.outputs.jobs).not.toContain('\n') // the jobs output carries no commit message
    expect(server.getJob(APP_ID, HOSTILE_BRANCH, '2').status).toBe('CANCELLING')
  })

  it('job-id on an ended job: the ::notice:: it issues carries the hostile text inert', async () => {
    const server = await startServer()
    server.addJob(APP_ID, HOSTILE_BRANCH, { status: 'CANCELLED', commitMessage: MALICIOUS_COMMIT })

    const result = await runStep(server, {
      inputs: { 'app-id': APP_ID, 'branch-name': HOSTILE_BRANCH, 'job-id': '1' }
    })

    expect(result.exitCode).toBe(0)
    expect(expectOnlyOwnCommands(result.stdout)).toEqual(['notice'])
    expect(result.annotations[0].message).toMatch(/^Job 1 on branch .* had already ended \(CANCELLED\)/)
    expectInertSummary(result.summary)
  })

  it('the branch of a pull_request_target event, with a hostile head ref, stays inert', async () => {
    const headRef = `x::error::y<b>|\`]( ${'%0A'}`
    const server = await startServer({ cancelDelayMs: Infinity })
    server.addJob(APP_ID, headRef, { status: 'RUNNING', commitMessage: MALICIOUS_COMMIT })

    const result = await runStep(server, {
      inputs: { 'app-id': APP_ID },
      event: {
        name: 'pull_request_target',
        ref: 'refs/pull/7/merge',
        payload: { pull_request: { number: 7, head: { ref: headRef } } }
      }
    })

    expect(result.exitCode).toBe(0)
    expect(result.annotations).toEqual([])
    expectOnlyOwnCommands(result.stdout)
    expectInertSummary(result.summary)
    expect(server.getJob(APP_ID, headRef, '1').status).toBe('CANCELLING')
  })

  it.each([
    [
      'a StopJob refusal fails the step with one ::error::',
      'StopJob',
      400,
      'BadRequestException',
      {},
      1,
      ['error']
    ],
    [
      'an access denial fails the step with one ::error::',
      'StopJob',
      403,
      'AccessDeniedException',
      {},
      1,
      ['error']
    ],
    [
      'a NotFound with if-no-job: warn is one ::warning::',
      'ListJobs',
      404,
      'NotFoundException',
      { 'if-no-job': 'warn' },
      0,
      ['warning']
    ],
    [
      'a NotFound with if-no-job: ignore is a plain line',
      'ListJobs',
      404,
      'NotFoundException',
      { 'if-no-job': 'ignore' },
      0,
      []
    ]
  ] as const)(
    'a hostile service message: %s',
    async (_, operation, status, errorType, inputs, exitCode, commands) => {
      const server = await startServer()
      server.addJob(APP_ID, 'main', { status: 'RUNNING' })
      server.addFault({
        kind: 'error',
        operation,
        status,
        errorType,
        message: `branch ${MALICIOUS_COMMIT}`,
        times: Infinity
      })
      const jobId: Record<string, string> = operation === 'StopJob' ? { 'job-id': '1' } : {}

      const result = await runStep(server, {
        inputs: { 'app-id': APP_ID, 'branch-name': 'main', ...jobId, ...inputs }
      })

      expect(result.exitCode).toBe(exitCode)
      expect(expectOnlyOwnCommands(result.stdout)).toEqual(commands)
      expect(result.stdout).not.toContain('hunter2\n')
      expectInertSummary(result.summary)
    }
  )
})
