/**
 * Pure decisions about jobs: what a status means, which discovered jobs to act on, and in what order.
 * No I/O here, so every rule is testable with plain values.
 */

/** A job as the action sees it: the fields of Amplify's JobSummary that it uses. */
export interface Job {
  jobId: string
  jobArn: string
  status: string
  commitId?: string
  commitMessage?: string
}

export type StatusClass = 'in-progress' | 'stopping' | 'final' | 'unknown'

const IN_PROGRESS = new Set(['CREATED', 'PENDING', 'PROVISIONING', 'RUNNING'])
const FINAL = new Set(['SUCCEED', 'FAILED', 'CANCELLED'])

/** An unknown (future) status is never treated as final, so a wait keeps polling rather than ending early. */
export function classifyStatus(status: string): StatusClass {
  if (IN_PROGRESS.has(status)) return 'in-progress'
  if (status === 'CANCELLING') return 'stopping'
  if (FINAL.has(status)) return 'final'
  return 'unknown'
}

export function isFinal(status: string): boolean {
  return classifyStatus(status) === 'final'
}

/** Orders job ids numerically; ids are digit strings of any length, so compare without Number(). */
export function compareJobIds(a: string, b: string): number {
  const x = a.replace(/^0+(?=.)/, '')
  const y = b.replace(/^0+(?=.)/, '')
  if (x.length !== y.length) return x.length - y.length
  return x < y ? -1 : x > y ? 1 : 0
}

export function newestFirst(jobs: readonly Job[]): Job[] {
  return [...jobs].sort((a, b) => compareJobIds(b.jobId, a.jobId))
}

export interface Selection {
  /** Discovery only: keep the newest in-progress job running. */
  keepNewest: boolean
  /** Discovery only: a lower-case commit SHA or prefix. */
  commitId?: string
}

/** What discovery decided, newest first in every list. */
export interface DiscoveryPlan {
  /** In progress and selected: send StopJob. */
  toStop: Job[]
  /** Already CANCELLING: reported, never stopped again. */
  alreadyStopping: Job[]
  /** The newest in-progress job, left running by keep-newest. */
  kept?: Job
  /** Not final, but a status this version does not know: left alone and reported. */
  unknownStatus: Job[]
}

export function planDiscovery(jobs: readonly Job[], selection: Selection): DiscoveryPlan {
  const matching = newestFirst(jobs).filter(job => matchesCommit(job, selection.commitId))
  const inProgress = matching.filter(job => classifyStatus(job.status) === 'in-progress')
  const kept = selection.keepNewest ? inProgress[0] : undefined
  return {
    toStop: kept ? inProgress.slice(1) : inProgress,
    alreadyStopping: matching.filter(job => classifyStatus(job.status) === 'stopping'),
    kept,
    unknownStatus: matching.filter(job => classifyStatus(job.status) === 'unknown')
  }
}

/** True when the plan has nothing that counts as found: the if-no-job case. A kept job alone is not that case. */
export function foundNothing(plan: DiscoveryPlan): boolean {
  return plan.toStop.length === 0 && plan.alreadyStopping.length === 0 && plan.kept === undefined
}

function matchesCommit(job: Job, commitPrefix: string | undefined): boolean {
  if (commitPrefix === undefined) return true
  return (job.commitId ?? '').toLowerCase().startsWith(commitPrefix)
}

/** The result of acting (or deciding not to act) on one job; `jobs` output items are made from these. */
export type JobResult = 'stopped' | 'already-ended' | 'already-stopping' | 'would-stop' | 'kept' | 'failed'

export interface JobOutcome {
  job: Job
  result: JobResult
  /** The status before the action acted, when known without an extra request (from ListJobs). */
  previousStatus?: string
  /** Why the stop failed, for `failed` outcomes. */
  error?: string
}

/** Only jobs that were asked to stop, or were already stopping, and have not yet reached a final state. */
export function needsWaiting(outcome: JobOutcome): boolean {
  return (
    (outcome.result === 'stopped' || outcome.result === 'already-stopping') && !isFinal(outcome.job.status)
  )
}

/** The job the single-value outputs describe: the newest one acted on (a kept job was not acted on). */
export function primaryOutcome(outcomes: readonly JobOutcome[]): JobOutcome | undefined {
  return newestOutcomesFirst(outcomes.filter(o => o.result !== 'kept'))[0]
}

export function newestOutcomesFirst(outcomes: readonly JobOutcome[]): JobOutcome[] {
  return [...outcomes].sort((a, b) => compareJobIds(b.job.jobId, a.job.jobId))
}
