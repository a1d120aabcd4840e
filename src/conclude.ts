/**
 * How a run ends, as one pure function of the settings, what was done and what was waited: every failure
 * (grouped for the step's error), the if-no-job note, the jobs stuck CANCELLING, and the step's one error.
 * report.ts shows what this returns; nothing here writes.
 */
import { ActionError } from './errors.js'
import * as messages from './messages.js'
import type {
  Conclusion,
  Failure,
  FailureGroup,
  FilterInput,
  NothingFound,
  Settings,
  StopResults,
  WaitResults
} from './types.js'

export function conclude(settings: Settings, stopped: StopResults, waited: WaitResults): Conclusion {
  const failures = [...stopped.failures, ...waited.failures, ...timedOut(settings, waited)]
  const nothing = nothingFound(settings, stopped)
  const note = nothing && messages.nothingFoundNote(nothing)
  const failureGroups = groupFailures(failures)
  const advice = [...new Set(failures.map(f => f.advice).filter(Boolean))]
  return {
    outcomes: waited.outcomes,
    failures,
    failureGroups,
    advice,
    stuck: stopped.plans.flatMap(plan => plan.stuck),
    appsRead: stopped.appsRead,
    branchesRead: stopped.plans.length,
    waitedMs: waited.waitedMs,
    note,
    error: stepError(settings, { failures, failureGroups, advice }, note)
  }
}

/** wait-timeout passed with jobs not yet final: one failure naming them, grouped by app and branch. */
function timedOut(settings: Settings, waited: WaitResults): Failure[] {
  if (waited.unfinished.length === 0) return []
  const message = messages.waitTimedOut(waited.unfinished, settings.waitTimeoutSeconds)
  return [{ operation: 'GetJob', kind: 'wait-timeout', reason: 'did not end in time', advice: '', message }]
}

/** The if-no-job case: nothing acted on anywhere, and no failure that leaves it unknown. */
export function nothingFound(settings: Settings, stopped: StopResults): NothingFound | undefined {
  if (stopped.outcomes.length > 0 || stopped.failures.length > 0) return undefined
  const { target, selection, findTimeoutSeconds } = settings
  if (target.kind === 'discovery' && target.apps.kind === 'repository' && stopped.appsRead === 0)
    return { kind: 'no-app', repository: target.apps.url }
  // A run over several branches has said what it found on each; the note sums them up.
  if (stopped.plans.length === 1 && !target.several)
    return { kind: 'one-branch', plan: stopped.plans[0], selection, findTimeoutSeconds }
  const leftAlone: Partial<Record<FilterInput, number>> = {}
  for (const plan of stopped.plans)
    for (const [input, n] of Object.entries(plan.leftAlone) as [FilterInput, number][])
      leftAlone[input] = (leftAlone[input] ?? 0) + n
  return {
    kind: 'several-branches',
    branches: stopped.plans.length,
    apps: stopped.appsRead,
    leftAlone,
    selection,
    findTimeoutSeconds
  }
}

/**
 * How the step ends: failures first (one failure as it is, several grouped by app, operation and reason,
 * with each piece of advice once), then if-no-job: fail. Undefined: success.
 */
export function stepError(
  settings: Settings,
  { failures, failureGroups, advice }: Pick<Conclusion, 'failures' | 'failureGroups' | 'advice'>,
  note: string | undefined
): ActionError | undefined {
  if (failures.length === 1)
    return new ActionError(failures[0].kind, messages.failureLine(failures[0], settings.target.several))
  if (failures.length > 1)
    return new ActionError('several-failed', messages.severalFailed(failures.length, failureGroups, advice))
  if (note !== undefined && settings.ifNoJob === 'fail')
    return new ActionError('no-job', messages.noJobFailure(note))
  return undefined
}

/** Failures that share an app, an operation and a reason, in the order they first appear. */
export function groupFailures(failures: readonly Failure[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>()
  for (const failure of failures) {
    const key = [failure.appId ?? '', failure.operation, failure.kind, failure.reason].join('\u0000')
    const group = groups.get(key)
    if (group) group.failures.push(failure)
    else
      groups.set(key, {
        appId: failure.appId,
        operation: failure.operation,
        reason: failure.reason,
        failures: [failure]
      })
  }
  return [...groups.values()]
}
