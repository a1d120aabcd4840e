#!/usr/bin/env node
// Where the bundle's start-up time goes, for a stop by job id against the local Amplify server.
//
//   npx tsx scripts/bench/startup-profile.mjs [--runs 15] [--runtime node24|machine] [--top 15] [--dir dist-like/]
//
// Builds src/ with ncc exactly as `npm run build` does (into a temporary directory, with --stats-out for the
// module names), or takes an already-built directory with --dir (needs a stats.json beside index.js). It
// copies the bundle and wraps webpack's module loader to time every module's first evaluation, then runs it
// --runs times and prints medians:
//   boot + compile  process start to the bundle's first statement (Node's own start, then parsing the bundle)
//   module eval     evaluating the statically imported modules (the whole first __nccwpck_require__)
//   to request      from there to the StopJob's arrival at the server (inputs, client, the SDK's first send)
//   to exit         the response, outputs, summary, exit
// and, per package, the time its modules took to evaluate (self time) and the bytes each adds to the main
// chunk, with the bytes of modules a stop by id never evaluates (parsed for nothing).
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { RUNTIMES, prepareRun } from '../../__tests__/support/action-runner.js'
import { TEST_CREDENTIALS, startAmplifyServer } from '../../__tests__/support/amplify-server.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    runtime: { type: 'string', default: 'node24' },
    top: { type: 'string', default: '15' },
    dir: { type: 'string' }
  }
})
const work = mkdtempSync(path.join(tmpdir(), 'startup-profile-'))
const APP = 'dprofile0001'

try {
  // 1. A bundle with its webpack stats.
  let built = options.dir ? path.resolve(options.dir) : path.join(work, 'dist')
  if (!options.dir) {
    console.log('building src/ with ncc (as npm run build does) …')
    const ncc = spawnSync(
      'npx',
      [
        'ncc',
        'build',
        'src/index.ts',
        '--out',
        built,
        '--license',
        'licenses.txt',
        '--target',
        'es2022'
      ].concat(['--stats-out', path.join(built, 'stats.json')]),
      { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] }
    )
    if (ncc.status !== 0) throw new Error('ncc build failed')
  }
  const stats = JSON.parse(readFileSync(path.join(built, 'stats.json'), 'utf8'))
  const nameOf = new Map(stats.modules.map(m => [m.id, m.name]))

  // 2. An instrumented copy: the loader records [id, inclusive ms, self ms, depth] per first evaluation.
  const instrumented = path.join(work, 'instrumented')
  cpSync(built, instrumented, { recursive: true })
  const entry = path.join(instrumented, 'index.js')
  let source = readFileSync(entry, 'utf8')
  const call =
    '__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);'
  if (!source.includes(call)) throw new Error("webpack's module loader not found in the bundle")
  source = source.replace(
    call,
    `const __t = performance.now(); __prof.stack.push(0);
     try { ${call} } finally {
       const __ms = performance.now() - __t; const __children = __prof.stack.pop();
       if (__prof.stack.length) __prof.stack[__prof.stack.length - 1] += __ms;
       __prof.modules.push([moduleId, __ms, __ms - __children, __prof.stack.length]);
     }`
  )
  source =
    `const __prof = { top: performance.now(), stack: [], modules: [] };
import { writeFileSync as __write } from 'node:fs';
process.on('exit', () => __write(process.env.PROFILE_OUT, JSON.stringify({ ...__prof, origin: performance.timeOrigin, exit: performance.now() })));
` + source
  writeFileSync(entry, source)

  // 3. Runs against the local server.
  const server = await startAmplifyServer({ cancelDelayMs: Infinity })
  server.addJob(APP, 'main', { jobId: '1', status: 'RUNNING' })
  const { env, dir } = prepareRun({
    inputs: { 'app-id': APP, 'branch-name': 'main', 'job-id': '1' },
    endpoint: server.url,
    credentials: { ...TEST_CREDENTIALS }
  })
  const out = path.join(work, 'profile.json')
  const runs = []
  for (let i = 0; i < Number(options.runs) + 1; i++) {
    server.setJobStatus(APP, 'main', '1', 'RUNNING')
    server.clearRequests()
    const code = await new Promise((resolve, reject) => {
      const child = spawn(RUNTIMES[options.runtime], [entry], {
        env: { ...env, PROFILE_OUT: out },
        stdio: 'ignore'
      })
      child.on('error', reject)
      child.on('exit', resolve)
    })
    if (code !== 0 || server.requests.length !== 1) throw new Error(`run ${i} exited ${code}`)
    const profile = JSON.parse(readFileSync(out, 'utf8'))
    profile.request = server.requests[0].time - profile.origin
    if (i > 0) runs.push(profile) // the first run warms the file cache
  }
  await server.close()
  rmSync(dir, { recursive: true, force: true })

  // 4. Medians.
  const median = values => {
    const sorted = [...values].sort((a, b) => a - b)
    const mid = sorted.length >> 1
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  }
  const ms = value => `${value.toFixed(1)} ms`
  const evalOf = p => p.modules.filter(m => m[3] === 0).reduce((sum, m) => sum + m[1], 0)
  const phases = [
    ['boot + compile', p => p.top],
    ['module eval', evalOf],
    ['to request', p => p.request - p.top - evalOf(p)],
    ['to exit', p => p.exit - p.request],
    ['total (in process)', p => p.exit]
  ]
  console.log(`\n${options.runtime}, ${runs.length} runs, medians:`)
  for (const [name, of] of phases) console.log(`  ${name.padEnd(20)} ${ms(median(runs.map(of)))}`)

  const packageOf = name =>
    /node_modules\/((?:@[^/]+\/)?[^/]+)(?:\/dist-cjs\/submodules\/([^/]+))?/
      .exec(name)
      ?.slice(1)
      .filter(Boolean)
      .join('/') ?? name
  const selfByPackage = new Map()
  for (const p of runs) {
    for (const [id, , self] of p.modules) {
      const key = packageOf(nameOf.get(id) ?? String(id))
      selfByPackage.set(key, (selfByPackage.get(key) ?? 0) + self / runs.length)
    }
  }
  const evaluated = new Set(runs[0].modules.map(m => m[0]))
  const mainChunk = stats.chunks.find(c => c.files.includes('index.js')).id
  const bytes = new Map()
  for (const m of stats.modules.filter(m => m.chunks.includes(mainChunk))) {
    const key = packageOf(m.name)
    const entry = bytes.get(key) ?? { total: 0, unevaluated: 0 }
    entry.total += m.size
    if (!evaluated.has(m.id)) entry.unevaluated += m.size
    bytes.set(key, entry)
  }
  const totalBytes = [...bytes.values()].reduce((sum, b) => sum + b.total, 0)
  const unevaluated = [...bytes.values()].reduce((sum, b) => sum + b.unevaluated, 0)
  console.log(
    `\nmain chunk: ${totalBytes} bytes of modules, ${unevaluated} of them never evaluated by a stop by id`
  )
  console.log(
    `\n${'eval ms (mean)'.padStart(14)} ${'bytes'.padStart(9)} ${'unevaluated'.padStart(11)}  package`
  )
  const keys = [...new Set([...selfByPackage.keys(), ...bytes.keys()])]
  keys.sort(
    (a, b) =>
      (selfByPackage.get(b) ?? 0) - (selfByPackage.get(a) ?? 0) ||
      (bytes.get(b)?.total ?? 0) - (bytes.get(a)?.total ?? 0)
  )
  for (const key of keys.slice(0, Number(options.top))) {
    const b = bytes.get(key) ?? { total: 0, unevaluated: 0 }
    console.log(
      `${(selfByPackage.get(key) ?? 0).toFixed(1).padStart(14)} ${String(b.total).padStart(9)} ${String(b.unevaluated).padStart(11)}  ${key}`
    )
  }
  const bySize = [...bytes.entries()].sort((a, b) => b[1].total - a[1].total).slice(0, Number(options.top))
  console.log(`\nlargest in the main chunk:`)
  for (const [key, b] of bySize)
    console.log(`${String(b.total).padStart(9)} ${String(b.unevaluated).padStart(9)}  ${key}`)
} finally {
  rmSync(work, { recursive: true, force: true })
}
