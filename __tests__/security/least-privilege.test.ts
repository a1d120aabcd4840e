// Least privilege: README's IAM policy is the single source of truth. Every Amplify operation the code
// can call (found statically in src/ and dynamically in the requests the bundled action sends) is allowed
// by it on the resource IAM checks, and it allows nothing else.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import * as amplifySdk from '@aws-sdk/client-amplify'
import { resourceArn } from '../../src/amplify.js'
import type { Operation } from '../../src/errors.js'
import { ROOT, runStep, startServer, type AmplifyServer } from '../support/harness.js'

const APP_ID = 'd1a2b3c4d5e6f7'

// ---- README's policy, and an evaluator of its Allow statements as IAM evaluates them -----------------

interface Statement {
  Sid?: string
  Effect: string
  Action?: string | string[]
  Resource?: string | string[]
  NotAction?: unknown
  NotResource?: unknown
  Principal?: unknown
  Condition?: unknown
}

interface Policy {
  Version: string
  Statement: Statement[]
}

function readmePolicy(): Policy {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const section = readme.split(/^## /m).find(s => s.startsWith('Least-privilege IAM policy'))
  if (!section) throw new Error('README has no "## Least-privilege IAM policy" section')
  const blocks = [...section.matchAll(/```json\n([\s\S]*?)```/g)]
  expect(blocks).toHaveLength(1)
  return JSON.parse(blocks[0][1]) as Policy
}

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value]

/** IAM's wildcards: `*` any run of characters (slashes too), `?` one character. */
function matches(pattern: string, value: string, caseInsensitive = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${source}$`, caseInsensitive ? 'i' : '').test(value)
}

/** Allowed when an Allow statement names the action and the resource, and no Deny does. */
function allows(policy: Policy, action: string, resource: string): boolean {
  const applies = (s: Statement) =>
    list(s.Action).some(a => matches(a, action, true)) && list(s.Resource).some(r => matches(r, resource))
  return (
    policy.Statement.some(s => s.Effect === 'Allow' && applies(s)) &&
    !policy.Statement.some(s => s.Effect === 'Deny' && applies(s))
  )
}

// ---- What the code can call --------------------------------------------------------------------------

const SRC = join(ROOT, 'src')

/** Operations found in src/: `new <Name>Command(` and `paginate<Name>(`, and the names imported from the SDK. */
function operationsInSource(): { called: Set<string>; imported: Set<string> } {
  const called = new Set<string>()
  const imported = new Set<string>()
  for (const file of readdirSync(SRC).filter(f => f.endsWith('.ts'))) {
    const text = readFileSync(join(SRC, file), 'utf8')
    for (const [, name] of text.matchAll(/\bnew\s+(\w+)Command\s*\(/g)) called.add(name)
    for (const [, name] of text.matchAll(/\bpaginate(\w+)\s*\(/g)) called.add(name)
    for (const [, names] of text.matchAll(
      /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/client-amplify'/g
    )) {
      for (const raw of names.split(',')) {
        const name = raw.trim().replace(/^type\s+/, '')
        const op = /^(\w+)Command$/.exec(name)?.[1] ?? /^paginate(\w+)$/.exec(name)?.[1]
        if (op) imported.add(op)
      }
    }
    expect(text).not.toMatch(/\bclient\.send\(\s*(?!new\s+\w+Command\()/) // every send names its command
  }
  return { called, imported }
}

/** Every operation of the Amplify API, from the SDK's command classes. */
const ALL_OPERATIONS = Object.keys(amplifySdk)
  .map(name => /^([A-Z]\w+)Command$/.exec(name)?.[1])
  .filter((name): name is string => name !== undefined)

const REGION = 'us-east-1'
const ACCOUNT = '123456789012'
const branchArn = (app: string, branch: string, region = REGION, account = ACCOUNT) =>
  `arn:aws:amplify:${region}:${account}:apps/${app}/branches/${branch}`
const jobArn = (app: string, branch: string, job: string) =>
  `${branchArn(app, branch)}/jobs/${job.padStart(10, '0')}`
const appArn = (app: string, region = REGION, account = ACCOUNT) =>
  `arn:aws:amplify:${region}:${account}:apps/${app}`

/**
 * The resource IAM authorizes each operation against (Service Authorization Reference). ListApps names no
 * resource: its policy statement needs `*`.
 */
const RESOURCE_OF: Record<string, 'any' | 'app' | 'branch' | 'job'> = {
  ListApps: 'any',
  ListBranches: 'app',
  ListJobs: 'branch',
  StopJob: 'job',
  GetJob: 'job'
}

describe("README's IAM policy", () => {
  const policy = readmePolicy()
  const { called, imported } = operationsInSource()
  const actions = policy.Statement.flatMap(s => list(s.Action))

  it('is a plain identity policy: Allow statements with Action and Resource, no Not*, Principal or Condition', () => {
    expect(policy.Version).toBe('2012-10-17')
    for (const statement of policy.Statement) {
      expect(statement.Effect).toBe('Allow')
      expect(statement).not.toHaveProperty('NotAction')
      expect(statement).not.toHaveProperty('NotResource')
      expect(statement).not.toHaveProperty('Principal')
      expect(list(statement.Action).length).toBeGreaterThan(0)
      expect(list(statement.Resource).length).toBeGreaterThan(0)
    }
  })

  it('the code calls exactly ListApps, ListBranches, ListJobs, StopJob and GetJob (static scan of src/)', () => {
    expect([...called].sort()).toEqual(['GetJob', 'ListApps', 'ListBranches', 'ListJobs', 'StopJob'])
    expect([...imported].sort()).toEqual([...called].sort())
    for (const op of called) expect(ALL_OPERATIONS).toContain(op)
  })

  it('names exactly the actions the code calls, each spelled out: no amplify:*, no wildcard, no other service', () => {
    expect(actions.every(a => /^amplify:[A-Za-z]+$/.test(a))).toBe(true)
    expect([...actions].sort()).toEqual([...called].map(op => `amplify:${op}`).sort())
  })

  it.each([...operationsInSource().called])(
    'allows %s on the resource IAM checks for it, and only there',
    op => {
      const shape = RESOURCE_OF[op]
      expect(shape).toBeDefined()
      const right = {
        any: ['*'],
        app: [appArn(APP_ID)],
        branch: [branchArn(APP_ID, 'main'), branchArn(APP_ID, 'feature/login'), branchArn(APP_ID, 'pr-42')],
        job: [jobArn(APP_ID, 'main', '1'), jobArn(APP_ID, 'feature/login', '12345')]
      }[shape]
      for (const arn of right) expect(allows(policy, `amplify:${op}`, arn)).toBe(true)
      if (shape === 'any') return // ListApps has no resource to narrow it to

      const wrong = [
        appArn('d9z9z9z9z9z9z9'), // another app
        branchArn('d9z9z9z9z9z9z9', 'main'),
        branchArn(APP_ID, 'main', 'eu-west-1'), // another region
        appArn(APP_ID, 'eu-west-1'),
        branchArn(APP_ID, 'main', REGION, '999999999999'), // another account
        `arn:aws:amplify:${REGION}:${ACCOUNT}:apps/${APP_ID}/domains/example.com`,
        '*'
      ]
      if (shape !== 'app') wrong.push(appArn(APP_ID)) // the app itself
      if (shape === 'app') wrong.push(branchArn(APP_ID, 'main')) // ListBranches is on the app only
      if (shape === 'job') wrong.push(branchArn(APP_ID, 'main')) // StopJob and GetJob need a job ARN
      for (const arn of wrong) expect(allows(policy, `amplify:${op}`, arn)).toBe(false)
    }
  )

  it('allows no other Amplify operation on any resource (every command of the SDK tried)', () => {
    expect(ALL_OPERATIONS.length).toBeGreaterThan(30)
    const resources = [
      '*',
      `arn:aws:amplify:${REGION}:${ACCOUNT}:apps/${APP_ID}`,
      branchArn(APP_ID, 'main'),
      jobArn(APP_ID, 'main', '1'),
      `${branchArn(APP_ID, 'main')}/jobs/*`
    ]
    const others = ALL_OPERATIONS.filter(op => !called.has(op))
    for (const op of others) {
      for (const arn of resources)
        expect([op, arn, allows(policy, `amplify:${op}`, arn)]).toEqual([op, arn, false])
    }
  })

  it('allows the ARN the action names when a permission is missing (resourceArn in src/amplify.ts)', () => {
    const target = { region: REGION, appId: APP_ID, branchName: 'feature/login' }
    for (const op of called) {
      const arn = resourceArn(op as Operation, target)
        .replace('<account-id>', ACCOUNT)
        .replace(/\*$/, '0000000001')
      expect(allows(policy, `amplify:${op}`, arn)).toBe(true)
    }
  })
})

// ---- Dynamically: what the bundled action really sends ------------------------------------------------

/** The (operation, resource ARN) pairs a server received, as IAM would authorize them. */
function authorizations(server: AmplifyServer): [string, string][] {
  return server.requests.map(r => {
    const op = r.operation ?? 'unknown'
    const app = r.appId ?? ''
    const branch = r.branchName ?? ''
    const resource = {
      any: '*',
      app: server.appArn(app),
      branch: server.branchArn(app, branch),
      job: server.jobArn(app, branch, r.jobId ?? '')
    }[RESOURCE_OF[op] ?? 'branch']
    return [op, resource]
  })
}

describe('every request the bundled action sends is allowed by the policy', () => {
  const policy = readmePolicy()
  const seen = new Set<string>()
  const BRANCH = 'feature/login'

  it.each([
    ['stop by job-id', { 'job-id': '2' }, () => {}],
    [
      'job-id of a job that had already ended (StopJob refused, GetJob confirms)',
      { 'job-id': '1' },
      () => {}
    ],
    ['discovery, stopping every in-progress job', {}, () => {}],
    ['discovery with keep-newest and commit-id', { 'keep-newest': 'true', 'commit-id': 'abcdef0' }, () => {}],
    ['discovery with wait', { wait: 'true', 'wait-timeout': '10' }, () => {}],
    ['dry run of a job-id', { 'job-id': '3', 'dry-run': 'true' }, () => {}],
    ["every app of this repository (app-id '*')", { 'app-id': '*' }, () => {}],
    ["every branch of the app (branch-name '*')", { 'branch-name': '*' }, () => {}],
    [
      'a branch Amplify already deleted',
      { 'if-no-job': 'ignore' },
      (server: AmplifyServer) => server.deleteBranch(APP_ID, BRANCH)
    ]
  ] as const)('%s', async (_, inputs, arrange) => {
    const server = await startServer({ cancelDelayMs: 50 })
    server.addJob(APP_ID, BRANCH, { status: 'SUCCEED' })
    server.addJob(APP_ID, BRANCH, { status: 'RUNNING', commitId: `abcdef0${'1'.repeat(33)}` })
    server.addJob(APP_ID, BRANCH, { status: 'PENDING', commitId: `abcdef0${'2'.repeat(33)}` })
    arrange(server)

    const result = await runStep(server, {
      inputs: { 'app-id': APP_ID, 'branch-name': BRANCH, ...inputs }
    })

    expect(result.exitCode).toBe(0)
    expect(server.requests.length).toBeGreaterThan(0)
    for (const [op, arn] of authorizations(server)) {
      expect([op, arn, allows(policy, `amplify:${op}`, arn)]).toEqual([op, arn, true])
      seen.add(op)
    }
  })

  it('together, those runs used every operation the policy allows, and no other', () => {
    const actions = policy.Statement.flatMap(s => list(s.Action)).map(a => a.replace(/^amplify:/, ''))
    expect([...seen].sort()).toEqual(actions.sort())
  })

  it('a denied StopJob names the action and an ARN that the policy allows', async () => {
    const server = await startServer()
    server.addJob(APP_ID, BRANCH, { status: 'RUNNING' })
    server.deny('StopJob')

    const result = await runStep(server, {
      inputs: { 'app-id': APP_ID, 'branch-name': BRANCH, 'job-id': '1' }
    })

    expect(result.exitCode).toBe(1)
    const message = result.annotations.find(a => a.command === 'error')?.message ?? ''
    const [, action, arn] = /Allow (amplify:\w+) on (\S+) in the policy/.exec(message) ?? []
    expect(action).toBe('amplify:StopJob')
    expect(allows(policy, action, arn)).toBe(true)
  })
})
