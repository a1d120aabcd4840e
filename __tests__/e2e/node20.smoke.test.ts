// Every e2e scenario runs on Node 24, the runtime action.yml declares and the only one the runner uses for
// this action, where Node 24 can be had. This machine's node is Node 20, though, and `npm run demo` (like the
// other scripts) runs the bundle on it: this smoke test keeps that working, with one stop by id and the demo
// itself. It also checks that `node24` really is Node 24 whenever one is at hand (this machine's, or
// tools/node24's after `npm run setup:node24`).
import { describe, expect, it } from '@jest/globals'
import { execFileSync, spawn } from 'node:child_process'
import {
  calls,
  expectSuccess,
  HAS_NODE24,
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
  it('node24 is Node 24 whenever one is at hand, else this machine’s node', () => {
    expect(HAS_NODE24 ? majorOf(RUNTIMES.node24) : RUNTIMES.node24).toBe(HAS_NODE24 ? 24 : RUNTIMES.machine)
  })
})

describe('on this machine’s node (Node 20 here)', () => {
  it.concurrent('the bundle stops a job by id, with one StopJob', async () => {
    const server = await startServer({ cancelDelayMs: Infinity })
    server.addJobs(APP, 'main', 2)

    const result = await runStep(server, {
      runtime: 'machine',
      inputs: { 'app-id': APP, 'branch-name': 'main', 'job-id': '2' }
    })

    expectSuccess(result)
    expect(calls(server)).toEqual([`StopJob ${jobsPath(APP, 'main', '2', true)} 200`])
    expect(result.outputs).toMatchObject({ 'job-id': '2', status: 'CANCELLING', 'stopped-count': '1' })
    expect(server.getJob(APP, 'main', '2').status).toBe('CANCELLING')
    expect(server.getJob(APP, 'main', '1').status).toBe('RUNNING')
  })

  it.concurrent(
    'npm run demo stops the branch’s two builds, waits until they are cancelled, and exits 0',
    async () => {
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
    }
  )
})
