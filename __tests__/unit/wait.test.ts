// Waiting until stopped jobs have ended, on a virtual clock: which jobs are polled, when, how often, and what
// a timeout, throttling or a refused poll does. No real timers: the clock jumps to the next sleeper's wake-up.
import { describe, it, expect } from '@jest/globals'
import type { Amplify } from '../../src/amplify.js'
import { ActionError } from '../../src/errors.js'
import { type Job, type JobOutcome, type JobResult } from '../../src/jobs.js'
import { waitTimedOut } from '../../src/messages.js'
import {
  DEFAULT_SCHEDULE,
  PROGRESS_EVERY_MS,
  baseDelay,
  waitUntilEnded,
  type Clock,
  type PollSchedule,
  type WaitProgress
} from '../../src/wait.js'

/**
 * A virtual clock. sleep() parks the caller until the clock reaches its wake-up time; once every caller is
 * parked (setImmediate runs after all pending promise work), the clock jumps to the earliest wake-up.
 */
class FakeClock implements Clock {
  time = 0
  readonly sleeps: number[] = []
  private timers: { at: number; wake: () => void }[] = []
  private pumping = false

  constructor(private readonly fixedRandom = 0.5) {}

  now(): number {
    return this.time
  }

  random(): number {
    return this.fixedRandom
  }

  /** The polls' sleeps: the progress ticks (exactly PROGRESS_EVERY_MS; a poll sleeps 12 s at most) left out. */
  get pollSleeps(): number[] {
    return this.sleeps.filter(ms => ms !== PROGRESS_EVERY_MS)
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms)
    return new Promise(wake => {
      const timer = { at: this.time + ms, wake }
      this.timers.push(timer)
      // Like the real clock, an abort wakes the sleeper at once and leaves no timer behind.
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

type StatusAt = (t: number) => string | Error

/** An Amplify whose GetJob answers from a script of status by virtual time, recording when each job was polled. */
function scriptedAmplify(clock: Pick<Clock, 'now'>, script: Record<string, StatusAt>) {
  const polls: { jobId: string; at: number }[] = []
  const amplify: Amplify = {
    async listJobs() {
      throw new Error('not expected')
    },
    async stopJob() {
      throw new Error('not expected')
    },
    async listApps() {
      throw new Error('not expected')
    },
    async listBranches() {
      throw new Error('not expected')
    },
    async getJob(branch, jobId) {
      polls.push({ jobId, at: clock.now() })
      const status = script[jobId](clock.now())
      if (status instanceof Error) throw status
      return { ...branch, jobId, jobArn: 'from GetJob, must not be used', status }
    },
    close() {}
  }
  const pollTimes = (jobId: string) => polls.filter(p => p.jobId === jobId).map(p => p.at)
  return { amplify, polls, pollTimes }
}

function job(jobId: string, status: string): Job {
  return {
    appId: 'd1',
    branchName: 'main',
    jobId,
    jobArn: `arn:aws:amplify:us-east-1:123456789012:apps/d1/branches/main/jobs/${jobId.padStart(10, '0')}`,
    status,
    commitId: 'abcdef0123456789abcdef0123456789abcdef01'
  }
}

function outcome(jobId: string, status: string, result: JobResult = 'stopped'): JobOutcome {
  return { job: job(jobId, status), result, previousStatus: 'RUNNING' }
}

const cancelledAfter =
  (ms: number): StatusAt =>
  t =>
    t >= ms ? 'CANCELLED' : 'CANCELLING'
const always =
  (status: string): StatusAt =>
  () =>
    status

describe('waitUntilEnded', () => {
  it('sees CANCELLED after a few polls and reports the final status', async () => {
    const clock = new FakeClock()
    const { amplify, pollTimes } = scriptedAmplify(clock, { '7': cancelledAfter(3000) })

    const result = await waitUntilEnded(amplify, [outcome('7', 'CANCELLING')], { timeoutMs: 300_000, clock })

    expect(pollTimes('7')).toEqual([500, 1500, 3500])
    expect(result.unfinished).toEqual([])
    expect(result.waitedMs).toBe(3500)
    expect(result.outcomes).toEqual([
      {
        job: { ...job('7', 'CANCELLING'), status: 'CANCELLED' },
        result: 'stopped',
        previousStatus: 'RUNNING'
      }
    ])
  })

  it('stops polling at the first final status, whichever it is', async () => {
    const clock = new FakeClock()
    const { amplify, pollTimes } = scriptedAmplify(clock, { '7': t => (t >= 1000 ? 'SUCCEED' : 'RUNNING') })
    const result = await waitUntilEnded(amplify, [outcome('7', 'CANCELLING')], { timeoutMs: 60_000, clock })
    expect(pollTimes('7')).toHaveLength(2)
    expect(result.outcomes[0].job.status).toBe('SUCCEED')
  })

  it('times out on a job stuck in CANCELLING and returns it unfinished with its status', async () => {
    const clock = new FakeClock()
    const { amplify, pollTimes } = scriptedAmplify(clock, { '7': always('CANCELLING') })

    const result = await waitUntilEnded(amplify, [outcome('7', 'CANCELLING')], { timeoutMs: 30_000, clock })

    // the last sleep is cut to the deadline, with one last poll there
    expect(pollTimes('7')).toEqual([500, 1500, 3500, 7500, 15500, 25500, 30000])
    expect(result.waitedMs).toBe(30_000)
    expect(result.unfinished.map(o => [o.job.jobId, o.job.status])).toEqual([['7', 'CANCELLING']])
    expect(result.outcomes[0].job.status).toBe('CANCELLING')
  })

  it('an unknown status is not final: it keeps polling until the timeout', async () => {
    const clock = new FakeClock()
    const { amplify } = scriptedAmplify(clock, { '7': always('ARCHIVING') })
    const result = await waitUntilEnded(amplify, [outcome('7', 'CANCELLING')], { timeoutMs: 5_000, clock })
    expect(result.unfinished.map(o => o.job.status)).toEqual(['ARCHIVING'])
  })

  it('throttling slows the polling but does not fail the wait', async () => {
    const clock = new FakeClock()
    const throttled = new ActionError('throttled', 'Amplify kept throttling GetJob')
    const { amplify, pollTimes } = scriptedAmplify(clock, {
      '7': t => (t < 3000 ? throttled : 'CANCELLED')
    })

    const result = await waitUntilEnded(amplify, [outcome('7', 'CANCELLING')], { timeoutMs: 300_000, clock })

    // unthrottled it would sleep 500, 1000, 2000; each throttled poll skips one step of the backoff
    expect(clock.pollSleeps).toEqual([500, 2000, 8000])
    expect(pollTimes('7')).toEqual([500, 2500, 10500])
    expect(result.outcomes[0].job.status).toBe('CANCELLED')
    expect(result.unfinished).toEqual([])
  })

  it.each(['service', 'network'] as const)(
    'a passing %s failure does not fail the wait either',
    async kind => {
      const clock = new FakeClock()
      let failures = 0
      const { amplify } = scriptedAmplify(clock, {
        '7': () => (failures++ < 2 ? new ActionError(kind, 'passing') : 'CANCELLED')
      })
      const result = await waitUntilEnded(amplify, [outcome('7', 'CANCELLING')], {
        timeoutMs: 300_000,
        clock
      })
      expect(result.outcomes[0].job.status).toBe('CANCELLED')
    }
  )

  it('a permission error fails the wait', async () => {
    const clock = new FakeClock()
    const denied = new ActionError('permission', 'Amplify GetJob was denied. Allow amplify:GetJob on ...')
    const { amplify, pollTimes } = scriptedAmplify(clock, { '7': () => denied })

    await expect(
      waitUntilEnded(amplify, [outcome('7', 'CANCELLING')], { timeoutMs: 300_000, clock })
    ).rejects.toBe(denied)
    expect(pollTimes('7')).toEqual([500])
  })

  it('a job that is not found fails the wait, and so does an unexpected error', async () => {
    const clock = new FakeClock()
    const { amplify } = scriptedAmplify(clock, {
      '7': () => new ActionError('not-found', 'Job 7 was not found'),
      '8': () => new TypeError('bug')
    })
    await expect(
      waitUntilEnded(amplify, [outcome('7', 'CANCELLING')], { timeoutMs: 9_000, clock })
    ).rejects.toMatchObject({
      kind: 'not-found'
    })
    await expect(
      waitUntilEnded(amplify, [outcome('8', 'CANCELLING')], { timeoutMs: 9_000, clock })
    ).rejects.toBeInstanceOf(TypeError)
  })

  it('never polls jobs already-ended, kept, would-stop or failed, nor a stopped job whose status is already final', async () => {
    const clock = new FakeClock()
    const { amplify, polls } = scriptedAmplify(clock, {})
    const outcomes = [
      outcome('1', 'CANCELLED', 'already-ended'),
      outcome('2', 'RUNNING', 'kept'),
      outcome('3', 'RUNNING', 'would-stop'),
      outcome('4', 'RUNNING', 'failed'),
      outcome('5', 'CANCELLED', 'stopped')
    ]

    const result = await waitUntilEnded(amplify, outcomes, { timeoutMs: 300_000, clock })

    expect(polls).toEqual([])
    expect(clock.pollSleeps).toEqual([])
    expect(result).toEqual({ outcomes, unfinished: [], waitedMs: 0 })
  })

  it('polls a job that was already stopping', async () => {
    const clock = new FakeClock()
    const { amplify, pollTimes } = scriptedAmplify(clock, { '6': cancelledAfter(100) })
    const result = await waitUntilEnded(
      amplify,
      [outcome('6', 'CANCELLING', 'already-stopping'), outcome('5', 'SUCCEED', 'already-ended')],
      { timeoutMs: 300_000, clock }
    )
    expect(pollTimes('6')).toEqual([500])
    expect(result.outcomes.map(o => [o.job.jobId, o.result, o.job.status])).toEqual([
      ['6', 'already-stopping', 'CANCELLED'],
      ['5', 'already-ended', 'SUCCEED']
    ])
  })

  it('starts at 500 ms and doubles up to a cap of 10 s (random fixed at 0.5: no jitter)', async () => {
    const clock = new FakeClock(0.5)
    const { amplify } = scriptedAmplify(clock, { '7': cancelledAfter(80_000) })
    await waitUntilEnded(amplify, [outcome('7', 'CANCELLING')], { timeoutMs: 300_000, clock })
    expect(clock.pollSleeps).toEqual([500, 1000, 2000, 4000, 8000, ...Array<number>(7).fill(10_000)])
  })

  it.each([
    [0, 0.8],
    [0.999999, 1.2]
  ])(
    'jitter: random %d scales each delay by about %d, so the cap stays near 10 s',
    async (random, factor) => {
      const clock = new FakeClock(random)
      const { amplify } = scriptedAmplify(clock, { '7': always('CANCELLING') })
      await waitUntilEnded(amplify, [outcome('7', 'CANCELLING')], { timeoutMs: 120_000, clock })
      const expected = [500, 1000, 2000, 4000, 8000, 10000, 10000].map(ms => ms * factor)
      clock.pollSleeps.slice(0, expected.length).forEach((ms, i) => expect(ms).toBeCloseTo(expected[i], 0))
      expect(Math.max(...clock.pollSleeps)).toBeLessThanOrEqual(12_000)
      expect(Math.max(...clock.pollSleeps)).toBeGreaterThanOrEqual(8_000)
    }
  )

  it('polls the jobs concurrently: each on its own schedule, the wait as long as the slowest', async () => {
    const clock = new FakeClock()
    const { amplify, pollTimes } = scriptedAmplify(clock, {
      '9': cancelledAfter(20_000),
      '8': cancelledAfter(1_000),
      '7': always('CANCELLING')
    })

    const result = await waitUntilEnded(
      amplify,
      [outcome('9', 'CANCELLING'), outcome('8', 'CANCELLING'), outcome('7', 'CANCELLING')],
      { timeoutMs: 10_000, clock }
    )

    expect(pollTimes('8')).toEqual([500, 1500])
    expect(pollTimes('9')).toEqual([500, 1500, 3500, 7500, 10000])
    expect(pollTimes('7')).toEqual([500, 1500, 3500, 7500, 10000])
    expect(result.waitedMs).toBe(10_000)
    expect(result.outcomes.map(o => [o.job.jobId, o.job.status])).toEqual([
      ['9', 'CANCELLING'],
      ['8', 'CANCELLED'],
      ['7', 'CANCELLING']
    ])
    expect(result.unfinished.map(o => o.job.jobId)).toEqual(['9', '7'])
  })
})

describe('a poll that fails for good', () => {
  it('ends the polling of every other job too, so no timer outlives the step', async () => {
    // Real time here: the point is that no timer of job 2 is left running once the wait has failed.
    const { amplify, pollTimes } = scriptedAmplify(Date, {
      '1': () => new ActionError('permission', 'Amplify GetJob was denied.'),
      '2': () => 'CANCELLING'
    })
    const fast = { firstDelayMs: 5, maxDelayMs: 5, jitter: 0 }
    const started = Date.now()
    await expect(
      waitUntilEnded(
        amplify,
        [
          { job: job('1', 'CANCELLING'), result: 'stopped' },
          { job: job('2', 'CANCELLING'), result: 'stopped' }
        ],
        { timeoutMs: 60_000, schedule: fast }
      )
    ).rejects.toThrow('Amplify GetJob was denied.')
    const pollsOfTwo = pollTimes('2').length
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(pollTimes('2')).toHaveLength(pollsOfTwo) // job 2 stopped polling
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})

describe('what a wait costs in GetJob requests, under the default schedule', () => {
  /** GetJob polls until a job that is cancelled `cancelMs` after the stop is seen CANCELLED. */
  async function pollsFor(cancelMs: number, random = 0.5): Promise<{ polls: number; seenAt: number }> {
    const clock = new FakeClock(random)
    const { amplify, polls } = scriptedAmplify(clock, { '7': cancelledAfter(cancelMs) })
    const result = await waitUntilEnded(amplify, [outcome('7', 'CANCELLING')], { timeoutMs: 300_000, clock })
    expect(result.unfinished).toEqual([])
    return { polls: polls.length, seenAt: result.waitedMs }
  }

  it('a 1-second cancel costs 2 GetJob requests and is seen at 1.5 s', async () => {
    expect(await pollsFor(1_000)).toEqual({ polls: 2, seenAt: 1_500 })
    // whatever the jitter
    expect((await pollsFor(1_000, 0)).polls).toBe(2)
    expect((await pollsFor(1_000, 0.999999)).polls).toBe(2)
  })

  it('a 60-second cancel costs 10 GetJob requests (9 to 11 with jitter) and is seen within 10 s', async () => {
    const mid = await pollsFor(60_000)
    expect(mid).toEqual({ polls: 10, seenAt: 65_500 })
    expect((await pollsFor(60_000, 0)).polls).toBe(11)
    expect((await pollsFor(60_000, 0.999999)).polls).toBe(9)
  })
})

describe('baseDelay', () => {
  it('baseDelay doubles from firstDelayMs and stops at maxDelayMs', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map(a => baseDelay(a, DEFAULT_SCHEDULE))).toEqual([
      500, 1000, 2000, 4000, 8000, 10000, 10000, 10000
    ])
  })
})

describe('waitTimedOut', () => {
  it('names the one job and its status', () => {
    expect(waitTimedOut([outcome('7', 'CANCELLING')], 300)).toBe(
      'Waited 300 s (wait-timeout), but this job has not ended: job 7 (CANCELLING). Amplify can leave a job CANCELLING for a long time; raise wait-timeout, or check the job in the Amplify console.'
    )
  })

  it('names each of several jobs and its status', () => {
    const message = waitTimedOut([outcome('9', 'CANCELLING'), outcome('8', 'RUNNING')], 60)
    expect(message).toMatch(
      /^Waited 60 s \(wait-timeout\), but these jobs have not ended: job 9 \(CANCELLING\), job 8 \(RUNNING\)\./
    )
  })
})

describe('progress while waiting', () => {
  /** A WaitProgress that records what it was told, with the virtual time. */
  function recorder(clock: Pick<Clock, 'now'>) {
    const told: string[] = []
    const progress: WaitProgress = {
      statusChanged: (changed, was) =>
        told.push(`${clock.now()} ${changed.jobId}: ${was} → ${changed.status}`),
      stillWaiting: (jobs, waitedMs) =>
        told.push(
          `${clock.now()} waiting ${waitedMs} ms: ${jobs.map(j => `${j.jobId} ${j.status}`).join(', ')}`
        )
    }
    return { told, progress }
  }

  it('tells each status change as it is seen, and every 30 s which jobs are still waited for', async () => {
    const clock = new FakeClock()
    const { amplify, polls } = scriptedAmplify(clock, {
      '9': t => (t >= 70_000 ? 'CANCELLED' : 'CANCELLING'),
      '8': t => (t >= 2_000 ? 'FAILED' : t >= 1_000 ? 'CANCELLING' : 'RUNNING')
    })
    const { told, progress } = recorder(clock)

    const result = await waitUntilEnded(amplify, [outcome('9', 'CANCELLING'), outcome('8', 'RUNNING')], {
      timeoutMs: 300_000,
      clock,
      progress
    })

    expect(result.unfinished).toEqual([])
    expect(told).toEqual([
      '1500 8: RUNNING → CANCELLING',
      '3500 8: CANCELLING → FAILED',
      '30000 waiting 30000 ms: 9 CANCELLING',
      '60000 waiting 60000 ms: 9 CANCELLING',
      '75500 9: CANCELLING → CANCELLED'
    ])
    // progress costs no request: the polls are those of the schedule alone
    const { amplify: quiet, polls: quietPolls } = scriptedAmplify(new FakeClock(), {})
    expect(quiet).toBeDefined()
    expect(quietPolls).toEqual([])
    expect(polls.filter(p => p.jobId === '9').map(p => p.at)).toEqual([
      500, 1500, 3500, 7500, 15500, 25500, 35500, 45500, 55500, 65500, 75500
    ])
  })

  it('says nothing more once the wait has ended, and nothing at all when no job needs waiting', async () => {
    const clock = new FakeClock()
    const { amplify } = scriptedAmplify(clock, { '7': cancelledAfter(1_000) })
    const { told, progress } = recorder(clock)
    await waitUntilEnded(amplify, [outcome('7', 'CANCELLING')], { timeoutMs: 300_000, clock, progress })
    await waitUntilEnded(amplify, [outcome('5', 'SUCCEED', 'already-ended')], {
      timeoutMs: 300_000,
      clock,
      progress
    })
    await new Promise(resolve => setImmediate(resolve))
    expect(told).toEqual(['1500 7: CANCELLING → CANCELLED'])
    expect(clock.sleeps.filter(ms => ms === PROGRESS_EVERY_MS)).toHaveLength(1) // one tick started, then aborted
  })

  it('keeps telling at the timeout of a job stuck in CANCELLING', async () => {
    const clock = new FakeClock()
    const { amplify } = scriptedAmplify(clock, { '7': always('CANCELLING') })
    const { told, progress } = recorder(clock)
    const slow: PollSchedule = { ...DEFAULT_SCHEDULE }
    const result = await waitUntilEnded(amplify, [outcome('7', 'CANCELLING')], {
      timeoutMs: 95_000,
      clock,
      progress,
      schedule: slow
    })
    expect(result.unfinished).toHaveLength(1)
    expect(told).toEqual([
      '30000 waiting 30000 ms: 7 CANCELLING',
      '60000 waiting 60000 ms: 7 CANCELLING',
      '90000 waiting 90000 ms: 7 CANCELLING'
    ])
  })
})
