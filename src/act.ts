/**
 * Carries the planner's decisions to Amplify: reads the apps, branches and jobs the settings name, plans
 * each branch as soon as its jobs have arrived, and stops what the plan says; with find-timeout, reads a
 * branch where nothing matched again until something does. Every app and branch goes at once; amplify.ts
 * bounds the requests in flight and sends stops ahead of reads. Reading failures are kept as failures for
 * the end of the step, so one app's trouble never stops the others.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { Amplify } from './amplify.js'
import { newestOutcomesFirst, type BranchRef } from './jobs.js'
import {
  appsOfRepository,
  failureOf,
  orderBranches,
  planBranch,
  planJobById,
  shouldLookAgain,
  shouldWait
} from './plan.js'
import { logBranchPlan, logLookingAgain, logOutcomes, waitProgress } from './report.js'
import { stopAll, stopJob } from './stop.js'
import type { BranchPlan, Failure, Settings, StopResults, Target, WaitResults } from './types.js'

type Discovery = Extract<Target, { kind: 'discovery' }>

/** find-timeout: how often a branch where nothing matched yet is read again. */
export const FIND_EVERY_MS = 5_000

/** Reads, plans and stops: one job by id, or discovery over every app and branch the settings name. */
export function findAndStop(amplify: Amplify, settings: Settings): Promise<StopResults> {
  const { target } = settings
  if (target.kind === 'job') return actOnJob(amplify, settings, target.branch, target.jobId)
  const lookUntil = Date.now() + settings.findTimeoutSeconds * 1000
  return actOnApps(amplify, settings, target, lookUntil)
}

/** job-id given: stop that job, or, in a dry run, look at it and say what a stop would do. */
async function actOnJob(
  amplify: Amplify,
  settings: Settings,
  branch: BranchRef,
  jobId: string
): Promise<StopResults> {
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
async function actOnApps(
  amplify: Amplify,
  settings: Settings,
  { apps, branches }: Discovery,
  lookUntil: number
): Promise<StopResults> {
  let appIds: string[]
  if (apps.kind === 'ids') appIds = apps.ids
  else {
    try {
      appIds = appsOfRepository(await amplify.listApps(), apps.url).map(app => app.appId)
    } catch (error) {
      return inTargetOrder([], 0, [failureOf(error, {}, 'ListApps')])
    }
  }
  const perApp = await Promise.all(
    appIds.map(appId => actOnApp(amplify, settings, appId, branches, lookUntil))
  )
  return inTargetOrder(perApp, appIds.length)
}

async function actOnApp(
  amplify: Amplify,
  settings: Settings,
  appId: string,
  branches: Discovery['branches'],
  lookUntil: number
): Promise<StopResults> {
  let names: string[]
  if (branches.kind === 'names') names = branches.names
  else {
    try {
      names = orderBranches(await amplify.listBranches(appId))
    } catch (error) {
      return inTargetOrder([], 1, [failureOf(error, { appId }, 'ListBranches')])
    }
  }
  const perBranch = await Promise.all(
    names.map(branchName => actOnBranch(amplify, settings, { appId, branchName }, lookUntil))
  )
  return inTargetOrder(perBranch, 1)
}

/** One branch: list its jobs and plan (again, while find-timeout allows and nothing matched), then stop. */
async function actOnBranch(
  amplify: Amplify,
  settings: Settings,
  branch: BranchRef,
  lookUntil: number
): Promise<StopResults> {
  let plan: BranchPlan
  for (let reads = 0; ; reads++) {
    const reading = await amplify.listJobs(branch).then(
      listing => ({ listing }),
      (error: unknown) => ({ error })
    )
    plan = planBranch(branch, reading, settings.selection, { dryRun: settings.dryRun, nowMs: Date.now() })
    if (!shouldLookAgain(plan, Date.now(), lookUntil)) break
    if (reads === 0) logLookingAgain(branch, settings, FIND_EVERY_MS)
    await sleep(Math.max(0, Math.min(FIND_EVERY_MS, lookUntil - Date.now())))
  }
  logBranchPlan(plan, settings)
  const stopped = await stopAll(amplify, plan.toStop)
  const outcomes = newestOutcomesFirst([...stopped.outcomes, ...plan.decided])
  logOutcomes(outcomes, settings)
  const failures = [...(plan.failure ? [plan.failure] : []), ...stopped.failures]
  return { appsRead: 1, plans: [plan], outcomes, failures }
}

/** Results in target order: app by app, then branch by branch, as the settings name them. */
function inTargetOrder(
  parts: readonly StopResults[],
  appsRead: number,
  failures: Failure[] = []
): StopResults {
  return {
    appsRead,
    plans: parts.flatMap(p => p.plans),
    outcomes: parts.flatMap(p => p.outcomes),
    failures: [...failures, ...parts.flatMap(p => p.failures)]
  }
}

/** wait: poll until the jobs have ended. wait.ts is loaded only when a run waits. */
export async function waitIfAsked(
  amplify: Amplify,
  settings: Settings,
  stopped: StopResults
): Promise<WaitResults> {
  const { outcomes } = stopped
  if (!shouldWait(settings, outcomes)) return { outcomes, unfinished: [], failures: [] }
  const { waitUntilEnded } = await import('./wait.js')
  const pages = new Map(
    stopped.plans.map(plan => [`${plan.target.appId}\u0000${plan.target.branchName}`, plan.pages])
  )
  return waitUntilEnded(amplify, outcomes, {
    timeoutMs: settings.waitTimeoutSeconds * 1000,
    pagesOf: branch => pages.get(`${branch.appId}\u0000${branch.branchName}`),
    progress: waitProgress(settings)
  })
}
