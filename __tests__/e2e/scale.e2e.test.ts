// Issue 15, end to end: sweeps that hold on a real account. One test per rule of its contract, through
// dist/index.js on the runtime action.yml declares, against a local server that throttles with a token bucket
// as AWS control planes do. Each asserts outputs, exit code, the requests that reached the server and the
// jobs' states there. The figures at the scale of a real account (2 x 150 branches at 10 requests a second,
// the stops-first gap in 2 x 60) come from `npm run bench -- --only throttled-sweep,stops-first`.
// Every test is in one describe block, longest first: jest runs the concurrent tests of one block together.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import type { AmplifyServer } from '../support/amplify-server.js'
import {
  afterThisTest,
  countByOperation,
  expectFailure,
  expectInputError,
  expectOnlyOwnCommands,
  expectSuccess,
  htmlToText,
  jobLines,
  runStep,
  startServer,
  statuses,
  type JobItem
} from '../support/harness.js'

const APPS = ['d15a0000000001', 'd15a0000000002', 'd15a0000000003']
/** The bound src/amplify.ts keeps on requests in flight. */
const MAX_IN_FLIGHT = 8
/** AWS_MAX_ATTEMPTS when unset (src/amplify.ts). */
const DEFAULT_MAX_ATTEMPTS = 5
/** src/wait.ts's first poll delay (500 ms) less its jitter (20 %): no two polls of a branch come closer. */
const POLL_ROUND_MS = 400

const branchName = (i: number) => `b${String(i).padStart(2, '0')}`

/** `jobsEach` RUNNING jobs on each of branches b00, b01, … of every app given. */
function seedSweep(server: AmplifyServer, apps: readonly string[], branches: number, jobsEach = 1): void {
  for (const app of apps) for (let i = 0; i < branches; i++) server.addJobs(app, branchName(i), jobsEach)
}

const sweepInputs = (apps: readonly string[]) => ({ 'app-id': apps.join(','), 'branch-name': '*' })

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[values.length >> 1]
}

function tally(values: readonly (string | null | undefined)[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1
  return counts
}

describe('issue 15: sweeps that hold on a real account', () => {
  // ---- A request that timed out may have taken effect -----------------------------------------------
  // Every attempt of the StopJob times out: the first hangs until the client's 10 s request timeout, the
  // second's connection is reset (the SDK reports ECONNRESET as a TimeoutError too). Two hangs would take
  // over 20 s along the same path through the code.
  it.concurrent.each([
    [
      'Amplify acted on the first attempt: the job is reported stopped',
      true,
      { exitCode: 0, errors: [], status: 'CANCELLING', stopped: '1', jobs: ['1 CANCELLING stopped'] }
    ],
    [
      'Amplify never acted: the stop is reported failed, the job still RUNNING',
      false,
      {
        exitCode: 1,
        errors: [
          expect.stringMatching(
            /^Amplify did not answer StopJob for job 1 on branch "main" .*after 2 attempts/
          )
        ],
        status: 'RUNNING',
        stopped: '0',
        jobs: []
      }
    ]
  ])('a StopJob whose every attempt timed out, then one GetJob: %s', async (_, applied, expected) => {
    const server = await startServer({ cancelDelayMs: Infinity })
    server.addJob(APPS[0], 'main', { status: 'RUNNING' })
    server.addFault({ operation: 'StopJob', kind: 'hang', applied })
    server.addFault({ operation: 'StopJob', kind: 'reset' })

    const result = await runStep(server, {
      inputs: { 'app-id': APPS[0], 'branch-name': 'main', 'job-id': '1' },
      env: { AWS_MAX_ATTEMPTS: '2' }
    })

    expect(statuses(server)).toEqual(['StopJob hang', 'StopJob reset', 'GetJob 200'])
    expect(server.requests.map(r => r.attempt)).toEqual([1, 2, 1])
    expect({
      exitCode: result.exitCode,
      errors: result.errors.map(e => e.message),
      status: server.getJob(APPS[0], 'main', '1').status,
      stopped: result.outputs['stopped-count'],
      jobs: (result.jobs ?? []).map(j => `${j.jobId} ${j.status} ${j.result}`)
    }).toEqual(expected)
  })

  // ---- Throttling: paced to the account, each request with its own attempts ------------------------
  it.concurrent.each([
    ['429 LimitExceededException', 429, 'LimitExceededException'],
    // amplify-hosting#3748: Amplify's "Rate exceeded" as a BadRequestException is throttling too.
    ['400 BadRequestException "Rate exceeded"', 400, 'BadRequestException']
  ])('a 2 x 20 sweep under a token bucket answering %s stops every job', async (_, status, errorType) => {
    const RATE = 40
    const BURST = 5
    const server = await startServer({
      latencyMs: 15,
      cancelDelayMs: Infinity,
      throttle: { rate: RATE, burst: BURST, status, errorType, message: 'Rate exceeded' }
    })
    seedSweep(server, APPS.slice(0, 2), 20)

    const result = await runStep(server, { inputs: sweepInputs(APPS.slice(0, 2)) })

    expectSuccess(result)
    expect(result.outputs['stopped-count']).toBe('40')
    const jobs = result.jobs ?? []
    expect(jobs).toHaveLength(40)
    for (const j of jobs) expect(server.getJob(j.appId, j.branchName, j.jobId).status).toBe('CANCELLING')
    // Every request needed got through once; the bucket answered some, each retried within its own attempts.
    expect(countByOperation(server, r => r.status === 200)).toEqual({
      ListBranches: 2,
      ListJobs: 40,
      StopJob: 40
    })
    const answered = server.requests.filter(r => r.status === 200)
    const throttled = server.requests.filter(r => r.throttled)
    expect(throttled.length).toBeGreaterThan(0)
    expect(server.requests.length).toBe(answered.length + throttled.length)
    expect(Math.max(...server.requests.map(r => r.attempt ?? 0))).toBeLessThanOrEqual(DEFAULT_MAX_ATTEMPTS)
    for (const r of throttled)
      expect(server.requests).toContainEqual(
        expect.objectContaining({ path: r.path, query: r.query, attempt: (r.attempt ?? 0) + 1 })
      )
    // The run went at the bucket's pace: no faster than the requests it needed allow (no upper bound here).
    const sweepMs = Math.max(...server.requests.map(r => r.endTime ?? 0)) - server.requests[0].time
    expect(sweepMs).toBeGreaterThanOrEqual(((answered.length - BURST) / RATE) * 1000 * 0.9)
  })

  it.concurrent(
    'each request keeps its own attempts: 40 ListJobs that fail 3 times each all answer',
    async () => {
      // One retry budget for the client (the SDK's: 500 tokens, 14 a retry after a 500, given back on success)
      // would be spent by half of these branches; the others would fail after a single attempt.
      const server = await startServer({ cancelDelayMs: Infinity })
      seedSweep(server, APPS.slice(0, 2), 20)
      const failed = new Map<string, number>()
      server.onRequest(({ operation, appId, branchName }) => {
        const key = `${appId}/${branchName}`
        if (operation !== 'ListJobs' || (failed.get(key) ?? 0) >= 3) return
        failed.set(key, (failed.get(key) ?? 0) + 1)
        throw new Error('unavailable') // a 500
      })

      const result = await runStep(server, { inputs: sweepInputs(APPS.slice(0, 2)) })

      expectSuccess(result)
      expect(result.outputs['stopped-count']).toBe('40')
      const lists = server.requestsFor('ListJobs')
      expect(tally(lists.map(r => `${r.attempt} ${r.status}`))).toEqual({
        '1 500': 40,
        '2 500': 40,
        '3 500': 40,
        '4 200': 40
      })
    }
  )

  // ---- GitHub's size limits ---------------------------------------------------------------------------
  it.concurrent(
    '3,000 jobs: a summary under 1,000,000 bytes, a jobs output under 500,000 characters, a full jobs-file',
    async () => {
      const app = APPS[0]
      const server = await startServer({ cancelDelayMs: Infinity })
      server.addJobs(app, '00-stopping', 3, { status: 'CANCELLING' }) // read first: "the rest"
      seedSweep(server, [app], 60, 50) // b00 … b59, one ListJobs page each
      server.addJobs(app, 'zz-denied', 2) // read last: failed
      server.deny('StopJob', { appId: app, branchName: 'zz-denied' })
      const temp = mkdtempSync(join(tmpdir(), 'amplify-stop-job-scale-'))
      afterThisTest(() => rmSync(temp, { recursive: true, force: true }))

      const result = await runStep(server, {
        inputs: { 'app-id': app, 'branch-name': '*' },
        env: { RUNNER_TEMP: temp }
      })

      expectFailure(result, 'denied (AccessDeniedException) for 2 jobs')
      expect(result.outputs['stopped-count']).toBe('3000')
      expect(server.requestsFor('StopJob')).toHaveLength(3002)
      // jobs-file: under RUNNER_TEMP, every entry, in target order (branches by name, newest job first).
      const file = result.outputs['jobs-file']
      expect(file.startsWith(temp)).toBe(true)
      const all = JSON.parse(readFileSync(file, 'utf8')) as JobItem[]
      expect(tally(all.map(j => j.result))).toEqual({ 'already-stopping': 3, stopped: 3000, failed: 2 })
      expect(all.slice(0, 4).map(j => `${j.branchName}#${j.jobId} ${j.result}`)).toEqual([
        '00-stopping#3 already-stopping',
        '00-stopping#2 already-stopping',
        '00-stopping#1 already-stopping',
        'b00#50 stopped'
      ])
      expect(all.at(-1)).toMatchObject({ branchName: 'zz-denied', jobId: '1', result: 'failed' })
      // The jobs output: valid JSON under 500,000 characters, the first entries of the full list in order.
      expect(result.outputs.jobs.length).toBeLessThan(500_000)
      expect(result.outputs.jobs.length).toBeGreaterThan(400_000)
      const kept = result.jobs ?? []
      expect(kept).toEqual(all.slice(0, kept.length))
      const cut = result.warnings.filter(w => w.message.includes('jobs-file'))
      expect(cut).toHaveLength(1)
      expect(cut[0].message).toContain(`The jobs output holds the first ${kept.length} of 3005 entries`)
      expect(cut[0].message).toContain(file)
      // The summary: under 1,000,000 bytes, failures first, then stops; the line says what it leaves out.
      expect(Buffer.byteLength(result.summary)).toBeLessThan(1_000_000)
      const rows = [...result.summary.matchAll(/<td>(failed|stopped|already-stopping)<\/td>/g)].map(m => m[1])
      expect(rows.slice(0, 3)).toEqual(['failed', 'failed', 'stopped'])
      expect(new Set(rows.slice(2))).toEqual(new Set(['stopped']))
      const leftOut = htmlToText(result.summary.split('\n').find(line => line.includes('left out')) ?? '')
      expect(leftOut).toMatch(
        new RegExp(`^${3005 - rows.length} of 3005 rows are left out \\(failures and stops`)
      )
      // Where the complete list is: the jobs-file (the jobs output, cut too, holds only its first entries).
      expect(leftOut).toMatch(/ Every job is in the file the jobs-file output names \(upload it [^)]*\)\.$/)
    }
  )

  // ---- Waiting scales with branches, not jobs; a failed read ends the wait there only ---------------
  it.concurrent.each([
    // One job awaited on the denied app's branch: polled by GetJob, which is denied.
    ['GetJob', 1],
    // Two jobs awaited there, one page: polled by ListJobs, denied once its stops went out.
    ['ListJobs', 2]
  ] as const)(
    'wait over 8 branches x 2 jobs: a ListJobs per branch a round; %s denied on one app ends the wait there only',
    async (operation, deniedJobs) => {
      const [DENIED, OTHER] = APPS
      const BRANCHES = 8
      const server = await startServer({ cancelDelayMs: Infinity })
      server.addJobs(DENIED, 'main', deniedJobs)
      seedSweep(server, [OTHER], BRANCHES, 2)
      // The other app's two jobs of a branch end together, at its second poll: were they to end apart, one
      // job alone would be awaited, and rightly polled by GetJob.
      const lists = new Map<string, number>()
      server.onRequest(r => {
        if (r.operation !== 'ListJobs' || r.appId !== OTHER || !r.branchName) return
        const n = (lists.get(r.branchName) ?? 0) + 1
        lists.set(r.branchName, n)
        if (n === 3) for (const id of ['1', '2']) server.setJobStatus(OTHER, r.branchName, id, 'CANCELLED')
      })
      if (operation === 'GetJob') server.deny('GetJob', { appId: DENIED })
      else
        server.onRequest(r => {
          if (r.operation === 'StopJob' && r.appId === DENIED) server.deny('ListJobs', { appId: DENIED })
        })

      const result = await runStep(server, {
        inputs: { ...sweepInputs([DENIED, OTHER]), wait: 'true' }
      })

      const message = expectFailure(
        result,
        `[app ${DENIED}, ${operation}] Amplify ${operation} for `,
        'branch "main" was denied'
      )
      expect(message).not.toContain(OTHER)
      expect(result.outputs['stopped-count']).toBe(String(deniedJobs + 2 * BRANCHES))
      const jobs = result.jobs ?? []
      expect(tally(jobs.map(j => `${j.appId} ${j.status}`))).toEqual({
        [`${DENIED} CANCELLING`]: deniedJobs,
        [`${OTHER} CANCELLED`]: 2 * BRANCHES
      })
      // The denied app was polled once, and the other app's polls went on after that.
      const denied = server.requests.filter(r => r.status === 403)
      expect(denied.map(r => `${r.operation} ${r.appId}`)).toEqual([`${operation} ${DENIED}`])
      expect(server.requests.filter(r => r.appId === DENIED).at(-1)).toBe(denied[0])
      expect(server.requests.filter(r => r.time > denied[0].time).length).toBeGreaterThanOrEqual(BRANCHES)
      // Two jobs awaited per branch, one page: one ListJobs a round per branch, never a GetJob per job.
      expect(server.requestsFor('GetJob').filter(r => r.appId === OTHER)).toEqual([])
      for (let i = 0; i < BRANCHES; i++) {
        const reads = server.requests.filter(r => r.appId === OTHER && r.branchName === branchName(i))
        expect(reads.map(r => r.operation)).toEqual([
          'ListJobs',
          'StopJob',
          'StopJob',
          ...reads.slice(3).map(() => 'ListJobs')
        ])
        const polls = reads.slice(3)
        expect(polls).toHaveLength(2) // CANCELLING at the first, CANCELLED at the second
        for (let k = 1; k < polls.length; k++)
          expect(polls[k].time - polls[k - 1].time).toBeGreaterThanOrEqual(POLL_ROUND_MS)
      }
    }
  )

  // ---- Messages a person can read ---------------------------------------------------------------------
  // Not throttling: with every answer throttled, the client's pacing falls to 0.5 requests a second, and 100
  // branches x 2 attempts would take minutes. Denials and 500s fail as many branches in a second, grouped
  // by the same rules (app, operation, cause; counts, first few targets, advice once).
  it.concurrent(
    '200 failed branches and a wait-timeout over 5: one error under 4,000 characters, grouped, every line short',
    async () => {
      const [DENIED, FAILING, WAITED] = APPS
      const server = await startServer({ cancelDelayMs: Infinity })
      seedSweep(server, [DENIED, FAILING], 100)
      seedSweep(server, [WAITED], 5)
      server.deny('ListJobs', { appId: DENIED })
      server.onRequest(r => {
        if (r.operation === 'ListJobs' && r.appId === FAILING) throw new Error('unavailable') // a 500
      })

      const result = await runStep(server, {
        inputs: { ...sweepInputs(APPS), wait: 'true', 'wait-timeout': '2s' },
        env: { AWS_MAX_ATTEMPTS: '2' }
      })

      const message = expectFailure(result)
      expect(message.length).toBeLessThan(4000)
      // A line for each group, with its real count and first few targets, then each piece of advice once.
      const first3 = '100 branches \\("b00", "b01", "b02" and 97 more\\)'
      expect(message.split('\n')).toEqual([
        expect.stringMatching(/^201 Amplify requests failed /),
        expect.stringMatching(new RegExp(`^App ${DENIED}, ListJobs: .*AccessDeniedException.* ${first3}`)),
        expect.stringMatching(
          new RegExp(`^App ${FAILING}, ListJobs: .*InternalFailureException.* ${first3}`)
        ),
        expect.stringMatching(
          new RegExp(
            `^Waited 2s \\(wait-timeout\\).* 5 jobs .*app ${WAITED}: "b00" \\(job 1 CANCELLING\\), ` +
              '"b01" \\(job 1 CANCELLING\\) and 3 more branches'
          )
        ),
        expect.stringMatching(new RegExp(`^To fix: .*amplify:ListJobs .*:apps/${DENIED}/branches/\\*`)),
        expect.stringMatching(/^To fix: /)
      ])
      // Every line of the log, each line of the error too, is the action's own and at most 1,000 characters.
      expectOnlyOwnCommands(result.stdout)
      expect(tally(server.requests.map(r => `${r.operation} ${r.appId} ${r.status}`))).toMatchObject({
        [`ListJobs ${DENIED} 403`]: 100,
        [`ListJobs ${FAILING} 500`]: 200,
        [`StopJob ${WAITED} 200`]: 5
      })
      expect(result.outputs['stopped-count']).toBe('5')
    }
  )

  // ---- Stops first --------------------------------------------------------------------------------------
  it.concurrent(
    'in a 2 x 30 sweep, each branch’s StopJob goes out as soon as its list answered',
    async () => {
      const LATENCY = 40
      const server = await startServer({ latencyMs: LATENCY, cancelDelayMs: Infinity })
      seedSweep(server, APPS.slice(0, 2), 30)

      const result = await runStep(server, { inputs: sweepInputs(APPS.slice(0, 2)) })

      expectSuccess(result)
      expect(result.outputs['stopped-count']).toBe('60')
      expect(server.peakInFlight).toBeLessThanOrEqual(MAX_IN_FLIGHT)
      const { requests } = server
      const lists = requests.filter(r => r.operation === 'ListJobs')
      // For each stop: how many reads reached the server after its own branch's list answered and before it.
      // Queued behind the reads, a stop would let every read still waiting go first (a median near half the 60
      // branches). How long after the answer it came is the bench's to measure (stops-first).
      const overtaking: number[] = []
      requests.forEach((stop, at) => {
        if (stop.operation !== 'StopJob') return
        const own = lists.find(l => l.appId === stop.appId && l.branchName === stop.branchName)
        const answeredAt = own?.endTime ?? Infinity
        overtaking.push(
          requests.slice(0, at).filter(r => r.operation === 'ListJobs' && r.time > answeredAt).length
        )
      })
      expect(overtaking).toHaveLength(60)
      expect(median(overtaking)).toBeLessThanOrEqual(2)
      expect(Math.max(...overtaking)).toBeLessThanOrEqual(2 * MAX_IN_FLIGHT)
      // The reads were spread out (60, 8 at a time), so a stop queued behind them would have been overtaken.
      const readsMs = Math.max(...lists.map(l => l.endTime ?? 0)) - lists[0].time
      expect(readsMs).toBeGreaterThan(5 * LATENCY)
    }
  )

  // ---- Missing apps are classified from what Amplify said about the app -------------------------------
  it.concurrent.each(['b1', 'App'])(
    "app-id 'dkeep dnothere' with branch-name %s fails, naming dnothere, and stops dkeep's job",
    async branch => {
      const server = await startServer({ cancelDelayMs: Infinity })
      server.addJob('dkeep', branch, { status: 'RUNNING' })

      const result = await runStep(server, { inputs: { 'app-id': 'dkeep dnothere', 'branch-name': branch } })

      expectFailure(
        result,
        /^\[app dnothere, ListJobs\] App dnothere /,
        'us-east-1',
        'ListJobs: App not found: dnothere',
        'app-id'
      )
      expect(statuses(server).sort()).toEqual(['ListJobs 200', 'ListJobs 404', 'StopJob 200'])
      expect(jobLines(result)).toEqual([`dkeep/${branch}#1 stopped`])
      expect(server.getJob('dkeep', branch, '1').status).toBe('CANCELLING')
    }
  )

  // ---- Job ARNs: the region belongs to the partition --------------------------------------------------
  it.concurrent.each([
    ['aws-cn', 'us-east-1'],
    ['aws-us-gov', 'us-east-1'],
    ['aws', 'cn-north-1']
  ])('arn:%s:amplify:%s:… is an input error naming job-id, before any request', async (partition, region) => {
    const server = await startServer()
    const arn = `arn:${partition}:amplify:${region}:123456789012:apps/${APPS[0]}/branches/main/jobs/0000000001`

    const result = await runStep(server, { inputs: { 'job-id': arn } })

    expectInputError(result, server, 'Input job-id "arn:', `"${region}"`, `the ${partition} partition`)
  })
})
