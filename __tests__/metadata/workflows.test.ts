// The repository's workflows and the examples in docs/examples/: valid for the official workflow schema,
// third-party actions pinned to full commit SHAs, CI running every check, and every use of this action giving
// only inputs action.yml declares.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'
import { parse as parseYaml } from 'yaml'
import { actionManifest, ROOT } from '../support/action-runner.js'
import { THIS_ACTION } from '../support/harness.js'

const readRepoFile = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8')
const listRepoFiles = (folder: string): string[] =>
  readdirSync(path.join(ROOT, folder))
    .filter(name => /\.ya?ml$/.test(name))
    .sort()
    .map(name => `${folder}/${name}`)
const workflowSchemaErrors = (text: string, name: string): string[] =>
  parseWorkflow({ name, content: text }, new NoOperationTraceWriter())
    .context.errors.getErrors()
    .map(error => error.message)

interface Step {
  uses?: string
  run?: string
  with?: Record<string, unknown>
  if?: string
}
interface Workflow {
  on: unknown
  jobs: Record<string, { steps?: Step[] }>
}

const workflowFiles = listRepoFiles('.github/workflows')
const exampleFiles = listRepoFiles('docs/examples')
const load = (file: string): Workflow => parseYaml(readRepoFile(file)) as Workflow
const steps = (file: string): Step[] => Object.values(load(file).jobs).flatMap(job => job.steps ?? [])
const manifest = actionManifest()
const inputs = Object.keys(manifest.inputs)
const aliases = inputs.filter(name => /^Alias of /.test(manifest.inputs[name].description ?? ''))

/**
 * `uses:` lines of third-party actions not pinned as `owner/repo@<40 hex> # vX.Y.Z`, and actions pinned to
 * two different commits across the files (one pin per action keeps Dependabot's updates whole).
 */
function unpinned(files: readonly string[]): string[] {
  const problems: string[] = []
  const pinOf = new Map<string, string>()
  for (const file of files) {
    readRepoFile(file)
      .split('\n')
      .forEach((line, i) => {
        const uses = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line)
        if (!uses || THIS_ACTION.test(uses[1])) return
        const pinned = /^([\w.-]+\/[\w./-]+)@([0-9a-f]{40})$/.exec(uses[1])
        const comment = /^\s+# v\d+\.\d+\.\d+$/.exec(uses[2])
        if (!pinned || !comment) {
          problems.push(`${file}:${i + 1}: ${line.trim()}`)
          return
        }
        const repo = pinned[1].split('/').slice(0, 2).join('/')
        const pin = `${pinned[2]}${uses[2]}`
        if (pinOf.has(repo) && pinOf.get(repo) !== pin)
          problems.push(`${file}:${i + 1}: ${repo} pinned twice differently`)
        pinOf.set(repo, pin)
      })
  }
  return problems
}

describe('the repository workflows', () => {
  it('are CI, check-dist and self-test (and CodeQL)', () => {
    expect(workflowFiles).toEqual(
      expect.arrayContaining([
        '.github/workflows/ci.yml',
        '.github/workflows/check-dist.yml',
        '.github/workflows/self-test.yml'
      ])
    )
  })

  it.each(workflowFiles)('%s is valid for the official workflow schema', file => {
    expect(workflowSchemaErrors(readRepoFile(file), file)).toEqual([])
  })

  it('pin every third-party action to a full commit SHA, with its version in a comment', () => {
    expect(unpinned(workflowFiles)).toEqual([])
  })

  it('CI lints, checks formatting and the README tables, typechecks, runs actionlint and tests on the Node version action.yml runs on', () => {
    const ci = steps('.github/workflows/ci.yml')
    const node = ci.find(step => step.uses?.startsWith('actions/setup-node@'))
    const runtime = manifest.runs.using
    expect(`node${node?.with?.['node-version']}`).toBe(runtime)
    expect(node?.with?.cache).toBe('npm')
    expect(ci.map(step => step.run).filter(Boolean)).toEqual([
      'npm ci',
      'npm run lint',
      'npm run format:check',
      'npm run docs:check',
      'npm run typecheck',
      'npm run actionlint',
      'npm test'
    ])
  })

  it('check-dist rebuilds dist/ and uploads the difference when it fails', () => {
    const checkDist = steps('.github/workflows/check-dist.yml')
    expect(checkDist.some(step => step.run?.includes('npm run build'))).toBe(true)
    const upload = checkDist.find(step => step.uses?.startsWith('actions/upload-artifact@'))
    expect(upload?.if).toMatch(/failure\(\)/)
    expect(upload?.with?.path).toBe('dist.diff')
  })

  it('self-test runs the action from the checkout in dry-run mode, with AWS only when configured', () => {
    const selfTest = steps('.github/workflows/self-test.yml')
    const own = selfTest.filter(step => step.uses === './')
    expect(own.length).toBeGreaterThanOrEqual(1)
    expect(own.every(step => step.with?.['dry-run'] === true)).toBe(true)
    const credentials = selfTest.find(step => step.uses?.startsWith('aws-actions/configure-aws-credentials@'))
    expect(credentials?.if).toMatch(/vars\.AMPLIFY_SELF_TEST_ROLE_ARN != ''/)
    expect(load('.github/workflows/self-test.yml').on).toEqual({
      pull_request: null,
      workflow_dispatch: null
    })
  })

  it('Dependabot updates npm and the workflow actions weekly, with the toolkit and the SDK each in one group', () => {
    const config = parseYaml(readRepoFile('.github/dependabot.yml')) as {
      updates: Array<{
        'package-ecosystem': string
        schedule: { interval: string }
        groups?: Record<string, { patterns: string[] }>
      }>
    }
    const byEcosystem = new Map(config.updates.map(update => [update['package-ecosystem'], update]))
    expect([...byEcosystem.keys()].sort()).toEqual(['github-actions', 'npm'])
    expect(config.updates.every(update => update.schedule.interval === 'weekly')).toBe(true)
    const groups = Object.values(byEcosystem.get('npm')?.groups ?? {}).map(group => group.patterns)
    expect(groups).toEqual(expect.arrayContaining([['@actions/*'], ['@aws-sdk/*', '@smithy/*']]))
  })
})

describe('the examples in docs/examples/', () => {
  it.each(exampleFiles)('%s is valid for the official workflow schema', file => {
    expect(workflowSchemaErrors(readRepoFile(file), file)).toEqual([])
  })

  it('pin every third-party action to a full commit SHA, with its version in a comment', () => {
    expect(exampleFiles.length).toBeGreaterThanOrEqual(7)
    expect(unpinned(exampleFiles)).toEqual([])
  })
})

describe('every use of this action, in the workflows and the examples', () => {
  const uses = [...workflowFiles, ...exampleFiles].flatMap(file =>
    steps(file)
      .filter(step => step.uses !== undefined && THIS_ACTION.test(step.uses))
      .map(step => ({ file, step }))
  )

  it('gives only inputs that action.yml declares', () => {
    expect(uses.length).toBeGreaterThanOrEqual(exampleFiles.length)
    const unknown = uses.flatMap(({ file, step }) =>
      Object.keys(step.with ?? {})
        .filter(name => !inputs.includes(name))
        .map(name => `${file}: ${name}`)
    )
    expect(unknown).toEqual([])
  })

  it('uses the documented names, not their API-style aliases', () => {
    expect(aliases.length).toBeGreaterThan(0)
    const aliased = uses.flatMap(({ file, step }) =>
      Object.keys(step.with ?? {})
        .filter(name => aliases.includes(name))
        .map(name => `${file}: ${name}`)
    )
    expect(aliased).toEqual([])
  })

  it('in the examples, references the moving major tag', () => {
    const refs = uses.filter(({ file }) => file.startsWith('docs/')).map(({ step }) => step.uses)
    expect(new Set(refs)).toEqual(new Set(['amplify-stop-job/amplify-stop-job@v1']))
  })
})

describe('scripts/actionlint.mjs', () => {
  it('reports a broken workflow and exits 1', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'actionlint-'))
    try {
      const file = path.join(dir, 'broken.yml')
      writeFileSync(
        file,
        'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.head_commit.message }}"\n      - uses: actions/checkout@v4\n        with:\n          no-such-input: true\n'
      )
      const result = spawnSync(process.execPath, ['scripts/actionlint.mjs', file], {
        cwd: ROOT,
        encoding: 'utf8'
      })
      expect(result.status).toBe(1)
      expect(result.stderr).toMatch(
        /broken\.yml:6:\d+: "github\.event\.head_commit\.message" is potentially untrusted/
      )
      expect(result.stderr).toMatch(/broken\.yml:9:\d+: input "no-such-input" is not defined/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
