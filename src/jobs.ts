/**
 * The action's vocabulary for jobs: what a job is, what its status means, how jobs are ordered, and what
 * acting on one came to. Pure: no I/O.
 */

/** One Amplify branch: where jobs live. */
export interface BranchRef {
  appId: string
  branchName: string
}

/** A job as the action sees it: the fields of Amplify's JobSummary that it uses, and where it runs. */
export interface Job extends BranchRef {
  jobId: string
  jobArn: string
  status: string
  /** RELEASE, RETRY, MANUAL or WEB_HOOK; absent when Amplify did not say. */
  jobType?: string
  commitId?: string
  commitMessage?: string
  /** When the job started, in ms since the epoch; absent when Amplify did not say. */
  startTime?: number
}

export type StatusClass = 'in-progress' | 'stopping' | 'final' | 'unknown'

/** The statuses of a job that has not ended and can be stopped, in the order a build goes through them. */
export const IN_PROGRESS_STATUSES = ['CREATED', 'PENDING', 'PROVISIONING', 'RUNNING'] as const
export const JOB_TYPES = ['RELEASE', 'RETRY', 'MANUAL', 'WEB_HOOK'] as const

const IN_PROGRESS = new Set<string>(IN_PROGRESS_STATUSES)
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

/** The result of acting (or deciding not to act) on one job; `jobs` output items are made from these. */
export type JobResult = 'stopped' | 'already-ended' | 'already-stopping' | 'would-stop' | 'kept' | 'failed'

/**
 * What a stop of a job in this status comes to, before it is sent: the one mapping from status to result.
 * A job of a status this version does not know is sent StopJob like one in progress (Amplify decides).
 */
export function resultFor(statusClass: StatusClass): 'already-ended' | 'already-stopping' | 'would-stop' {
  if (statusClass === 'final') return 'already-ended'
  if (statusClass === 'stopping') return 'already-stopping'
  return 'would-stop'
}

export interface JobOutcome {
  job: Job
  result: JobResult
  /** The status before the action acted, when known without an extra request (from ListJobs). */
  previousStatus?: string
  /** Why the stop failed, for `failed` outcomes. */
  error?: string
  /** keep-newest: a newer in-progress job exists that the filters left alone, so this is the newest selected. */
  newerLeftAlone?: boolean
}

/** Only jobs that were asked to stop, or were already stopping, and have not yet reached a final state. */
export function needsWaiting(outcome: JobOutcome): boolean {
  return (
    (outcome.result === 'stopped' || outcome.result === 'already-stopping') && !isFinal(outcome.job.status)
  )
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

export function newestOutcomesFirst(outcomes: readonly JobOutcome[]): JobOutcome[] {
  return [...outcomes].sort((a, b) => compareJobIds(b.job.jobId, a.job.jobId))
}
