// npm run serve -- --scenario <name>: the local Amplify server on its own, seeded with a scenario, so that a
// contributor can try any input by hand with `node dist/index.js` or @github/local-action. It prints its
// endpoint, the credentials it accepts and the scenario's inputs as KEY=value lines (for a .env file) and as one
// command, logs every request as it is answered, and serves until Ctrl-C. `--help` lists the scenarios.
import { parseArgs } from 'node:util'
import {
  startAmplifyServer,
  TEST_CREDENTIALS,
  type AmplifyServer,
  type AmplifyServerOptions
} from '../__tests__/support/amplify-server.js'
import { inputVariable } from '../__tests__/support/action-runner.js'

interface Scenario {
  /** What the server holds, in a line. */
  about: (branches: number) => string
  /** Branches per app, where the scenario has a number of them. */
  branches?: number
  options: AmplifyServerOptions
  seed: (server: AmplifyServer, branches: number) => void
  /** The inputs that act on it. */
  inputs: Record<string, string>
}

const SWEEP_APPS = ['dsweep1', 'dsweep2']
const seedSweep = (server: AmplifyServer, branches: number) => {
  for (const app of SWEEP_APPS) for (let i = 0; i < branches; i++) server.addJob(app, `pr-${i}`)
}

const SCENARIOS: Record<string, Scenario> = {
  'two-builds': {
    about: () =>
      'app d1a2b3c4d5e6f7, branch main: build 2 RUNNING, build 3 PENDING, build 1 SUCCEED (what npm run demo ' +
      'seeds); a stopped build is CANCELLED 1.5 s later',
    options: { cancelDelayMs: 1500 },
    seed: server => {
      server.addJob('d1a2b3c4d5e6f7', 'main', { status: 'SUCCEED', commitMessage: 'Fix the footer links' })
      server.addJob('d1a2b3c4d5e6f7', 'main', { status: 'RUNNING', commitMessage: 'Add the pricing page' })
      server.addJob('d1a2b3c4d5e6f7', 'main', {
        status: 'PENDING',
        commitMessage: 'Tighten the pricing copy'
      })
    },
    inputs: { 'app-id': 'd1a2b3c4d5e6f7', 'branch-name': 'main' }
  },
  sweep: {
    about: branches =>
      `apps ${SWEEP_APPS.join(' and ')}, ${branches} branches each (pr-0 …), one RUNNING build on every branch`,
    branches: 60,
    options: {},
    seed: seedSweep,
    inputs: { 'app-id': SWEEP_APPS.join(','), 'branch-name': '*' }
  },
  throttled: {
    about: branches =>
      `the sweep with ${branches} branches per app, behind a token bucket of 10 requests a second (burst 10: ` +
      '429 LimitExceededException "Rate exceeded" when empty), every answer 20 ms late',
    branches: 150,
    options: { throttle: { rate: 10, burst: 10 }, latencyMs: 20 },
    seed: seedSweep,
    inputs: { 'app-id': SWEEP_APPS.join(','), 'branch-name': '*' }
  },
  stuck: {
    about: () =>
      'app dstuck1, branch main: build 1 CANCELLING since it started 5 hours ago (Amplify cannot stop it again), ' +
      'build 2 RUNNING, started 3 hours ago',
    options: { cancelDelayMs: 1500 },
    seed: server => {
      server.addJob('dstuck1', 'main', { status: 'CANCELLING', startedSecondsAgo: 5 * 3600 })
      server.addJob('dstuck1', 'main', { status: 'RUNNING', startedSecondsAgo: 3 * 3600 })
    },
    inputs: { 'app-id': 'dstuck1', 'branch-name': 'main', 'older-than': '2h' }
  }
}

const { values: options } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'two-builds' },
    branches: { type: 'string' },
    port: { type: 'string', default: '0' },
    help: { type: 'boolean', default: false }
  }
})

if (options.help) {
  console.log('npm run serve -- [--scenario NAME] [--branches N] [--port N]\n')
  console.log('Starts the local Amplify server with a scenario and serves until Ctrl-C. Scenarios:')
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    console.log(`  ${name.padEnd(11)} ${scenario.about(scenario.branches ?? 0)}`)
  }
  console.log(
    '\n--branches N: branches per app, for sweep and throttled. --port N: a fixed port (default: any free one).'
  )
  process.exit(0)
}

const scenario = SCENARIOS[options.scenario]
if (!scenario) {
  console.error(
    `No scenario ${options.scenario}: choose one of ${Object.keys(SCENARIOS).join(', ')} (see --help).`
  )
  process.exit(2)
}
const branches = Number(options.branches ?? scenario.branches ?? 0)
const server = await startAmplifyServer({ ...scenario.options, port: Number(options.port) })
scenario.seed(server, branches)

const variables: Record<string, string> = {
  AWS_ENDPOINT_URL_AMPLIFY: server.url,
  AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
  AWS_REGION: server.region,
  ...Object.fromEntries(Object.entries(scenario.inputs).map(([name, value]) => [inputVariable(name), value]))
}
/** One word for a POSIX shell. */
const shellWord = (word: string) =>
  /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`

console.log(`Local Amplify server, scenario ${options.scenario}: ${scenario.about(branches)}\n`)
console.log('Endpoint, credentials and the inputs that act on it (KEY=value lines, e.g. for a .env file):')
for (const [name, value] of Object.entries(variables)) console.log(`${name}=${value}`)
console.log('\nOr run the bundle against it, from another shell in this repository:')
const assignments = Object.entries(variables).map(([name, value]) => shellWord(`${name}=${value}`))
console.log(`env ${assignments.join(' ')} node dist/index.js`)
console.log('\nServing until Ctrl-C (start it again for fresh builds). Requests, as they are answered:')

// The log, printed as requests are answered (in arrival order); throttled answers counted, not printed.
let printed = 0
let throttledSince = 0
const started = Date.now()
const printAnswered = () => {
  while (printed < server.requests.length && server.requests[printed].status !== 'pending') {
    const r = server.requests[printed++]
    if (r.throttled) {
      throttledSince++
      continue
    }
    const throttled = throttledSince > 0 ? `  (${throttledSince} throttled before it)` : ''
    throttledSince = 0
    const at = `+${((r.time - started) / 1000).toFixed(3)} s`
    console.log(`  ${at}  ${r.operation ?? 'unknown'} ${r.method} ${r.path}  ${r.status}${throttled}`)
  }
}
const ticker = setInterval(printAnswered, 100)

const stop = async (signal: string) => {
  clearInterval(ticker)
  printAnswered()
  await server.close()
  console.log(
    `\n${signal}: closed after ${server.requests.length} requests (${server.throttledCount} throttled).`
  )
  process.exit(0)
}
process.once('SIGINT', () => void stop('SIGINT'))
process.once('SIGTERM', () => void stop('SIGTERM'))
