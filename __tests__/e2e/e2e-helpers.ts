// Shared by the end-to-end suites: each test starts its own local Amplify server, runs the bundled action
// (dist/index.js) against it exactly as the runner would, and asserts on what a workflow and the service saw.
// Not a test file itself (jest only collects *.test.ts).
import { afterEach, expect } from '@jest/globals'
import { runAction, type ActionResult, type ActionRun, type Annotation } from '../support/action-runner.js'
import {
  startAmplifyServer,
  TEST_CREDENTIALS,
  type AmplifyServer,
  type AmplifyServerOptions
} from '../support/amplify-server.js'

/** Every end-to-end suite runs on both: the Node that action.yml declares, and this machine's Node 20. */
export const RUNTIMES = ['node20', 'node24'] as const
export type Runtime = (typeof RUNTIMES)[number]

const servers: AmplifyServer[] = []

afterEach(async () => {
  await Promise.all(servers.splice(0).map(server => server.close()))
})

/** A fresh server for one test; closed after it. */
export async function startServer(options: AmplifyServerOptions = {}): Promise<AmplifyServer> {
  const server = await startAmplifyServer(options)
  servers.push(server)
  return server
}

/** One item of the `jobs` output. */
export interface JobItem {
  jobId: string
  jobArn: string
  status: string
  previousStatus?: string
  commitId?: string
  result: string
  error?: string
}

export interface E2eResult extends ActionResult {
  /** The `jobs` output, parsed (undefined when the output was not set). */
  jobs: JobItem[] | undefined
  /** The step summary with tags removed and entities decoded, whitespace collapsed. */
  summaryText: string
  errors: Annotation[]
  warnings: Annotation[]
  notices: Annotation[]
}

/** Runs the bundled action against the server on the given runtime, with the test credentials. */
export async function runStep(
  server: AmplifyServer,
  runtime: Runtime,
  run: Omit<ActionRun, 'endpoint' | 'runtime' | 'credentials'> = {}
): Promise<E2eResult> {
  const result = await runAction({
    endpoint: server.url,
    credentials: { ...TEST_CREDENTIALS },
    runtime,
    ...run
  })
  const of = (command: string) => result.annotations.filter(a => a.command === command)
  return {
    ...result,
    jobs: result.outputs.jobs === undefined ? undefined : (JSON.parse(result.outputs.jobs) as JobItem[]),
    summaryText: htmlToText(result.summary),
    errors: of('error'),
    warnings: of('warning'),
    notices: of('notice')
  }
}

/** The server's request log as `OPERATION path status` lines, in arrival order. */
export function calls(server: AmplifyServer): string[] {
  return server.requests.map(r => `${r.operation ?? 'unknown'} ${r.path} ${r.status}`)
}

/** Just the operations and statuses, for fault tests: `StopJob 429`. */
export function statuses(server: AmplifyServer): string[] {
  return server.requests.map(r => `${r.operation ?? 'unknown'} ${r.status}`)
}

/** The path of a request, as the SDK encodes it. */
export function jobsPath(appId: string, branchName: string, jobId?: string, stop = false): string {
  const branch = `/apps/${appId}/branches/${encodeURIComponent(branchName)}/jobs`
  if (jobId === undefined) return branch
  return `${branch}/${jobId}${stop ? '/stop' : ''}`
}

/** Every request carried a valid SigV4 signature for the test credentials and region. */
export function expectAllSigned(server: AmplifyServer): void {
  expect(server.requests.filter(r => r.signature !== 'valid')).toEqual([])
}

/** Success: exit 0, no ::error::, and the outputs the contract always sets. */
export function expectSuccess(result: E2eResult): void {
  expect({ exitCode: result.exitCode, errors: result.errors, stderr: result.stderr }).toEqual({
    exitCode: 0,
    errors: [],
    stderr: ''
  })
  expect(Object.keys(result.outputs).sort()).toEqual(['job-arn', 'job-id', 'jobs', 'status', 'stopped-count'])
}

/** Failure: exit 1 and exactly one ::error:: line, which contains every fragment. Returns its message. */
export function expectFailure(result: E2eResult, ...fragments: (string | RegExp)[]): string {
  expect(result.exitCode).toBe(1)
  expect(result.errors).toHaveLength(1)
  const message = result.errors[0].message
  for (const fragment of fragments) {
    if (typeof fragment === 'string') expect(message).toContain(fragment)
    else expect(message).toMatch(fragment)
  }
  return message
}

/** An input error: exit 1, one ::error:: naming the input, and not a single request sent. */
export function expectInputError(
  result: E2eResult,
  server: AmplifyServer,
  ...fragments: (string | RegExp)[]
): string {
  const message = expectFailure(result, ...fragments)
  expect(server.requests).toEqual([])
  return message
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" }

/** The summary as a reader sees it: tags gone, entities decoded, whitespace collapsed. */
export function htmlToText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#\d+|[a-z]+);/g, (entity, name: string) =>
      name in ENTITIES
        ? ENTITIES[name]
        : name.startsWith('#')
          ? String.fromCharCode(Number(name.slice(1)))
          : entity
    )
    .replace(/\s+/g, ' ')
    .trim()
}

/** A pull_request event payload shaped like GitHub's (the fields the runner's event file carries). */
export function pullRequestEvent(
  number: number,
  head: { ref: string; sha: string },
  action: 'closed' | 'opened' | 'synchronize' = 'closed',
  merged = true
) {
  const repository = {
    id: 123456789,
    name: 'octo-site',
    full_name: 'octo-org/octo-site',
    private: false,
    owner: { login: 'octo-org', id: 1, type: 'Organization' },
    default_branch: 'main'
  }
  return {
    name: 'pull_request',
    ref: `refs/pull/${number}/merge`,
    payload: {
      action,
      number,
      pull_request: {
        url: `https://api.github.com/repos/octo-org/octo-site/pulls/${number}`,
        id: 1000 + number,
        number,
        state: action === 'closed' ? 'closed' : 'open',
        locked: false,
        title: 'Add the login page',
        user: { login: 'octocat', id: 583231, type: 'User' },
        body: 'Adds /login.',
        created_at: '2025-01-01T10:00:00Z',
        updated_at: '2025-01-02T10:00:00Z',
        closed_at: action === 'closed' ? '2025-01-02T10:00:00Z' : null,
        merged_at: action === 'closed' && merged ? '2025-01-02T10:00:00Z' : null,
        merged: action === 'closed' && merged,
        merge_commit_sha: 'e5bd3914e2e596debea16f433f57875b5b90bcd6',
        draft: false,
        head: { label: `octocat:${head.ref}`, ref: head.ref, sha: head.sha, repo: repository },
        base: {
          label: 'octo-org:main',
          ref: 'main',
          sha: '6dcb09b5b57875f334f61aebed695e2e4193db5e',
          repo: repository
        },
        html_url: `https://github.com/octo-org/octo-site/pull/${number}`
      },
      repository,
      sender: { login: 'octocat', id: 583231, type: 'User' }
    }
  }
}
