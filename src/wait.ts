/**
 * Waiting until stopped jobs have really ended. Loaded only when `wait` is on.
 * Polls soon after the stop (a cancel often lands within seconds), then backs off with jitter to a cap,
 * so a long wait costs few requests. Throttling or a passing failure slows the polling; it never ends it.
 * Progress is told from the polls' own answers: a status change at once, and every 30 s which jobs are
 * still waited for, so a job stuck in CANCELLING never leaves an empty log.
 */
import type { Amplify } from './amplify.js'
import { ActionError } from './errors.js'
import { isFinal, needsWaiting, type Job, type JobOutcome } from './jobs.js'

export interface PollSchedule {
  /** The first poll comes this long after the stop. */
  firstDelayMs: number
  /** The delay doubles up to this cap. */
  maxDelayMs: number
  /** Each delay is multiplied by a factor in [1 - jitter, 1 + jitter]. */
  jitter: number
}

export const DEFAULT_SCHEDULE: PollSchedule = { firstDelayMs: 500, maxDelayMs: 10_000, jitter: 0.2 }

/** While any job is still waited for, a progress line at least this often. */
export const PROGRESS_EVERY_MS = 30_000

/**
 * A poll may take the time left before the deadline, and no less than this, so that the poll made at the
 * deadline can still answer. Without a bound, a GetJob that never answers would hold the wait for every
 * request timeout and retry (about a minute) past wait-timeout.
 */
const LAST_POLL_MS = 2_000

export interface WaitResult {
  outcomes: JobOutcome[]
  /** Jobs that had not ended when the timeout passed. */
  unfinished: JobOutcome[]
  waitedMs: number
}

export interface Clock {
  now(): number
  /** Resolves after `ms`, or as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
  random(): number
}

/** Told as the wait goes; report.ts turns these into log lines. */
export interface WaitProgress {
  statusChanged(job: Job, was: string): void
  stillWaiting(jobs: Job[], waitedMs: number): void
}

export interface WaitOptions {
  timeoutMs: number
  progress?: WaitProgress
  schedule?: PollSchedule
  clock?: Clock
}

const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise(resolve => {
      const done = () => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      signal?.addEventListener('abort', done, { once: true })
    }),
  random: Math.random
}

const silent: WaitProgress = { statusChanged() {}, stillWaiting() {} }

/** The delay before poll number `attempt` (0-based), before jitter. */
export function baseDelay(attempt: number, schedule: PollSchedule): number {
  return Math.min(schedule.maxDelayMs, schedule.firstDelayMs * 2 ** attempt)
}

export async function waitUntilEnded(
  amplify: Amplify,
  outcomes: readonly JobOutcome[],
  options: WaitOptions
): Promise<WaitResult> {
  const { timeoutMs, progress = silent, schedule = DEFAULT_SCHEDULE, clock = realClock } = options
  const started = clock.now()
  const deadline = started + timeoutMs
  // A job's poll that fails for good ends every other job's polling too, so no timer outlives the step.
  const failed = new AbortController()
  const finished = new AbortController()
  const latest = [...outcomes]
  const poll = (outcome: JobOutcome, i: number) =>
    pollUntilFinal(amplify, outcome, { deadline, schedule, clock, failed }, (current, was) => {
      latest[i] = current
      progress.statusChanged(current.job, was)
    })
  if (outcomes.some(needsWaiting))
    void tellProgress(clock, finished.signal, () => {
      const waiting = latest.filter(needsWaiting).map(o => o.job)
      if (waiting.length > 0) progress.stillWaiting(waiting, clock.now() - started)
    })
  try {
    const waited = await Promise.all(outcomes.map((o, i) => (needsWaiting(o) ? poll(o, i) : o)))
    return { outcomes: waited, unfinished: waited.filter(needsWaiting), waitedMs: clock.now() - started }
  } finally {
    finished.abort()
  }
}

/** Every PROGRESS_EVERY_MS until `done` aborts. */
async function tellProgress(clock: Clock, done: AbortSignal, tell: () => void): Promise<void> {
  for (;;) {
    await clock.sleep(PROGRESS_EVERY_MS, done)
    if (done.aborted) return
    tell()
  }
}

interface PollContext {
  deadline: number
  schedule: PollSchedule
  clock: Clock
  failed: AbortController
}

async function pollUntilFinal(
  amplify: Amplify,
  outcome: JobOutcome,
  { deadline, schedule, clock, failed }: PollContext,
  changed: (current: JobOutcome, was: string) => void
): Promise<JobOutcome> {
  let current = outcome
  let step = 0
  for (;;) {
    const remaining = deadline - clock.now()
    if (remaining <= 0 || failed.signal.aborted) return current
    const jittered = baseDelay(step, schedule) * (1 - schedule.jitter + 2 * schedule.jitter * clock.random())
    await clock.sleep(Math.min(jittered, remaining), failed.signal)
    if (failed.signal.aborted) return current
    try {
      const budget = Math.ceil(Math.max(deadline - clock.now(), LAST_POLL_MS)) // AbortSignal.timeout takes whole ms
      const job = await amplify.getJob(
        current.job,
        current.job.jobId,
        AbortSignal.any([AbortSignal.timeout(budget), failed.signal])
      )
      const was = current.job.status
      current = { ...current, job: { ...current.job, status: job.status } }
      if (job.status !== was) changed(current, was)
      if (isFinal(job.status)) return current
      step++
    } catch (error) {
      if (failed.signal.aborted) return current
      if (!isPassing(error)) {
        failed.abort(error)
        throw error
      }
      step += 2 // throttled or failing after the SDK's own retries: back off one step further
    }
  }
}

/** Failures that another poll may not meet: throttling, Amplify's own errors, the network. */
function isPassing(error: unknown): boolean {
  return (
    error instanceof ActionError &&
    (error.kind === 'throttled' || error.kind === 'service' || error.kind === 'network')
  )
}
