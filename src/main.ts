/**
 * Wires the parts: settings -> jobs to act on -> stop -> (wait) -> report. Decides the exit in one place.
 */
import * as core from '@actions/core'
import { createAmplify, AmplifyRequestError, type Amplify } from './amplify.js'
import { ActionError } from './errors.js'
import {
  classifyStatus,
  foundNothing,
  needsWaiting,
  newestOutcomesFirst,
  planDiscovery,
  type JobOutcome
} from './jobs.js'
import { amplifyEndpoint, proxyRouteFor } from './proxy.js'
import { logEndings, logOutcomes, setOutputs, writeSummary } from './report.js'
import { readSettings, type Settings } from './settings.js'
import { inertLine } from './text.js'
import { stopAll, stopJob } from './stop.js'

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let amplify: Amplify | undefined
  try {
    const settings = await readSettings(env)
    const endpoint = amplifyEndpoint(settings.region, env)
    const proxy = await proxyRouteFor(endpoint)
    core.info(
      `Amplify app ${settings.appId} in ${settings.region}, branch ${JSON.stringify(settings.branchName)}${branchOrigin(settings)}${proxy ? `, through the proxy ${proxy.via}` : ''}`
    )
    amplify = createAmplify(settings, { env, agent: proxy?.agent })

    const { outcomes: acted, nothingFound } =
      settings.jobId !== undefined
        ? { outcomes: [await actOnJob(amplify, settings, settings.jobId)], nothingFound: undefined }
        : await actOnBranch(amplify, settings)
    const noJobFailure = nothingFound === undefined ? undefined : reportNothingFound(settings, nothingFound)
    logOutcomes(acted, settings) // before any wait, so the log shows each stop as it happens
    const { outcomes, waitedMs, waitFailure } =
      settings.wait && !settings.dryRun && acted.some(needsWaiting)
        ? await waitForEndings(amplify, acted, settings)
        : { outcomes: acted, waitedMs: undefined, waitFailure: undefined }

    setOutputs(outcomes)
    await writeSummary({ settings, outcomes, waitedMs, note: nothingFound })

    const failed = outcomes.filter(o => o.result === 'failed')
    if (failed.length === 1) throw new ActionError('stop-failed', failed[0].error ?? '')
    if (failed.length > 1) {
      throw new ActionError(
        'stop-failed',
        `${failed.length} jobs could not be stopped: ${failed.map(o => `job ${o.job.jobId}: ${o.error}`).join(' ')}`
      )
    }
    // Failures met on the way are raised only now, after the outputs and summary are written.
    const laterFailure = noJobFailure ?? waitFailure
    if (laterFailure) throw laterFailure
  } catch (error) {
    core.setFailed(
      error instanceof ActionError
        ? error.message
        : `Unexpected error: ${error instanceof Error ? error.message : String(error)}. This is a bug in amplify-stop-job: please report it with this log (re-run with debug logging for the stack trace).`
    )
    if (!(error instanceof ActionError) && error instanceof Error && error.stack) core.debug(error.stack)
  } finally {
    amplify?.close()
  }
}

interface Waited {
  outcomes: JobOutcome[]
  waitedMs?: number
  /** The wait timed out, or a poll failed for good; raised after the outputs, which still describe the stops. */
  waitFailure?: unknown
}

/** wait: poll until the jobs have ended, then log each ending. Loaded only when a run waits. */
async function waitForEndings(amplify: Amplify, acted: JobOutcome[], settings: Settings): Promise<Waited> {
  const { waitUntilEnded, describeUnfinished } = await import('./wait.js')
  try {
    const waited = await waitUntilEnded(amplify, acted, settings.waitTimeoutSeconds * 1000)
    logEndings(acted, waited.outcomes, settings)
    const waitFailure =
      waited.unfinished.length > 0
        ? new ActionError('wait-timeout', describeUnfinished(waited.unfinished, settings.waitTimeoutSeconds))
        : undefined
    return { outcomes: waited.outcomes, waitedMs: waited.waitedMs, waitFailure }
  } catch (error) {
    return { outcomes: acted, waitFailure: error }
  }
}

function branchOrigin(settings: Settings): string {
  if (settings.branchSource === 'pull-request') return ' (the pull request head branch)'
  if (settings.branchSource === 'ref') return ' (from GITHUB_REF)'
  return ''
}

/** job-id given: stop that job, or, in a dry run, look at it and say what a stop would do. */
async function actOnJob(amplify: Amplify, settings: Settings, jobId: string): Promise<JobOutcome> {
  if (!settings.dryRun) return stopJob(amplify, jobId)
  const job = await amplify.getJob(jobId)
  const kind = classifyStatus(job.status)
  return {
    job,
    previousStatus: job.status,
    result: kind === 'final' ? 'already-ended' : kind === 'stopping' ? 'already-stopping' : 'would-stop'
  }
}

/** What discovery did: the outcomes, or why there was nothing to act on. */
interface Discovery {
  outcomes: JobOutcome[]
  nothingFound?: string
}

/** No job-id: list the branch's jobs, choose, and stop the chosen ones concurrently. */
async function actOnBranch(amplify: Amplify, settings: Settings): Promise<Discovery> {
  let jobs
  try {
    jobs = await amplify.listJobs()
  } catch (error) {
    if (
      error instanceof AmplifyRequestError &&
      (error.missing === 'branch' || error.missing === 'app-or-branch')
    ) {
      const preview = PREVIEW_BRANCH.test(settings.branchName)
        ? ' (Amplify deletes a preview branch when its pull request closes)'
        : ''
      return { outcomes: [], nothingFound: `${error.message} Nothing to stop${preview}.` }
    }
    throw error
  }
  const plan = planDiscovery(jobs, settings)
  for (const job of plan.unknownStatus) {
    core.warning(
      `Job ${inertLine(job.jobId)} has the status ${JSON.stringify(inertLine(job.status))}, which this version of the action does not know: left alone.`
    )
  }
  if (foundNothing(plan)) {
    const scope = settings.commitId ? ` building commit ${settings.commitId}` : ''
    return {
      outcomes: [],
      nothingFound: `No job${scope} is in progress on branch ${JSON.stringify(settings.branchName)} of app ${settings.appId} (${jobs.length} job${jobs.length === 1 ? '' : 's'} listed).`
    }
  }
  if (plan.kept && plan.toStop.length === 0 && plan.alreadyStopping.length === 0) {
    core.info(
      `Only job ${inertLine(plan.kept.jobId)}, the newest, is in progress: no superseded build to stop.`
    )
  }
  const stopping: JobOutcome[] = plan.alreadyStopping.map(job => ({
    job,
    result: 'already-stopping',
    previousStatus: job.status
  }))
  const kept: JobOutcome[] = plan.kept
    ? [{ job: plan.kept, result: 'kept', previousStatus: plan.kept.status }]
    : []
  const acted: JobOutcome[] = settings.dryRun
    ? plan.toStop.map(job => ({ job, result: 'would-stop', previousStatus: job.status }))
    : await stopAll(amplify, plan.toStop)
  return { outcomes: newestOutcomesFirst([...acted, ...stopping, ...kept]) }
}

/** Amplify's branches for pull-request previews: pr-<number>. */
const PREVIEW_BRANCH = /^pr-[0-9]+$/

/** Discovery found nothing: a warning, an info line, or (returned, to raise after the outputs) a failure. */
function reportNothingFound(settings: Settings, message: string): ActionError | undefined {
  if (settings.ifNoJob === 'fail')
    return new ActionError('no-job', `${message} Failing because if-no-job is fail.`)
  if (settings.ifNoJob === 'warn') core.warning(message)
  else core.info(message)
  return undefined
}
