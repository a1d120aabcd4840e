/**
 * Wires the parts: settings -> read (apps, branches, jobs) -> plan -> stop -> (wait) -> report -> exit.
 * Every decision is the planner's (plan.ts) and every sentence the report's (report.ts, messages.ts).
 */
import { createAmplify, type Amplify } from './amplify.js'
import { nothingFoundNote } from './messages.js'
import {
  appsOfRepository,
  failureOf,
  nothingFound,
  orderBranches,
  planBranch,
  planJobById,
  shouldWait,
  stepFailure,
  stopFailures,
  type Acted,
  type WaitEnd
} from './plan.js'
import { newestOutcomesFirst, type BranchRef, type JobOutcome } from './jobs.js'
import { amplifyEndpoint, proxyRouteFor } from './proxy.js'
import {
  failStep,
  logBranchPlan,
  logNothingFound,
  logOutcomes,
  logStart,
  setOutputs,
  waitProgress,
  writeSummary
} from './report.js'
import { coversSeveral, onlyBranch, readSettings, type Settings } from './settings.js'
import { stopAll, stopJob } from './stop.js'

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let amplify: Amplify | undefined
  try {
    const settings = await readSettings(env)
    const endpoint = amplifyEndpoint(settings.region, env)
    const proxy = await proxyRouteFor(endpoint)
    logStart(settings, proxy?.via)
    amplify = createAmplify(settings.region, { env, agent: proxy?.agent })

    const acted =
      settings.jobId !== undefined
        ? await actOnJob(amplify, settings, settings.jobId)
        : await actOnApps(amplify, settings)
    const nothing = nothingFound(settings, acted)
    const note = nothing && nothingFoundNote(nothing)
    if (note) logNothingFound(note, settings)
    const waited = await waitIfAsked(amplify, settings, acted.outcomes)

    setOutputs(waited.outcomes)
    await writeSummary({ ...acted, settings, outcomes: waited.outcomes, waitedMs: waited.waitedMs, note })
    // Failures met on the way are raised only now, after every target was acted on and reported.
    const failure = stepFailure(settings, acted.failures, note, waited)
    if (failure) throw failure
  } catch (error) {
    failStep(error)
  } finally {
    amplify?.close()
  }
}

/** job-id given: stop that job, or, in a dry run, look at it and say what a stop would do. */
async function actOnJob(amplify: Amplify, settings: Settings, jobId: string): Promise<Acted> {
  const branch = onlyBranch(settings)
  try {
    const outcome = settings.dryRun
      ? planJobById(await amplify.getJob(branch, jobId))
      : await stopJob(amplify, branch, jobId)
    logOutcomes([outcome], settings)
    return { appsRead: 1, plans: [], outcomes: [outcome], failures: [] }
  } catch (error) {
    const failure = failureOf(error, { ...branch, jobId }, settings.dryRun ? 'GetJob' : 'StopJob')
    return { appsRead: 1, plans: [], outcomes: [], failures: [failure] }
  }
}

/** No job-id: every app (listed, or this repository's), every branch asked for, all at once. */
async function actOnApps(amplify: Amplify, settings: Settings): Promise<Acted> {
  let appIds: string[]
  if (settings.apps.kind === 'ids') appIds = settings.apps.ids
  else {
    try {
      appIds = appsOfRepository(await amplify.listApps(), settings.apps.url).map(app => app.appId)
    } catch (error) {
      return { appsRead: 0, plans: [], outcomes: [], failures: [failureOf(error, {}, 'ListApps')] }
    }
  }
  const perApp = await Promise.all(appIds.map(appId => actOnApp(amplify, settings, appId)))
  return { ...joined(perApp), appsRead: appIds.length }
}

async function actOnApp(amplify: Amplify, settings: Settings, appId: string): Promise<Acted> {
  let names: string[]
  if (settings.branches.kind === 'names') names = settings.branches.names
  else {
    try {
      names = orderBranches(await amplify.listBranches(appId))
    } catch (error) {
      return { appsRead: 1, plans: [], outcomes: [], failures: [failureOf(error, { appId }, 'ListBranches')] }
    }
  }
  return joined(
    await Promise.all(names.map(branchName => actOnBranch(amplify, settings, { appId, branchName })))
  )
}

/** One branch: list its jobs, plan, and stop what the plan says, as soon as its list has arrived. */
async function actOnBranch(amplify: Amplify, settings: Settings, branch: BranchRef): Promise<Acted> {
  const reading = await amplify.listJobs(branch).then(
    jobs => ({ jobs }),
    (error: unknown) => ({ error })
  )
  const plan = planBranch(branch, reading, settings, Date.now())
  logBranchPlan(plan, settings, coversSeveral(settings))
  const stopped = await stopAll(amplify, plan.toStop)
  const outcomes = newestOutcomesFirst([...stopped, ...plan.decided])
  logOutcomes(outcomes, settings)
  const failures = [...(plan.failure ? [plan.failure] : []), ...stopFailures(stopped)]
  return { appsRead: 1, plans: [plan], outcomes, failures }
}

/** Results in order: app by app, branch by branch. */
function joined(parts: readonly Acted[]): Acted {
  return {
    appsRead: parts.length,
    plans: parts.flatMap(p => p.plans),
    outcomes: parts.flatMap(p => p.outcomes),
    failures: parts.flatMap(p => p.failures)
  }
}

interface Waited extends WaitEnd {
  outcomes: JobOutcome[]
  waitedMs?: number
}

/** wait: poll until the jobs have ended. wait.ts is loaded only when a run waits. */
async function waitIfAsked(amplify: Amplify, settings: Settings, outcomes: JobOutcome[]): Promise<Waited> {
  if (!shouldWait(settings, outcomes)) return { outcomes, unfinished: [] }
  const { waitUntilEnded } = await import('./wait.js')
  try {
    return await waitUntilEnded(amplify, outcomes, {
      timeoutMs: settings.waitTimeoutSeconds * 1000,
      progress: waitProgress(settings)
    })
  } catch (error) {
    return { outcomes, unfinished: [], error }
  }
}
