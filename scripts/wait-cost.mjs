// A one-off measurement, not a test and not run in CI: how many GetJob requests `wait: true` costs for a cancel
// that lands after 1 second and one that lands after 60 seconds. Runs the bundled dist/index.js against the
// local Amplify server (whose job reaches CANCELLED cancelDelayMs after StopJob) and counts GetJob requests in
// the server's request log. Takes a little over a minute.
//
//   npx tsx scripts/wait-cost.mjs [machine|node24]
import { runAction } from '../__tests__/support/action-runner.js'
import { startAmplifyServer, TEST_CREDENTIALS } from '../__tests__/support/amplify-server.js'

const APP_ID = 'd1a2b3c4d5e6f7'
const runtime = process.argv[2] === 'node24' ? 'node24' : 'machine'

async function measure(cancelDelayMs) {
  const server = await startAmplifyServer({ cancelDelayMs })
  try {
    server.addJob(APP_ID, 'main', { status: 'RUNNING' })
    const result = await runAction({
      inputs: { 'app-id': APP_ID, 'branch-name': 'main', 'job-id': '1', wait: 'true' },
      endpoint: server.url,
      credentials: { ...TEST_CREDENTIALS },
      runtime,
      timeoutMs: cancelDelayMs + 60_000
    })
    if (result.exitCode !== 0) throw new Error(`the action failed:\n${result.stdout}${result.stderr}`)
    const stop = server.requestsFor('StopJob')[0]
    const polls = server.requestsFor('GetJob')
    return {
      cancelDelayMs,
      getJobs: polls.length,
      pollsAt: polls.map(r => ((r.time - stop.time) / 1000).toFixed(1)),
      status: result.outputs.status,
      waited: /Waited ([\d.]+ s)/.exec(result.summary)?.[1],
      seenAfter: `${(((polls.at(-1)?.time ?? stop.time) - stop.time - cancelDelayMs) / 1000).toFixed(1)} s`
    }
  } finally {
    await server.close()
  }
}

console.log(`wait: true on ${runtime}, one job, GetJob requests from the local server's request log\n`)
for (const delay of [1_000, 60_000]) {
  const m = await measure(delay)
  console.log(`cancel after ${delay / 1000} s: ${m.getJobs} GetJob requests, final status ${m.status}`)
  console.log(`  polls at (s after StopJob): ${m.pollsAt.join(', ')}`)
  console.log(`  the action waited ${m.waited}; it saw CANCELLED ${m.seenAfter} after it happened\n`)
}
