#!/usr/bin/env node
// npm run bench: how fast the action is against the local Amplify-compatible server on 127.0.0.1, next to
// the floor (a bare `node -e 0`) and to what people use today (`aws amplify stop-job` in a run: step).
//
//   stop by job id   dist/index.js on this machine's node and on Node 24, node -e 0 on both, and the AWS CLI
//   naive            the bar a stop by id must keep: dist/index.js at most 0.90 of the wall time of the naive
//                    bundle (scripts/bench/naive-stop.mjs, @actions/core + @aws-sdk/client-amplify sending one
//                    StopJob, built with a plain `ncc build` into a temporary directory), the two run by turns
//                    on Node 24 and judged on the median of the per-round ratios; prints PASS or FAIL, exits 1
//                    on FAIL
//   discovery        branches with 1, 120 and 2,000 jobs: wall time, ListJobs pages and StopJobs per run
//   wait             time from the job reaching CANCELLED on the server to the action's exit, for cancels
//                    that take 1 s and 30 s, and the GetJobs each run sent
//   sweep            2 apps x 60 branches with every answer 40 ms late (scripts/bench/sweep.mjs): wall time,
//                    the sweep as the server saw it, requests by operation and the peak in flight
//   throttled-sweep  2 apps x 150 branches, 20 ms answers, behind a token bucket of 10 requests a second
//                    (scripts/bench/scale.mjs, one run: about a minute): wall time against the floor
//                    (requests needed / rate), throttled answers, jobs stopped, exit code
//   stops-first      2 apps x 60 branches, 40 ms answers (scripts/bench/scale.mjs): each StopJob's arrival
//                    minus its own branch's ListJobs answer, median and max
//
// Medians of --runs runs (default 15, at least 10) per row; the 30 s wait defaults to 3 runs (--long-wait-runs).
// Timing uses hyperfine (Debian package `hyperfine`) when it is on PATH, else this script's own loop.
// Every run needs a fresh in-progress job: hyperfine's --prepare calls this script's control server, which
// resets the job on the Amplify server; the own loop does the same in-process.
//
// Options: --help, --runs N, --long-wait-runs N, --only
// stop,naive,discovery,wait,sweep,throttled-sweep,stops-first (all by default), --entry
// path/to/index.js (bench another bundle, e.g. a copy of the previous dist/), --no-hyperfine, --no-cli, and
// --compare path/to/other/index.js (repeatable): a before/after of stop by id on Node 24 and this machine's
// node, the bundles run by turns (A B, then B A, …) so that the load of a busy machine falls on all alike,
// with wall and CPU time (user + system, from bash's `times`) and the median of the paired differences to A
// (--entry). With naive also selected, the naive bundle joins those same turns instead of running on its own.
// Results are printed as a table and written as JSON to bench-results/ (git-ignored).
import { spawn, spawnSync } from 'node:child_process'
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import http from 'node:http'
import { cpus, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { ACTION_ENTRY, RUNTIMES, prepareRun } from '../__tests__/support/action-runner.js'
import { TEST_CREDENTIALS, startAmplifyServer } from '../__tests__/support/amplify-server.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    'long-wait-runs': { type: 'string', default: '3' },
    only: { type: 'string', default: 'stop,naive,discovery,wait,sweep,throttled-sweep,stops-first' },
    entry: { type: 'string', default: ACTION_ENTRY },
    'no-hyperfine': { type: 'boolean', default: false },
    'no-cli': { type: 'boolean', default: false },
    compare: { type: 'string', multiple: true, default: [] },
    help: { type: 'boolean', default: false }
  }
})
if (options.help) {
  // This file's opening comment, which says what each scenario measures and every option.
  const header = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\nimport ')[0]
  console.log(header.replace(/^#!.*\n/, '').replace(/^\/\/ ?/gm, ''))
  process.exit(0)
}
const RUNS = Math.max(1, Number(options.runs))
const LONG_WAIT_RUNS = Math.max(1, Number(options['long-wait-runs']))
const WARMUP = 2
const ONLY = new Set(options.only.split(','))
const ENTRY = path.resolve(options.entry)
const COMPARE = options.compare.map(entry => path.resolve(entry))
const NAIVE_SOURCE = path.join(root, 'scripts', 'bench', 'naive-stop.mjs')
/** The action's wall time on Node 24 may be at most this share of the naive bundle's (paired, see the report). */
const NAIVE_LIMIT = 0.9
const NAIVE_ROW = 'naive: ncc of @actions/core + client-amplify'
const APP = 'dbench0001'
const RUNTIME_NAMES = /** @type {const} */ (['machine', 'node24'])

// ---- tools on this machine ---------------------------------------------------------------------------

function which(name) {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' })
  return found.status === 0 ? found.stdout.trim() : undefined
}

function versionOf(bin, args = ['--version']) {
  const out = spawnSync(bin, args, { encoding: 'utf8' })
  return `${out.stdout}${out.stderr}`.trim().split('\n')[0]
}

/** The AWS CLI as a workflow's `run: aws ...` step would start it; a pyenv shim is resolved to the real script. */
function findAwsCli() {
  if (options['no-cli']) return undefined
  const onPath = which('aws')
  if (!onPath) return undefined
  if (onPath.includes('/.pyenv/shims/')) {
    const real = spawnSync('pyenv', ['which', 'aws'], { encoding: 'utf8' })
    if (real.status === 0) return { bin: real.stdout.trim(), via: `${onPath} (pyenv shim, resolved)` }
  }
  return { bin: onPath, via: onPath }
}

const hyperfine = options['no-hyperfine'] ? undefined : which('hyperfine')
const curl = which('curl')
const awsCli = findAwsCli()

// ---- statistics --------------------------------------------------------------------------------------

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

function summary(times) {
  return {
    runs: times.length,
    median: round(median(times)),
    min: round(Math.min(...times)),
    max: round(Math.max(...times)),
    times: times.map(round)
  }
}

const round = (ms, digits = 1) => Math.round(ms * 10 ** digits) / 10 ** digits

/** A path for the report: relative to the repository when inside it. */
function shortPath(file) {
  const relative = path.relative(root, file)
  return relative && !relative.startsWith('..') ? relative : file
}

// ---- control server: hyperfine's --prepare resets the Amplify server through it -----------------------

/** @type {Map<string, () => void | Promise<void>>} */
const prepares = new Map()
const control = http.createServer(async (req, res) => {
  const name = new URL(req.url ?? '/', 'http://x').searchParams.get('prepare') ?? ''
  const prepare = prepares.get(name)
  try {
    if (!prepare) throw new Error(`no prepare step named ${name}`)
    await prepare()
    res.writeHead(204).end()
  } catch (error) {
    res.writeHead(500).end(String(error))
  }
})
await new Promise(resolve => control.listen(0, '127.0.0.1', () => resolve(undefined)))
const controlUrl = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (control.address()).port}`

function prepareCommand(name) {
  const url = `${controlUrl}/?prepare=${encodeURIComponent(name)}`
  return curl
    ? `${curl} -sf -o /dev/null ${url}`
    : `${shellWord(process.execPath)} -e "fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1))" ${url}`
}

/** Quotes one word for hyperfine's command parser (shell-words, also used with -N). */
function shellWord(word) {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}

// ---- timing ------------------------------------------------------------------------------------------

/**
 * Times `argv` (no shell) `runs` times after `WARMUP` warm-up runs, with `prepare` before each run.
 * @param {{ name: string, argv: string[], env: Record<string, string>, prepare?: () => void | Promise<void>, runs?: number }} spec
 * @returns {Promise<number[]>} wall times in ms
 */
async function time({ name, argv, env, prepare, runs = RUNS }) {
  if (hyperfine) {
    const json = path.join(tmpdir(), `bench-${process.pid}-${name}.json`)
    const args = ['-N', '--style', 'none', '--runs', String(runs), '--warmup', String(WARMUP)]
    if (prepare) {
      prepares.set(name, prepare)
      args.push('--prepare', prepareCommand(name))
    }
    args.push('--export-json', json, argv.map(shellWord).join(' '))
    // The runner's environment (INPUT_APP-ID with its dash and all) is hyperfine's own environment, which
    // it passes unchanged to the command: no shell in between (-N) to drop names bash cannot hold.
    const code = await new Promise((resolve, reject) => {
      const child = spawn(hyperfine, args, { env, stdio: ['ignore', 'inherit', 'inherit'] })
      child.on('error', reject)
      child.on('exit', resolve)
    })
    if (code !== 0) {
      // hyperfine hides the command's output: run it once more to show why it failed.
      await prepare?.()
      // Not spawnSync: the Amplify server it talks to runs in this process's event loop.
      const again = await new Promise((resolve, reject) => {
        const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] })
        let output = ''
        child.stdout.on('data', chunk => (output += chunk))
        child.stderr.on('data', chunk => (output += chunk))
        child.on('error', reject)
        child.on('close', status => resolve({ status, output }))
      })
      throw new Error(`hyperfine failed for ${name}; run again, it exited ${again.status}:\n${again.output}`)
    }
    const { results } = JSON.parse(readFileSync(json, 'utf8'))
    rmSync(json, { force: true })
    return results[0].times.map(seconds => seconds * 1000)
  }
  const times = []
  for (let i = 0; i < WARMUP + runs; i++) {
    await prepare?.()
    const { ms, code } = await spawnTimed(argv, env)
    if (code !== 0) throw new Error(`${name} exited ${code}`)
    if (i >= WARMUP) times.push(ms)
  }
  return times
}

/** One run: wall time from spawn to exit, and the exit code. */
function spawnTimed(argv, env) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(argv[0], argv.slice(1), { env, stdio: 'ignore' })
    child.on('error', reject)
    child.on('exit', code => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, code }))
  })
}

const executions = runs => (runs ?? RUNS) + WARMUP

/** Requests per run from the server's log: a whole number when every run sent the same count. */
function perRun(server, operation) {
  const count = server.requestsFor(operation).length
  const n = executions()
  return count % n === 0 ? count / n : round(count / n, 2)
}

// ---- scenarios ---------------------------------------------------------------------------------------

/** @type {Array<{ scenario: string, row: string, runtime?: string, wallMs?: ReturnType<typeof summary>, [k: string]: unknown }>} */
const rows = []
const cleanups = []
/** scripts/bench/scale.mjs's results: throttledSweep, stopsFirst. */
const scale = {}

function actionEnv(server, inputs, extra = {}) {
  const { dir, env } = prepareRun({
    inputs,
    endpoint: server.url,
    credentials: { ...TEST_CREDENTIALS },
    env: extra
  })
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return env
}

async function benchStop() {
  // cancelDelayMs Infinity: the stopped job stays CANCELLING until prepare sets it back to RUNNING.
  const server = await startAmplifyServer({ cancelDelayMs: Infinity })
  const branch = 'main'
  server.addJob(APP, branch, { jobId: '1', status: 'RUNNING' })
  const reseed = () => void server.setJobStatus(APP, branch, '1', 'RUNNING')
  const env = actionEnv(server, { 'app-id': APP, 'branch-name': branch, 'job-id': '1' })

  for (const runtime of RUNTIME_NAMES) {
    const node = RUNTIMES[runtime]
    const bare = await time({ name: `bare-${runtime}`, argv: [node, '-e', '0'], env })
    rows.push({
      scenario: 'stop',
      row: `node -e 0`,
      runtime,
      version: versionOf(node),
      wallMs: summary(bare)
    })

    server.clearRequests()
    const action = await time({ name: `action-${runtime}`, argv: [node, ENTRY], env, prepare: reseed })
    const requests = server.requests.length / executions()
    const stopOk = server.requests.every(r => r.operation === 'StopJob' && r.status === 200)
    if (!stopOk || requests !== 1)
      throw new Error(`stop by id sent ${requests} requests a run, not one StopJob`)
    rows.push({
      scenario: 'stop',
      row: 'action: stop by job id',
      runtime,
      wallMs: summary(action),
      requestsPerRun: requests
    })
  }

  if (awsCli) {
    server.clearRequests()
    const cli = await time({
      name: 'aws-cli',
      argv: [
        awsCli.bin,
        'amplify',
        'stop-job',
        '--endpoint-url',
        server.url,
        '--app-id',
        APP,
        '--branch-name',
        branch,
        '--job-id',
        '1'
      ],
      env: { ...env, AWS_DEFAULT_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' },
      prepare: reseed
    })
    const okRuns = server.requestsFor('StopJob').filter(r => r.status === 200).length
    if (okRuns !== executions()) throw new Error(`the AWS CLI's StopJob succeeded ${okRuns} times`)
    rows.push({
      scenario: 'stop',
      row: 'aws amplify stop-job',
      version: versionOf(awsCli.bin),
      via: awsCli.via,
      wallMs: summary(cli),
      requestsPerRun: server.requests.length / executions()
    })
  }
  await server.close()
}

async function benchDiscovery() {
  for (const count of [1, 120, 2000]) {
    const server = await startAmplifyServer({ cancelDelayMs: Infinity })
    const branch = `long-lived-${count}`
    // As on a real branch: old jobs have ended; at most one runs and one waits (amplify-api.md).
    const live = count === 1 ? { [count]: 'RUNNING' } : { [count - 1]: 'RUNNING', [count]: 'PENDING' }
    server.addJobs(APP, branch, count, i => ({
      status: live[i + 1] ?? (i % 10 === 3 ? 'FAILED' : i % 10 === 7 ? 'CANCELLED' : 'SUCCEED')
    }))
    const reseed = () => {
      for (const [jobId, status] of Object.entries(live)) server.setJobStatus(APP, branch, jobId, status)
    }
    const env = actionEnv(server, { 'app-id': APP, 'branch-name': branch })
    const times = await time({
      name: `discovery-${count}`,
      argv: [RUNTIMES.node24, ENTRY],
      env,
      prepare: reseed
    })
    const stops = server.requestsFor('StopJob')
    if (stops.some(r => r.status !== 200)) throw new Error('a StopJob failed in discovery')
    rows.push({
      scenario: 'discovery',
      row: `discovery, ${count.toLocaleString('en-US')} job${count === 1 ? '' : 's'}`,
      runtime: 'node24',
      jobs: count,
      wallMs: summary(times),
      listJobsPerRun: perRun(server, 'ListJobs'),
      stopJobPerRun: perRun(server, 'StopJob'),
      expectedListJobs: Math.max(1, Math.ceil(count / 50))
    })
    await server.close()
  }
}

async function benchWait() {
  for (const [cancelMs, runs] of [
    [1_000, RUNS],
    [30_000, LONG_WAIT_RUNS]
  ]) {
    const server = await startAmplifyServer({ cancelDelayMs: cancelMs })
    const branch = 'main'
    const lags = []
    const getJobs = []
    const walls = []
    for (let i = 0; i < runs; i++) {
      const job = server.addJob(APP, branch, { status: 'RUNNING' })
      const env = actionEnv(server, {
        'app-id': APP,
        'branch-name': branch,
        'job-id': job.jobId,
        wait: 'true'
      })
      const started = Date.now()
      const { code } = await spawnTimed([RUNTIMES.node24, ENTRY], env)
      const exited = Date.now()
      if (code !== 0 || job.status !== 'CANCELLED' || !job.endTime) {
        throw new Error(`wait run ${i} exited ${code} with the job ${job.status}`)
      }
      lags.push(exited - job.endTime.getTime())
      walls.push(exited - started)
      getJobs.push(server.requestsFor('GetJob').filter(r => r.jobId === job.jobId).length)
    }
    rows.push({
      scenario: 'wait',
      row: `wait, cancel takes ${cancelMs / 1000} s`,
      runtime: 'node24',
      cancelMs,
      wallMs: summary(walls),
      lagMs: summary(lags),
      getJobPerRun: getJobs
    })
    await server.close()
  }
}

/** One run through bash, whose `times` gives the child's CPU time: { ms (wall), cpuMs, code }. */
function spawnWithCpu(argv, env) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const script = '"$@"; code=$?; times >&3; exit $code'
    const child = spawn('bash', ['-c', script, 'bench', ...argv], {
      env,
      stdio: ['ignore', 'ignore', 'ignore', 'pipe']
    })
    let times = ''
    child.stdio[3]?.on('data', chunk => (times += chunk))
    child.on('error', reject)
    child.on('close', code => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      // Second line: the children's user and system time, e.g. `0m0.131s 0m0.021s`.
      const seconds = [...(times.split('\n')[1] ?? '').matchAll(/(\d+)m([\d.]+)s/g)].map(
        m => Number(m[1]) * 60 + Number(m[2])
      )
      resolve({ ms, cpuMs: seconds.length === 2 ? (seconds[0] + seconds[1]) * 1000 : NaN, code })
    })
  })
}

/**
 * Runs bundles by turns on the same server and environment, the order reversed every round (A B C, then
 * C B A, …), so that the load of a busy machine falls on all alike; a variant without an entry is
 * `node -e 0`. Every run is timed (wall, and CPU from bash's `times`) and must send exactly one StopJob,
 * which succeeds. Each row keeps its times in round order, so rows of one runtime pair up run by run.
 * @param {Array<{ label: string, entry?: string }>} variants the first is the reference, "A"
 * @param {string[]} runtimes
 */
async function benchPaired(variants, runtimes) {
  const server = await startAmplifyServer({ cancelDelayMs: Infinity })
  server.addJob(APP, 'main', { jobId: '1', status: 'RUNNING' })
  const env = actionEnv(server, { 'app-id': APP, 'branch-name': 'main', 'job-id': '1' })
  const bare = variants.findIndex(v => !v.entry)
  const order = variants.map((_, v) => v)
  for (const runtime of runtimes) {
    const results = variants.map(() => ({
      wall: /** @type {number[]} */ ([]),
      cpu: /** @type {number[]} */ ([])
    }))
    for (let i = 0; i < WARMUP + RUNS; i++) {
      for (const v of i % 2 === 0 ? order : [...order].reverse()) {
        const { label, entry } = variants[v]
        server.setJobStatus(APP, 'main', '1', 'RUNNING')
        server.clearRequests()
        const run = await spawnWithCpu([RUNTIMES[runtime], ...(entry ? [entry] : ['-e', '0'])], env)
        const stopped = server.requests.filter(r => r.operation === 'StopJob' && r.status === 200)
        if (
          run.code !== 0 ||
          server.requests.length !== stopped.length ||
          stopped.length !== (entry ? 1 : 0)
        ) {
          throw new Error(
            `${label} exited ${run.code} after ${server.requests.length} requests, not one StopJob`
          )
        }
        if (i >= WARMUP) {
          results[v].wall.push(run.ms)
          results[v].cpu.push(run.cpuMs)
        }
      }
    }
    const paired = (key, from, to) => summary(results[to][key].map((v, i) => v - results[from][key][i]))
    for (const [v, { label, entry }] of variants.entries()) {
      rows.push({
        scenario: 'paired',
        row: label,
        entry,
        bundle: entry ? bundleSize(entry) : undefined,
        runtime,
        wallMs: summary(results[v].wall),
        cpuMs: summary(results[v].cpu),
        ...(v > 0 && entry
          ? { pairedWallDeltaMs: paired('wall', 0, v), pairedCpuDeltaMs: paired('cpu', 0, v) }
          : {}),
        ...(entry && bare >= 0 ? { overBareNodeMs: paired('wall', bare, v) } : {})
      })
    }
  }
  await server.close()
}

/**
 * The naive bundle: scripts/bench/naive-stop.mjs built as its author would, with a plain `ncc build`. The
 * build runs in a temporary directory (the source copied, node_modules linked) so that the repository's
 * tsconfig.json, whose `paths` swap undici for a stub, does not reach it.
 */
function buildNaive() {
  const work = mkdtempSync(path.join(tmpdir(), 'bench-naive-'))
  cleanups.push(() => rmSync(work, { recursive: true, force: true }))
  copyFileSync(NAIVE_SOURCE, path.join(work, 'index.mjs'))
  symlinkSync(path.join(root, 'node_modules'), path.join(work, 'node_modules'))
  const ncc = spawnSync(path.join(root, 'node_modules', '.bin', 'ncc'), ['build', 'index.mjs', '--quiet'], {
    cwd: work,
    stdio: ['ignore', 'ignore', 'inherit']
  })
  const out = path.join(work, 'dist')
  const entry = ncc.status === 0 ? readdirSync(out).find(name => /^index\.m?js$/.test(name)) : undefined
  if (!entry) throw new Error(`ncc could not build ${path.relative(root, NAIVE_SOURCE)}`)
  return path.join(out, entry)
}

// ---- run ---------------------------------------------------------------------------------------------

function bundleSize(entry) {
  const dir = path.dirname(entry)
  const files = readdirSync(dir).filter(name => /\.m?js$/.test(name))
  const size = name => statSync(path.join(dir, name)).size
  return {
    entryBytes: size(path.basename(entry)),
    allJsBytes: files.reduce((sum, name) => sum + size(name), 0)
  }
}

const started = new Date()
console.log(`amplify-stop-job bench, ${started.toISOString()}`)
console.log(
  `bundle ${path.relative(root, ENTRY) || ENTRY}; ${cpus().length} cores, load ${loadavg()
    .map(l => l.toFixed(2))
    .join(' ')}`
)
console.log(
  hyperfine
    ? `timing with ${versionOf(hyperfine)} (-N, ${WARMUP} warm-up runs, --prepare resets the job)`
    : `hyperfine not found (apt-get install hyperfine): timing with this script's own loop (${WARMUP} warm-up runs)`
)
if (!awsCli && !options['no-cli']) {
  console.log(
    "aws not found on PATH: the AWS CLI row is skipped (install Debian's awscli package, or aws-cli under pyenv/pip)"
  )
}

try {
  if (ONLY.has('stop')) await benchStop()
  if (COMPARE.length > 0 || ONLY.has('naive')) {
    // The naive bundle runs right after the action, for the closest pairs; then node -e 0, then the others.
    await benchPaired(
      [
        { label: `A: ${shortPath(ENTRY)}`, entry: ENTRY },
        ...(ONLY.has('naive') ? [{ label: NAIVE_ROW, entry: buildNaive() }] : []),
        { label: 'node -e 0, by turns with the bundles' },
        ...COMPARE.map((entry, i) => ({
          label: `${String.fromCharCode(66 + i)}: ${shortPath(entry)}`,
          entry
        }))
      ],
      COMPARE.length > 0 ? ['node24', 'machine'] : ['node24']
    )
  }
  if (ONLY.has('discovery')) await benchDiscovery()
  if (ONLY.has('wait')) await benchWait()
  if (ONLY.has('sweep')) {
    console.log('\n== sweep')
    // On this process's node and loader (tsx), which the sweep needs for the TypeScript test support.
    spawnSync(
      process.execPath,
      [...process.execArgv, path.join(root, 'scripts/bench/sweep.mjs'), '--runs', String(Math.min(RUNS, 5))],
      { stdio: 'inherit' }
    )
  }
  // Issue 15's figures, on this process's node and loader too; the throttled sweep once (about a minute).
  for (const [name, runs] of [
    ['throttled-sweep', 1],
    ['stops-first', Math.min(RUNS, 5)]
  ]) {
    if (!ONLY.has(name)) continue
    const json = path.join(tmpdir(), `bench-${process.pid}-${name}.json`)
    const args = [path.join(root, 'scripts/bench/scale.mjs'), '--only', name, '--runs', String(runs)]
    const child = spawnSync(process.execPath, [...process.execArgv, ...args, '--json', json], {
      stdio: 'inherit'
    })
    if (child.status !== 0) throw new Error(`scripts/bench/scale.mjs --only ${name} exited ${child.status}`)
    Object.assign(scale, JSON.parse(readFileSync(json, 'utf8')))
    rmSync(json, { force: true })
  }
} finally {
  control.close()
  for (const cleanup of cleanups) cleanup()
}

// ---- report ------------------------------------------------------------------------------------------

const find = (row, runtime) =>
  rows.find(r => r.row === row && (runtime === undefined || r.runtime === runtime))
const ratios = {}
for (const runtime of RUNTIME_NAMES) {
  const action = find('action: stop by job id', runtime)?.wallMs?.median
  const bare = find('node -e 0', runtime)?.wallMs?.median
  const cli = find('aws amplify stop-job')?.wallMs?.median
  if (action === undefined) continue
  ratios[runtime] = {
    actionOverCli: cli ? round(action / cli, 3) : undefined,
    actionOverBareNode: bare ? round(action / bare, 2) : undefined,
    actionMinusBareNodeMs: bare ? round(action - bare) : undefined
  }
}

// The bar for a stop by id: on Node 24 the action takes at most NAIVE_LIMIT of the naive bundle's wall
// time, judged on the median of the per-round ratios (each round runs both, back to back).
const pairedRow = (entry, runtime) =>
  rows.find(r => r.scenario === 'paired' && r.entry === entry && r.runtime === runtime)
const naiveOf = runtime => rows.find(r => r.row === NAIVE_ROW && r.runtime === runtime)
/** This row's wall time over the naive bundle's: the ratio of the medians, and the median of paired ratios. */
function overNaive(row) {
  const naive = naiveOf(row.runtime)
  if (!naive || !row.entry || row === naive) return undefined
  return {
    ofMedians: round(row.wallMs.median / naive.wallMs.median, 3),
    paired: round(median(row.wallMs.times.map((ms, i) => ms / naive.wallMs.times[i])), 3)
  }
}
const actionRow = pairedRow(ENTRY, 'node24')
const naiveVerdict = naiveOf('node24') && {
  runtime: 'node24',
  actionMs: actionRow.wallMs.median,
  naiveMs: naiveOf('node24').wallMs.median,
  ratio: overNaive(actionRow),
  limit: NAIVE_LIMIT,
  pass: overNaive(actionRow).paired <= NAIVE_LIMIT
}

const table = [['row', 'runtime', 'runs', 'median ms', 'min–max ms', 'requests / notes']]
for (const r of rows) {
  let notes = ''
  if (r.scenario === 'stop' && r.requestsPerRun !== undefined) notes = `${r.requestsPerRun} request`
  if (r.row === 'node -e 0') notes = String(r.version)
  if (r.row === 'aws amplify stop-job') notes = `${r.version}; ${r.requestsPerRun} request`
  if (r.scenario === 'discovery') {
    notes = `${r.listJobsPerRun} ListJobs (ceil(n/50) = ${r.expectedListJobs}), ${r.stopJobPerRun} StopJob`
  }
  if (r.scenario === 'paired') {
    notes = `CPU median ${r.cpuMs.median} ms`
    if (r.overBareNodeMs) notes += `; over node -e 0 (paired) ${r.overBareNodeMs.median} ms`
    if (r.pairedWallDeltaMs) {
      notes += `; − A, paired medians: wall ${r.pairedWallDeltaMs.median} ms, CPU ${r.pairedCpuDeltaMs.median} ms`
    }
    const ratio = overNaive(r)
    if (ratio) notes += `; /naive ${ratio.paired} paired (${ratio.ofMedians} of medians)`
  }
  if (r.scenario === 'wait') {
    notes = `CANCELLED → exit median ${r.lagMs.median} ms (${r.lagMs.min}–${r.lagMs.max}); GetJob ${r.getJobPerRun.join(',')}`
  }
  table.push([
    r.row,
    r.runtime ?? '',
    String(r.wallMs.runs),
    String(r.wallMs.median),
    `${r.wallMs.min}–${r.wallMs.max}`,
    notes
  ])
}
const widths = table[0].map((_, i) => Math.max(...table.map(line => line[i].length)))
console.log()
for (const [i, line] of table.entries()) {
  console.log(`| ${line.map((cell, j) => cell.padEnd(widths[j])).join(' | ')} |`)
  if (i === 0) console.log(`|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`)
}
console.log()
for (const [runtime, ratio] of Object.entries(ratios)) {
  const cli = ratio.actionOverCli === undefined ? 'no CLI row' : `action/CLI ${ratio.actionOverCli}`
  console.log(
    `${runtime}: ${cli}, action/bare node ${ratio.actionOverBareNode} (+${ratio.actionMinusBareNodeMs} ms over node -e 0)`
  )
}

if (naiveVerdict) {
  const { actionMs, naiveMs, ratio, limit, pass } = naiveVerdict
  console.log(
    `node24: action/naive ${ratio.paired}, median of the paired ratios (medians ${actionMs} / ${naiveMs} ms = ${ratio.ofMedians}): ${pass ? 'PASS' : 'FAIL'}, the bar is ${limit}`
  )
  if (!pass) process.exitCode = 1
}

const size = bundleSize(ENTRY)
const sizes = [
  { entry: shortPath(ENTRY), ...size },
  ...rows
    .filter(r => r.scenario === 'paired' && r.bundle && r.entry !== ENTRY && r.runtime === 'node24')
    .map(r => ({ entry: r.row === NAIVE_ROW ? 'the naive bundle' : shortPath(r.entry), ...r.bundle }))
]
for (const { entry, entryBytes, allJsBytes } of sizes) {
  console.log(`bundle ${entry}: ${entryBytes} bytes, with its chunks ${allJsBytes} bytes`)
}

const outDir = path.join(root, 'bench-results')
mkdirSync(outDir, { recursive: true })
const outFile = path.join(outDir, `bench-${started.toISOString().replace(/[:.]/g, '-')}.json`)
writeFileSync(
  outFile,
  `${JSON.stringify(
    {
      date: started.toISOString(),
      entry: ENTRY,
      bundle: size,
      compare: COMPARE.length > 0 ? COMPARE : undefined,
      naive: naiveVerdict,
      machine: { cores: cpus().length, loadAtStart: loadavg() },
      timer: hyperfine ? versionOf(hyperfine) : 'own loop',
      warmup: WARMUP,
      awsCli: awsCli ?? null,
      rows,
      ratios,
      ...scale
    },
    null,
    2
  )}\n`
)
console.log(`written to ${path.relative(root, outFile)}`)
