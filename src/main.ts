/**
 * Wires the parts and decides nothing: settings -> find and stop -> wait -> conclude -> report. Every
 * decision is the planner's (plan.ts) or the conclusion's (conclude.ts), every request goes through
 * amplify.ts, every sentence is messages.ts's.
 */
import { findAndStop, waitIfAsked } from './act.js'
import { createAmplify, type Amplify } from './amplify.js'
import { conclude } from './conclude.js'
import { amplifyEndpoint, proxyRouteFor } from './proxy.js'
import { failStep, logStart, report } from './report.js'
import { readSettings } from './settings.js'

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let amplify: Amplify | undefined
  try {
    const settings = await readSettings(env)
    const proxy = await proxyRouteFor(amplifyEndpoint(settings.region, env))
    logStart(settings, proxy?.via)
    amplify = createAmplify(settings.region, { env, agent: proxy?.agent })
    const stopped = await findAndStop(amplify, settings)
    const waited = await waitIfAsked(amplify, settings, stopped)
    // Failures met on the way are raised only now, after every target was acted on and reported.
    await report(settings, conclude(settings, stopped, waited))
  } catch (error) {
    failStep(error)
  } finally {
    amplify?.close()
  }
}
