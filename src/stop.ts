/**
 * Stopping jobs: StopJob, and when Amplify refuses because the job has already ended, one GetJob to
 * confirm it. The result of each job is an outcome; a failure of one job never hides the others.
 */
import { isRefusedStop, type Amplify } from './amplify.js'
import { classifyStatus, resultFor, type BranchRef, type Job, type JobOutcome } from './jobs.js'

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
    if (!isRefusedStop(error)) throw error
    // StopJob was refused: the job may have ended (or begun stopping) meanwhile. Anything else is the refusal.
    const job = await amplify.getJob(branch, jobId)
    const result = resultFor(classifyStatus(job.status))
    if (result === 'would-stop') throw error
    return { job, result, previousStatus }
  }
}

/**
 * Stops every job concurrently. A job that fails becomes a `failed` outcome, after the others were attempted;
 * the step fails at the end when any did.
 */
export async function stopAll(amplify: Amplify, jobs: readonly Job[]): Promise<JobOutcome[]> {
  const settled = await Promise.allSettled(jobs.map(job => stopJob(amplify, job, job.jobId, job)))
  return settled.map((result, i) =>
    result.status === 'fulfilled'
      ? result.value
      : { job: jobs[i], result: 'failed', previousStatus: jobs[i].status, error: messageOf(result.reason) }
  )
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** StopJob's summary may leave fields out; keep what ListJobs said for those. */
function withoutEmpty(job: Job): Partial<Job> {
  return Object.fromEntries(
    Object.entries(job).filter(([, v]) => v !== undefined && v !== '')
  ) as Partial<Job>
}
