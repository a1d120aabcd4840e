/**
 * Stopping jobs: StopJob, and one GetJob when its answer leaves the result open: Amplify refused (the job
 * may have ended meanwhile), or every attempt timed out (Amplify may have acted all the same). A failure
 * of one job never hides the others.
 */
import { isRefusedStop, mayHaveStopped, type Amplify } from './amplify.js'
import { classifyStatus, resultFor, type BranchRef, type Job, type JobOutcome } from './jobs.js'
import { failureOf } from './plan.js'
import type { Failure } from './types.js'

/**
 * Stops one job. `known` is the job as ListJobs showed it (discovery); without it (job-id) a successful
 * stop is exactly one request.
 */
export async function stopJob(
  amplify: Amplify,
  branch: BranchRef,
  jobId: string,
  known?: Job
): Promise<JobOutcome> {
  const previousStatus = known?.status
  try {
    const job = await amplify.stopJob(branch, jobId)
    return { job: known ? { ...known, ...withoutEmpty(job) } : job, result: 'stopped', previousStatus }
  } catch (error) {
    if (mayHaveStopped(error)) {
      // When this GetJob fails too, the step reports the StopJob that timed out: that is what to act on.
      const job = await amplify.getJob(branch, jobId).catch(() => undefined)
      if (job && (job.status === 'CANCELLING' || job.status === 'CANCELLED'))
        return { job: known ? { ...known, ...withoutEmpty(job) } : job, result: 'stopped', previousStatus }
      throw error
    }
    if (!isRefusedStop(error)) throw error
    // StopJob was refused: the job may have ended (or begun stopping) meanwhile. Anything else is the refusal.
    const job = await amplify.getJob(branch, jobId)
    const result = resultFor(classifyStatus(job.status))
    if (result === 'would-stop') throw error
    return { job, result, previousStatus }
  }
}

/**
 * Stops every job concurrently. A job that fails becomes a `failed` outcome and a failure, after the others
 * were attempted; the step fails at the end when any did.
 */
export async function stopAll(
  amplify: Amplify,
  jobs: readonly Job[]
): Promise<{ outcomes: JobOutcome[]; failures: Failure[] }> {
  const settled = await Promise.allSettled(jobs.map(job => stopJob(amplify, job, job.jobId, job)))
  const outcomes: JobOutcome[] = []
  const failures: Failure[] = []
  settled.forEach((result, i) => {
    const job = jobs[i]
    if (result.status === 'fulfilled') return outcomes.push(result.value)
    const where = { appId: job.appId, branchName: job.branchName, jobId: job.jobId }
    const failure = failureOf(result.reason, where, 'StopJob')
    failures.push(failure)
    outcomes.push({ job, result: 'failed', previousStatus: job.status, error: failure.message })
  })
  return { outcomes, failures }
}

/** StopJob's summary may leave fields out; keep what ListJobs said for those. */
function withoutEmpty(job: Job): Partial<Job> {
  return Object.fromEntries(
    Object.entries(job).filter(([, v]) => v !== undefined && v !== '')
  ) as Partial<Job>
}
