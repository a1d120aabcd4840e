// Waiting until stopped jobs have ended, on a virtual clock: which jobs are polled, when, how often, and what
// a timeout, throttling or a refused poll does. No real timers: the clock jumps to the next sleeper's wake-up.
import { describe, it, expect } from '@jest/globals'
import type { Amplify } from '../../src/amplify.js'
import { ActionError } from '../../src/errors.js'
import { needsWaiting, type Job, type JobOutcome, type JobResult } from '../../src/jobs.js'
import {
  DEFAULT_SCHEDULE,
  baseDelay,
  describeUnfinished,
  waitUntilEnded,
  type Clock
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

  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms)
    return new Promise(wake => {
      this.timers.push({ at: this.time + ms, wake })
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
    async getJob(jobId) {
      polls.push({ jobId, at: clock.now() })
      const status = script[jobId](clock.now())
      if (status instanceof Error) throw status
      return { jobId, jobArn: 'from GetJob, must not be used', status }
    },
    close() {}
  }
  const pollTimes = (jobId: string) => polls.filter(p => p.jobId === jobId).map(p => p.at)
  return { amplify, polls, pollTimes }
}

function job(jobId: string, status: string): Job {
  return {
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

    const result = await waitUntilEnded(
      amplify,
      [outcome('7', 'CANCELLING')],
      300_000,
      DEFAULT_SCHEDULE,
      clock
    )

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
    const result = await waitUntilEnded(
      amplify,
      [outcome('7', 'CANCELLING')],
      60_000,
      DEFAULT_SCHEDULE,
      clock
    )
    expect(pollTimes('7')).toHaveLength(2)
    expect(result.outcomes[0].job.status).toBe('SUCCEED')
  })

  it('times out on a job stuck in CANCELLING and returns it unfinished with its status', async () => {
    const clock = new FakeClock()
    const { amplify, pollTimes } = scriptedAmplify(clock, { '7': always('CANCELLING') })

    const result = await waitUntilEnded(
      amplify,
      [outcome('7', 'CANCELLING')],
      30_000,
      DEFAULT_SCHEDULE,
      clock
    )

    // the last sleep is cut to the deadline, with one last poll there
    expect(pollTimes('7')).toEqual([500, 1500, 3500, 7500, 15500, 25500, 30000])
    expect(result.waitedMs).toBe(30_000)
    expect(result.unfinished.map(o => [o.job.jobId, o.job.status])).toEqual([['7', 'CANCELLING']])
    expect(result.outcomes[0].job.status).toBe('CANCELLING')
  })

  it('an unknown status is not final: it keeps polling until the timeout', async () => {
    const clock = new FakeClock()
    const { amplify } = scriptedAmplify(clock, { '7': always('ARCHIVING') })
    const result = await waitUntilEnded(amplify, [outcome('7', 'CANCELLING')], 5_000, DEFAULT_SCHEDULE, clock)
    expect(result.unfinished.map(o => o.job.status)).toEqual(['ARCHIVING'])
  })

  it('throttling slows the polling but does not fail the wait', async () => {
    const clock = new FakeClock()
    const throttled = new ActionError('throttled', 'Amplify kept throttling GetJob')
    const { amplify, pollTimes } = scriptedAmplify(clock, {
      '7': t => (t < 3000 ? throttled : 'CANCELLED')
    })

    const result = await waitUntilEnded(
      amplify,
      [outcome('7', 'CANCELLING')],
      300_000,
      DEFAULT_SCHEDULE,
      clock
    )

    // unthrottled it would sleep 500, 1000, 2000; each throttled poll skips one step of the backoff
    expect(clock.sleeps).toEqual([500, 2000, 8000])
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
      const result = await waitUntilEnded(
        amplify,
        [outcome('7', 'CANCELLING')],
        300_000,
        DEFAULT_SCHEDULE,
        clock
      )
      expect(result.outcomes[0].job.status).toBe('CANCELLED')
    }
  )

  it('a permission error fails the wait', async () => {
    const clock = new FakeClock()
    const denied = new ActionError('permission', 'Amplify GetJob was denied. Allow amplify:GetJob on ...')
    const { amplify, pollTimes } = scriptedAmplify(clock, { '7': () => denied })

    await expect(
      waitUntilEnded(amplify, [outcome('7', 'CANCELLING')], 300_000, DEFAULT_SCHEDULE, clock)
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
      waitUntilEnded(amplify, [outcome('7', 'CANCELLING')], 9_000, DEFAULT_SCHEDULE, clock)
    ).rejects.toMatchObject({
      kind: 'not-found'
    })
    await expect(
      waitUntilEnded(amplify, [outcome('8', 'CANCELLING')], 9_000, DEFAULT_SCHEDULE, clock)
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

    const result = await waitUntilEnded(amplify, outcomes, 300_000, DEFAULT_SCHEDULE, clock)

    expect(polls).toEqual([])
    expect(clock.sleeps).toEqual([])
    expect(result).toEqual({ outcomes, unfinished: [], waitedMs: 0 })
  })

  it('polls a job that was already stopping', async () => {
    const clock = new FakeClock()
    const { amplify, pollTimes } = scriptedAmplify(clock, { '6': cancelledAfter(100) })
    const result = await waitUntilEnded(
      amplify,
      [outcome('6', 'CANCELLING', 'already-stopping'), outcome('5', 'SUCCEED', 'already-ended')],
      300_000,
      DEFAULT_SCHEDULE,
      clock
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
    await waitUntilEnded(amplify, [outcome('7', 'CANCELLING')], 300_000, DEFAULT_SCHEDULE, clock)
    expect(clock.sleeps).toEqual([500, 1000, 2000, 4000, 8000, ...Array<number>(7).fill(10_000)])
  })

  it.each([
    [0, 0.8],
    [0.999999, 1.2]
  ])(
    'jitter: random %d scales each delay by about %d, so the cap stays near 10 s',
    async (random, factor) => {
      const clock = new FakeClock(random)
      const { amplify } = scriptedAmplify(clock, { '7': always('CANCELLING') })
      await waitUntilEnded(amplify, [outcome('7', 'CANCELLING')], 120_000, DEFAULT_SCHEDULE, clock)
      const expected = [500, 1000, 2000, 4000, 8000, 10000, 10000].map(ms => ms * factor)
      clock.sleeps.slice(0, expected.length).forEach((ms, i) => expect(ms).toBeCloseTo(expected[i], 0))
      expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(12_000)
      expect(Math.max(...clock.sleeps)).toBeGreaterThanOrEqual(8_000)
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
      10_000,
      DEFAULT_SCHEDULE,
      clock
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
        60_000,
        fast
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
    const result = await waitUntilEnded(
      amplify,
      [outcome('7', 'CANCELLING')],
      300_000,
      DEFAULT_SCHEDULE,
      clock
    )
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

describe('needsWaiting and baseDelay', () => {
  it.each([
    ['stopped', 'CANCELLING', true],
    ['stopped', 'CANCELLED', false],
    ['already-stopping', 'CANCELLING', true],
    ['already-ended', 'SUCCEED', false],
    ['kept', 'RUNNING', false],
    ['would-stop', 'RUNNING', false],
    ['failed', 'RUNNING', false]
  ] as const)('%s with %s → %s', (result, status, expected) => {
    expect(needsWaiting(outcome('1', status, result))).toBe(expected)
  })

  it('baseDelay doubles from firstDelayMs and stops at maxDelayMs', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map(a => baseDelay(a, DEFAULT_SCHEDULE))).toEqual([
      500, 1000, 2000, 4000, 8000, 10000, 10000, 10000
    ])
  })
})

describe('describeUnfinished', () => {
  it('names the one job and its status', () => {
    expect(describeUnfinished([outcome('7', 'CANCELLING')], 300)).toBe(
      'Waited 300 s (wait-timeout), but this job has not ended: job 7 (CANCELLING). Amplify can leave a job CANCELLING for a long time; raise wait-timeout, or check the job in the Amplify console.'
    )
  })

  it('names each of several jobs and its status', () => {
    const message = describeUnfinished([outcome('9', 'CANCELLING'), outcome('8', 'RUNNING')], 60)
    expect(message).toMatch(
      /^Waited 60 s \(wait-timeout\), but these jobs have not ended: job 9 \(CANCELLING\), job 8 \(RUNNING\)\./
    )
  })
})
