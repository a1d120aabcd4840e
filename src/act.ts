/**
 * Carries the planner's decisions to Amplify: reads the apps, branches and jobs the settings name, plans
 * each branch as soon as its jobs have arrived, stops what the plan says, and waits when asked. Every
 * app and branch goes at once; amplify.ts bounds the requests in flight. Reading failures are kept as
 * failures for the end of the step, so one app's trouble never stops the others.
 */
import type { Amplify } from './amplify.js'
import { newestOutcomesFirst, type BranchRef, type JobOutcome } from './jobs.js'
import {
  appsOfRepository,
  failureOf,
  orderBranches,
  planBranch,
  planJobById,
  shouldWait,
  stopFailures,
  type Acted,
  type Failure,
  type WaitEnd
} from './plan.js'
import { logBranchPlan, logOutcomes, waitProgress } from './report.js'
import { onlyBranch, type Settings } from './settings.js'
import { stopAll, stopJob } from './stop.js'

/** Reads, plans and stops: one job by id, or discovery over every app and branch the settings name. */
export function act(amplify: Amplify, settings: Settings): Promise<Acted> {
  return settings.jobId !== undefined
    ? actOnJob(amplify, settings, settings.jobId)
    : actOnApps(amplify, settings)
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
      return joined([], 0, [failureOf(error, {}, 'ListApps')])
    }
  }
  const perApp = await Promise.all(appIds.map(appId => actOnApp(amplify, settings, appId)))
  return joined(perApp, appIds.length)
}

async function actOnApp(amplify: Amplify, settings: Settings, appId: string): Promise<Acted> {
  let names: string[]
  if (settings.branches.kind === 'names') names = settings.branches.names
  else {
    try {
      names = orderBranches(await amplify.listBranches(appId))
    } catch (error) {
      return joined([], 1, [failureOf(error, { appId }, 'ListBranches')])
    }
  }
  const perBranch = await Promise.all(
    names.map(branchName => actOnBranch(amplify, settings, { appId, branchName }))
  )
  return joined(perBranch, 1)
}

/** One branch: list its jobs, plan, and stop what the plan says, as soon as its list has arrived. */
async function actOnBranch(amplify: Amplify, settings: Settings, branch: BranchRef): Promise<Acted> {
  const reading = await amplify.listJobs(branch).then(
    jobs => ({ jobs }),
    (error: unknown) => ({ error })
  )
  const plan = planBranch(branch, reading, settings, Date.now())
  logBranchPlan(plan, settings)
  const stopped = await stopAll(amplify, plan.toStop)
  const outcomes = newestOutcomesFirst([...stopped, ...plan.decided])
  logOutcomes(outcomes, settings)
  const failures = [...(plan.failure ? [plan.failure] : []), ...stopFailures(stopped)]
  return { appsRead: 1, plans: [plan], outcomes, failures }
}

/** Results in order: app by app, branch by branch. */
function joined(parts: readonly Acted[], appsRead: number, failures: Failure[] = []): Acted {
  return {
    appsRead,
    plans: parts.flatMap(p => p.plans),
    outcomes: parts.flatMap(p => p.outcomes),
    failures: [...failures, ...parts.flatMap(p => p.failures)]
  }
}

export interface Waited extends WaitEnd {
  outcomes: JobOutcome[]
  waitedMs?: number
}

/** wait: poll until the jobs have ended. wait.ts is loaded only when a run waits. */
export async function waitIfAsked(
  amplify: Amplify,
  settings: Settings,
  outcomes: JobOutcome[]
): Promise<Waited> {
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
