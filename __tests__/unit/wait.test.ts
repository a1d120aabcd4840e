// Waiting until stopped jobs have ended, on a virtual clock: per branch one read a round (GetJob for one
// job, ListJobs when its pages cost less), a failure for good ending that branch only, passing failures
// backing off, the deadline, and progress told from the polls' answers. No real timers.
import { describe, expect, it } from '@jest/globals'
import type { Amplify } from '../../src/amplify.js'
import { ActionError } from '../../src/errors.js'
import type { BranchRef, Job, JobOutcome, JobResult } from '../../src/jobs.js'
import {
  baseDelay,
  DEFAULT_SCHEDULE,
  pollBy,
  PROGRESS_EVERY_MS,
  waitUntilEnded,
  type Clock
} from '../../src/wait.js'

/** sleep() parks the caller; once every caller is parked, the clock jumps to the earliest wake-up. */
class FakeClock implements Clock {
  time = 0
  readonly sleeps: number[] = []
  private timers: { at: number; wake: () => void }[] = []
  private pumping = false
  constructor(private readonly fixedRandom = 0.5) {}
  now = () => this.time
  random = () => this.fixedRandom
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms !== PROGRESS_EVERY_MS) this.sleeps.push(ms)
    return new Promise(wake => {
      const timer = { at: this.time + ms, wake }
      this.timers.push(timer)
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter(t => t !== timer)
        wake()
      })
      this.pump()
    })
  }
  private pump(): void {
    if (this.pumping) return
    this.pumping = true
    setImmediate(() => {
      this.pumping = false
      this.timers.sort((a, b) => a.at - b.at)
      const next = this.timers.shift()
      if (!next) return
      this.time = next.at
      next.wake()
      if (this.timers.length > 0) this.pump()
    })
  }
}

type Script = (t: number) => string | Error
function cancelledAt(ms: number): Script {
  return t => (t >= ms ? 'CANCELLED' : 'CANCELLING')
}
function always(answer: string | Error): Script {
  return () => answer
}

function job(jobId: string, status = 'CANCELLING', branchName = 'main', appId = 'd1'): Job {
  return { appId, branchName, jobId, jobArn: `arn:${appId}/${branchName}/${jobId}`, status, commitId: 'abc' }
}
function stopped(
  jobId: string,
  branchName = 'main',
  appId = 'd1',
  result: JobResult = 'stopped'
): JobOutcome {
  return { job: job(jobId, 'CANCELLING', branchName, appId), result, previousStatus: 'RUNNING' }
}

/**
 * An Amplify that answers GetJob and ListJobs from scripts of status by virtual time, keyed "branch/job"
 * (ListJobs lists the branch's scripted jobs, or `listed` when given), recording each request and when.
 */
function scriptedAmplify(
  clock: FakeClock,
  scripts: Record<string, Script>,
  listed?: (b: string) => string[]
) {
  const requests: string[] = []
  const statusOf = (key: string) => {
    const answer = scripts[key](clock.now())
    if (answer instanceof Error) throw answer
    return answer
  }
  const amplify = {
    async getJob({ appId, branchName }: BranchRef, jobId: string) {
      requests.push(`${clock.now()} GetJob ${branchName}/${jobId}`)
      return { ...job(jobId, statusOf(`${branchName}/${jobId}`), branchName, appId), jobArn: 'ignored' }
    },
    async listJobs({ appId, branchName }: BranchRef) {
      requests.push(`${clock.now()} ListJobs ${branchName}`)
      const scripted = Object.keys(scripts).filter(key => key.startsWith(`${branchName}/`))
      const ids = listed?.(branchName) ?? scripted.map(key => key.split('/')[1])
      return { jobs: ids.map(id => job(id, statusOf(`${branchName}/${id}`), branchName, appId)), pages: 1 }
    }
  } as unknown as Amplify
  return { amplify, requests }
}

const run = (clock: FakeClock, amplify: Amplify, outcomes: JobOutcome[], options: object = {}) =>
  waitUntilEnded(amplify, outcomes, { timeoutMs: 300_000, clock, ...options })

describe('what is polled, and how', () => {
  it('one job: a GetJob a round, from 500 ms, doubling, until a final status', async () => {
    const clock = new FakeClock()
    const { amplify, requests } = scriptedAmplify(clock, { 'main/7': cancelledAt(3000) })
    const result = await run(clock, amplify, [stopped('7')])
    expect(requests).toEqual(['500 GetJob main/7', '1500 GetJob main/7', '3500 GetJob main/7'])
    const outcomes = [{ ...stopped('7'), job: job('7', 'CANCELLED') }]
    expect(result).toEqual({ outcomes, unfinished: [], failures: [], waitedMs: 3500 })
  })

  it.each<[number, number | undefined, 'GetJob' | 'ListJobs']>([
    [1, 1, 'GetJob'],
    [1, undefined, 'GetJob'],
    [3, undefined, 'GetJob'],
    [3, 3, 'GetJob'],
    [3, 2, 'ListJobs'],
    [60, 1, 'ListJobs']
  ])('pollBy: %i jobs awaited on a branch of %s pages → %s', (awaited, pages, by) => {
    expect(pollBy(awaited, pages)).toBe(by)
  })

  it("several jobs on a branch whose list is one page: one ListJobs a round, the branch's only read", async () => {
    const clock = new FakeClock()
    const { amplify, requests } = scriptedAmplify(clock, {
      'main/9': cancelledAt(1000),
      'main/8': cancelledAt(3000),
      'main/7': cancelledAt(3000),
      'dev/5': cancelledAt(1000)
    })
    const pagesOf = (branch: BranchRef) => (branch.branchName === 'main' ? 1 : undefined)
    const outcomes = [stopped('9'), stopped('8'), stopped('7'), stopped('5', 'dev')]
    const result = await run(clock, amplify, outcomes, { pagesOf })
    expect(requests.join(', ')).toBe(
      '500 ListJobs main, 500 GetJob dev/5, 1500 ListJobs main, 1500 GetJob dev/5, 3500 ListJobs main'
    )
    expect(result.outcomes.map(o => o.job.status).join(' ')).toBe('CANCELLED CANCELLED CANCELLED CANCELLED')
  })

  it('a job the ListJobs did not show is read with GetJob, in the same round', async () => {
    const clock = new FakeClock()
    const scripts = { 'main/9': cancelledAt(0), 'main/1': cancelledAt(0) }
    const { amplify, requests } = scriptedAmplify(clock, scripts, () => ['9'])
    const result = await run(clock, amplify, [stopped('9'), stopped('1')], { pagesOf: () => 1 })
    expect(requests).toEqual(['500 ListJobs main', '500 GetJob main/1'])
    expect(result.unfinished).toEqual([])
  })

  it('never polls a job that needs no wait', async () => {
    const clock = new FakeClock()
    const { amplify, requests } = scriptedAmplify(clock, {})
    const outcomes: JobOutcome[] = [
      ...(['already-ended', 'kept', 'would-stop', 'failed'] as const).map(r => stopped('1', 'main', 'd1', r)),
      { job: job('5', 'CANCELLED'), result: 'stopped' }
    ]
    expect(await run(clock, amplify, outcomes)).toEqual({
      outcomes,
      unfinished: [],
      failures: [],
      waitedMs: 0
    })
    expect(requests).toEqual([])
  })
})

describe('timing', () => {
  it('backs off from 500 ms to a cap of 10 s, with jitter of ±20 %', async () => {
    expect([0, 1, 2, 3, 4, 5, 50].map(a => baseDelay(a, DEFAULT_SCHEDULE))).toEqual([
      500, 1000, 2000, 4000, 8000, 10000, 10000
    ])
    const jitters = [0.5, 1, 0, 0.8, 0.999999, 1.2]
    for (let i = 0; i < jitters.length; i += 2) {
      const [random, factor] = jitters.slice(i, i + 2)
      const clock = new FakeClock(random)
      const { amplify } = scriptedAmplify(clock, { 'main/7': cancelledAt(60_000) })
      await run(clock, amplify, [stopped('7')])
      const expected = [500, 1000, 2000, 4000, 8000, 10_000, 10_000].map(ms => ms * factor)
      expected.forEach((ms, i) => expect(clock.sleeps[i]).toBeCloseTo(ms, 0))
    }
  })

  it('throttling and passing failures back off one step further, and do not end the wait', async () => {
    for (const kind of ['throttled', 'service', 'network'] as const) {
      const clock = new FakeClock()
      const passing = new ActionError(kind, 'passing')
      const { amplify, requests } = scriptedAmplify(clock, {
        'main/7': t => (t < 3000 ? passing : 'CANCELLED')
      })
      const result = await run(clock, amplify, [stopped('7')])
      expect(clock.sleeps).toEqual([500, 2000, 8000])
      expect(requests).toEqual(['500 GetJob main/7', '2500 GetJob main/7', '10500 GetJob main/7'])
      expect(result).toMatchObject({ unfinished: [], failures: [] })
    }
  })

  it('the deadline: the last sleep is cut to it, one last poll there, and what has not ended is unfinished', async () => {
    const clock = new FakeClock()
    const { amplify, requests } = scriptedAmplify(clock, {
      'main/7': always('CANCELLING'),
      'main/8': always('NEW')
    })
    const result = await run(clock, amplify, [stopped('7'), stopped('8')], { timeoutMs: 30_000 })
    expect(requests.filter(r => r.endsWith('main/7'))).toEqual(
      [500, 1500, 3500, 7500, 15500, 25500, 30000].map(t => `${t} GetJob main/7`)
    )
    expect(result.waitedMs).toBe(30_000)
    // An unknown status is not final: the job is still waited for.
    expect(result.unfinished.map(o => `${o.job.jobId} ${o.job.status}`)).toEqual(['7 CANCELLING', '8 NEW'])
  })
})

describe('a read that fails for good', () => {
  it('ends the wait on its branch only: a failure with app and branch, while the others go on', async () => {
    const clock = new FakeClock()
    const denied = new ActionError('permission', 'Amplify GetJob was denied.')
    const { amplify, requests } = scriptedAmplify(clock, {
      'dev/5': always(denied),
      'main/7': cancelledAt(3000)
    })
    const result = await run(clock, amplify, [stopped('5', 'dev', 'd2'), stopped('7')])
    expect(result.failures).toEqual([
      {
        ...{ appId: 'd2', branchName: 'dev', operation: 'GetJob', kind: 'permission', reason: 'permission' },
        advice: '',
        message: denied.message
      }
    ])
    expect(requests.filter(r => r.includes('dev/'))).toEqual(['500 GetJob dev/5'])
    expect(result.outcomes.map(o => `${o.job.jobId} ${o.job.status}`)).toEqual([
      '5 CANCELLING',
      '7 CANCELLED'
    ])
    expect(result.unfinished).toEqual([]) // the failed branch is a failure, not also unfinished
  })

  it('a bug is no failure to report: the wait rejects with it', async () => {
    const clock = new FakeClock()
    const bug = new TypeError('x is undefined')
    const { amplify } = scriptedAmplify(clock, { 'main/7': always(bug) })
    await expect(run(clock, amplify, [stopped('7')])).rejects.toBe(bug)
  })
})

describe('progress, from the polls answers', () => {
  it('each status change as seen, and every 30 s how many jobs are waited for, by status', async () => {
    const clock = new FakeClock()
    const { amplify, requests } = scriptedAmplify(clock, {
      'main/9': t => (t >= 70_000 ? 'CANCELLED' : 'CANCELLING'),
      'main/8': t => (t >= 2_000 ? 'FAILED' : t >= 1_000 ? 'CANCELLING' : 'RUNNING'),
      'dev/6': t => (t >= 40_000 ? 'CANCELLED' : 'RUNNING')
    })
    const told: string[] = []
    const progress = {
      statusChanged: (j: Job, was: string) => told.push(`${clock.now()} ${j.jobId}: ${was} → ${j.status}`),
      stillWaiting: (jobs: Job[], waitedMs: number) =>
        told.push(`${clock.now()} ${waitedMs}: ${jobs.map(j => `${j.jobId} ${j.status}`).join(', ')}`)
    }
    const outcomes = [stopped('9'), { ...stopped('8'), job: job('8', 'RUNNING') }]
    outcomes.push({ ...stopped('6', 'dev'), job: job('6', 'RUNNING', 'dev') })
    await run(clock, amplify, outcomes, { progress })
    await new Promise(resolve => setImmediate(resolve))
    expect(told).toEqual([
      '1500 8: RUNNING → CANCELLING',
      '3500 8: CANCELLING → FAILED',
      '30000 30000: 9 CANCELLING, 6 RUNNING',
      '45500 6: RUNNING → CANCELLED',
      '60000 60000: 9 CANCELLING',
      '75500 9: CANCELLING → CANCELLED'
    ])
    // Progress costs no request: only the schedule's polls were sent.
    expect(requests.filter(r => r.includes('main/9'))).toHaveLength(11)
  })
})
