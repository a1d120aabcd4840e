// Least privilege: README's IAM policy allows exactly the Amplify operations the code calls, each on the
// resource IAM authorizes it against and nowhere else; every request the bundled action sends is allowed
// by it; and when IAM refuses one, the step's advice names an action and ARN that the policy allows.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import * as amplifySdk from '@aws-sdk/client-amplify'
import { resourceArn } from '../../src/amplify.js'
import type { Operation } from '../../src/errors.js'
import {
  expectFailure,
  expectSuccess,
  ROOT,
  runStep,
  startServer,
  type AmplifyServer
} from '../support/harness.js'

const APP = 'd1a2b3c4d5e6f7'
const REGION = 'us-east-1'
const ACCOUNT = '123456789012'

// ---- README's policy, and its Allow statements evaluated as IAM does ----------------------------------------

interface Statement {
  Effect: string
  Action?: string | string[]
  Resource?: string | string[]
  [other: string]: unknown
}
interface Policy {
  Version: string
  Statement: Statement[]
}

function readmePolicy(): Policy {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const section = readme.split(/^## /m).find(s => s.startsWith('Least-privilege IAM policy'))
  const blocks = [...(section ?? '').matchAll(/```json\n([\s\S]*?)```/g)]
  expect(blocks).toHaveLength(1) // README has a "## Least-privilege IAM policy" with one JSON block
  return JSON.parse(blocks[0][1]) as Policy
}

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value]

/** IAM's wildcards: `*` any run of characters (slashes too), `?` one character; actions ignore case. */
function matches(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value)
}

function allows(policy: Policy, action: string, resource: string): boolean {
  return policy.Statement.some(
    s =>
      s.Effect === 'Allow' &&
      list(s.Action).some(a => matches(a, action, true)) &&
      list(s.Resource).some(r => matches(r, resource))
  )
}

const policy = readmePolicy()

interface Where {
  app?: string
  region?: string
  account?: string
  branch?: string
  job?: string
}

/** The resource IAM authorizes an operation against (Service Authorization Reference); ListApps has none. */
function resourceOf(op: string, where: Where = {}): string {
  const { app = APP, region = REGION, account = ACCOUNT, branch = 'main', job = '1' } = where
  const appArn = `arn:aws:amplify:${region}:${account}:apps/${app}`
  const branchArn = `${appArn}/branches/${branch}`
  const jobArn = `${branchArn}/jobs/${job.padStart(10, '0')}`
  const of: Record<string, string> = { ListApps: '*', ListBranches: appArn, ListJobs: branchArn }
  return of[op] ?? jobArn
}

// ---- Statically: the policy, and what src/ can call ----------------------------------------------------------

/** Operations src/ sends: `new <Name>Command(` and `paginate<Name>(`, each send naming its command. */
function operationsInSource(): string[] {
  const found = new Set<string>()
  for (const file of readdirSync(join(ROOT, 'src')).filter(f => f.endsWith('.ts'))) {
    const text = readFileSync(join(ROOT, 'src', file), 'utf8')
    for (const [, command, paged] of text.matchAll(/\b(?:new\s+(\w+)Command|paginate(\w+))\s*\(/g))
      found.add(command ?? paged)
    expect(text).not.toMatch(/\bclient\.send\(\s*(?!new\s+\w+Command\()/)
  }
  return [...found].sort()
}

/** Every operation of the Amplify API, from the SDK's command classes. */
const ALL_OPERATIONS = Object.keys(amplifySdk).flatMap(name => /^([A-Z]\w+)Command$/.exec(name)?.[1] ?? [])
const CALLED = ['GetJob', 'ListApps', 'ListBranches', 'ListJobs', 'StopJob']
/** What each operation must not be allowed on: the resources of operations a level up or down. */
const OTHER_SHAPES: Record<string, string[]> = {
  ListBranches: ['ListJobs'],
  ListJobs: ['ListBranches'],
  StopJob: ['ListBranches', 'ListJobs'],
  GetJob: ['ListBranches', 'ListJobs']
}

describe("README's IAM policy", () => {
  it('is plain Allow statements naming exactly the operations src/ calls, each spelled out', () => {
    expect(operationsInSource()).toEqual(CALLED)
    expect(policy.Version).toBe('2012-10-17')
    for (const s of policy.Statement)
      expect(Object.keys(s).filter(k => !['Sid', 'Effect', 'Action', 'Resource'].includes(k))).toEqual([])
    expect(policy.Statement.map(s => s.Effect)).toEqual(policy.Statement.map(() => 'Allow'))
    const actions = policy.Statement.flatMap(s => list(s.Action))
    expect(actions.sort()).toEqual(CALLED.map(op => `amplify:${op}`))
  })

  it.each(CALLED)('allows %s on the resource IAM checks for it, and nowhere else', op => {
    const right = [{}, { branch: 'feature/login', job: '12345' }, { branch: 'pr-42' }]
    for (const arn of right.map(where => resourceOf(op, where)))
      expect([arn, allows(policy, `amplify:${op}`, arn)]).toEqual([arn, true])
    if (op === 'ListApps') return // it names no resource to narrow it to
    const elsewhere = [
      ...[{ app: 'd9z9z9z9z9z9z9' }, { region: 'eu-west-1' }, { account: '999999999999' }].map(w =>
        resourceOf(op, w)
      ),
      ...OTHER_SHAPES[op].map(other => resourceOf(other)),
      `${resourceOf('ListBranches')}/domains/example.com`,
      '*'
    ]
    for (const arn of elsewhere) expect([arn, allows(policy, `amplify:${op}`, arn)]).toEqual([arn, false])
  })

  it('allows no other Amplify operation on any resource (every command of the SDK tried)', () => {
    expect(ALL_OPERATIONS.length).toBeGreaterThan(30)
    const resources = CALLED.map(op => resourceOf(op))
    const allowed = ALL_OPERATIONS.filter(op => !CALLED.includes(op)).flatMap(op =>
      resources.filter(arn => allows(policy, `amplify:${op}`, arn)).map(arn => `${op} ${arn}`)
    )
    expect(allowed).toEqual([])
  })

  it("allows what a denial's message and its grouped advice name (resourceArn in src/amplify.ts)", () => {
    for (const op of CALLED as Operation[]) {
      const subject = { region: REGION, appId: APP, branchName: 'feature/login', jobId: '7' }
      for (const arn of [resourceArn(op, subject), resourceArn(op, { ...subject, branchName: '*' })])
        expect([op, arn, allows(policy, `amplify:${op}`, arn.replace('<account-id>', ACCOUNT))]).toEqual([
          op,
          arn,
          true
        ])
    }
  })
})

// ---- Dynamically: what the bundled action sends --------------------------------------------------------------

/** The (action, resource) pairs IAM would authorize for the requests the server received. */
function authorizations(server: AmplifyServer): [string, string][] {
  return server.requests.map(r => {
    const op = r.operation ?? 'unknown'
    return [`amplify:${op}`, resourceOf(op, { app: r.appId, branch: r.branchName, job: r.jobId })]
  })
}

function expectAllAllowed(server: AmplifyServer): void {
  const refused = authorizations(server).filter(([action, arn]) => !allows(policy, action, arn))
  expect(refused).toEqual([])
}

describe('the bundled action, with the policy', () => {
  it.concurrent(
    'sends only requests it allows: every app of this repository and every branch, with keep-newest and wait',
    async () => {
      const server = await startServer({ cancelDelayMs: 50 })
      server.addApp('d9z9z9z9z9z9z9', { repository: 'https://github.com/octo-org/another-site' })
      for (const branch of ['main', 'feature/login']) server.addJobs(APP, branch, 2, { status: 'RUNNING' })

      const result = await runStep(server, {
        inputs: { 'app-id': '*', 'branch-name': '*', 'keep-newest': 'true', wait: 'true' }
      })

      expectSuccess(result)
      expect(result.outputs['stopped-count']).toBe('2')
      expectAllAllowed(server)
      const used = new Set(authorizations(server).map(([action]) => action.replace('amplify:', '')))
      expect([...used].sort()).toEqual(CALLED) // together, every operation the policy allows
    }
  )

  it.concurrent(
    'StopJob denied on two branches: each failure names the ARN IAM refused, the advice the ARNs of every branch',
    async () => {
      const server = await startServer()
      for (const branch of ['main', 'feature/login']) server.addJob(APP, branch, { status: 'RUNNING' })
      server.deny('StopJob')

      const result = await runStep(server, {
        inputs: { 'app-id': APP, 'branch-name': 'main, feature/login' }
      })

      const message = expectFailure(result, '2 Amplify requests failed', 'denied (AccessDeniedException)')
      const [, action, scope] = /^To fix: Allow (amplify:\w+) on (\S+) in the policy/m.exec(message) ?? []
      expect(action).toBe('amplify:StopJob')
      // The advice, with the account filled in, is allowed by README's policy, and alone allows every stop.
      const resource = scope.replace('<account-id>', ACCOUNT)
      expect(allows(policy, action, resource)).toBe(true)
      const advised = {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: action, Resource: resource }]
      }
      for (const job of result.jobs ?? []) {
        expect(job.result).toBe('failed')
        const [, named, arn] = /Allow (amplify:\w+) on (\S+) in the policy/.exec(job.error ?? '') ?? []
        expect([named, arn]).toEqual([action, server.jobArn(APP, job.branchName, job.jobId)])
        expect(allows(policy, named, arn)).toBe(true)
        expect(allows(advised, action, arn)).toBe(true)
      }
      expect(result.jobs).toHaveLength(2)
      expectAllAllowed(server)
    }
  )
})
