/**
 * Wires the parts: settings -> read and plan -> stop -> (wait) -> report -> exit. Every decision is the
 * planner's (plan.ts), every request goes through amplify.ts, every sentence is the report's.
 */
import { act, waitIfAsked } from './act.js'
import { createAmplify, type Amplify } from './amplify.js'
import { nothingFoundNote } from './messages.js'
import { nothingFound, runFailures, stepFailure } from './plan.js'
import { amplifyEndpoint, proxyRouteFor } from './proxy.js'
import { failStep, logNothingFound, logStart, setOutputs, writeSummary } from './report.js'
import { readSettings } from './settings.js'

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let amplify: Amplify | undefined
  try {
    const settings = await readSettings(env)
    const endpoint = amplifyEndpoint(settings.region, env)
    const proxy = await proxyRouteFor(endpoint)
    logStart(settings, proxy?.via)
    amplify = createAmplify(settings.region, { env, agent: proxy?.agent })

    const acted = await act(amplify, settings)
    const nothing = nothingFound(settings, acted)
    const note = nothing && nothingFoundNote(nothing)
    logNothingFound(note, settings)
    const waited = await waitIfAsked(amplify, settings, acted.outcomes)

    const failures = runFailures(settings, acted.failures, waited)

    setOutputs(waited.outcomes)
    await writeSummary({
      ...acted,
      failures,
      settings,
      outcomes: waited.outcomes,
      waitedMs: waited.waitedMs,
      note
    })
    // Failures met on the way are raised only now, after every target was acted on and reported.
    const failure = stepFailure(settings, failures, note)
    if (failure) throw failure
  } catch (error) {
    failStep(error)
  } finally {
    amplify?.close()
  }
}
