// Input parsing, driven through the pure parseSettings(readInput, env, loadEvent): every input's accepted
// and rejected forms, and where the apps, branches, job and region come from when they are not given.
import { jest, describe, it, expect } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { coversSeveral } from '../../src/plan.js'
import {
  branchFromEvent,
  onlyBranch,
  parseSettings,
  type EventContext,
  type Settings
} from '../../src/settings.js'

type Inputs = Record<string, string>

const REGION_ENV = { AWS_REGION: 'us-east-1' }
const REPO_ENV = { ...REGION_ENV, GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'octo/site' }
const PUSH_TO_MAIN: EventContext = { eventName: 'push', ref: 'refs/heads/main' }

/** Inputs as the runner gives them: unset inputs read as ''. */
function reader(inputs: Inputs): (name: string) => string {
  return name => inputs[name] ?? ''
}

function parse(inputs: Inputs, env: NodeJS.ProcessEnv = REGION_ENV, event: EventContext = PUSH_TO_MAIN) {
  return parseSettings(reader(inputs), env, async () => event)
}

const base: Inputs = { 'app-id': 'd1a2b3c4d5e6f7', 'branch-name': 'main' }

const ids = (...appIds: string[]) => ({ kind: 'ids', ids: appIds })
const names = (...branchNames: string[]) => ({ kind: 'names', names: branchNames })

/** Runs parseSettings and returns the InputError it must throw. */
async function inputError(
  inputs: Inputs,
  env: NodeJS.ProcessEnv = REGION_ENV,
  event: EventContext = PUSH_TO_MAIN
): Promise<InputError> {
  const error = await parse(inputs, env, event).then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(InputError)
  const inputErr = error as InputError
  expect(inputErr.kind).toBe('input')
  return inputErr
}

/** A job ARN as StartJob and the job-arn output give it. */
function jobArn(
  branch = 'main',
  job = '42',
  { partition = 'aws', region = 'eu-west-1', account = '123456789012', app = 'd1a2b3' } = {}
): string {
  return `arn:${partition}:amplify:${region}:${account}:apps/${app}/branches/${branch}/jobs/${job}`
}

describe('given only app-id and branch-name', () => {
  it('discovers jobs with every default', async () => {
    expect(await parse(base)).toEqual({
      apps: ids('d1a2b3c4d5e6f7'),
      branches: names('main'),
      branchSource: 'input',
      jobId: undefined,
      ifNoJob: 'warn',
      region: 'us-east-1',
      wait: false,
      waitTimeoutSeconds: 300,
      keepNewest: false,
      commitId: undefined,
      olderThanSeconds: undefined,
      dryRun: false
    })
  })

  it('does not load the workflow event when branch-name is given', async () => {
    const loadEvent = jest.fn(async (): Promise<EventContext> => PUSH_TO_MAIN)
    await parseSettings(reader(base), REGION_ENV, loadEvent)
    expect(loadEvent).not.toHaveBeenCalled()
  })
})

describe('app-id', () => {
  it.each(['d1', 'd1a2b3c4d5e6f7', 'dabc', `d${'1'.repeat(19)}`])('accepts %j', async appId => {
    expect((await parse({ ...base, 'app-id': appId })).apps).toEqual(ids(appId))
  })

  it.each([
    ['commas', 'd1,d2,d3'],
    ['spaces', 'd1 d2  d3'],
    ['newlines (a YAML | block)', 'd1\nd2\nd3\n'],
    ['a mix, with CRLF', ' d1, d2,\r\n d3 '],
    ['duplicates, which collapse', 'd1,d2 d1\nd3,d2']
  ])('accepts several separated by %s, in the order given', async (_, raw) => {
    expect((await parse({ ...base, 'app-id': raw })).apps).toEqual(ids('d1', 'd2', 'd3'))
  })

  it.each(['', ' ', ',', ' ,\n '])(
    'is required (%j), and the error says what an app id looks like',
    async raw => {
      const error = await inputError({ 'branch-name': 'main', 'app-id': raw })
      expect(error.input).toBe('app-id')
      expect(error.message).toMatch(/app-id is required/)
      expect(error.message).toMatch(/d1a2b3c4d5e6f7/)
    }
  )

  it.each([
    ['upper case', 'D1A2B3'],
    ['no leading d', 'a1b2c3'],
    ['a bare d', 'd'],
    ['21 characters', `d${'1'.repeat(20)}`],
    ['punctuation', 'd1-2'],
    ['an ARN', 'arn:aws:amplify:us-east-1:123:apps/d1']
  ])('rejects %s (%j), naming the input', async (_, appId) => {
    const error = await inputError({ ...base, 'app-id': appId })
    expect(error.input).toBe('app-id')
    expect(error.message).toContain(JSON.stringify(appId))
    expect(error.message).toMatch(/is not an Amplify app id/)
  })

  it.each([
    ['d1 2', '2'],
    ['d1,D2', 'D2'],
    ['d1\nd2\nd', 'd']
  ])('validates each id of a list: %j names %j', async (raw, bad) => {
    const error = await inputError({ ...base, 'app-id': raw })
    expect(error.input).toBe('app-id')
    expect(error.message).toContain(`Input app-id ${JSON.stringify(bad)} is not an Amplify app id`)
  })

  it('keeps a long bad value short and control characters visible in the message', async () => {
    const error = await inputError({ ...base, 'app-id': `d\u0001${'x'.repeat(200)}` })
    expect(error.message).not.toContain('\u0001')
    expect(error.message).toContain('"d\\u0001xxx')
    expect(error.message).toContain('…')
    expect(error.message.length).toBeLessThan(300)
  })

  describe('* (every app of this repository)', () => {
    it.each([
      ['github.com', REPO_ENV, 'https://github.com/octo/site'],
      [
        'a GitHub Enterprise server, trailing slash dropped',
        { ...REPO_ENV, GITHUB_SERVER_URL: 'https://ghe.example.com/' },
        'https://ghe.example.com/octo/site'
      ],
      [
        'GITHUB_SERVER_URL unset: github.com',
        { ...REGION_ENV, GITHUB_REPOSITORY: 'octo/site' },
        'https://github.com/octo/site'
      ],
      [
        'GITHUB_SERVER_URL empty: github.com',
        { ...REPO_ENV, GITHUB_SERVER_URL: '' },
        'https://github.com/octo/site'
      ]
    ])('selects by repository URL on %s', async (_, env, url) => {
      const settings = await parse({ ...base, 'app-id': '*' }, env)
      expect(settings.apps).toEqual({ kind: 'repository', url })
    })

    it.each(['*', ' * ', '*,*', '*\n'])('%j is *, duplicates collapsing', async raw => {
      expect((await parse({ ...base, 'app-id': raw }, REPO_ENV)).apps.kind).toBe('repository')
    })

    it.each(['*,d1', 'd1 *', 'd1\n*\n'])('mixed with app ids (%j) is an input error', async raw => {
      const error = await inputError({ ...base, 'app-id': raw }, REPO_ENV)
      expect(error.input).toBe('app-id')
      expect(error.message).toMatch(/mixes \* \(every app of this repository\) with app ids/)
    })

    it.each([
      ['unset', REGION_ENV],
      ['empty', { ...REPO_ENV, GITHUB_REPOSITORY: '' }]
    ])('with GITHUB_REPOSITORY %s is an input error', async (_, env) => {
      const error = await inputError({ ...base, 'app-id': '*' }, env)
      expect(error.input).toBe('app-id')
      expect(error.message).toMatch(/GITHUB_REPOSITORY is not set/)
    })
  })
})

describe('the API-style aliases appId, branchName and jobId', () => {
  it('accept the value under the alias alone', async () => {
    const settings = await parse({ appId: 'd9', branchName: 'dev', jobId: '12' })
    expect(settings).toMatchObject({
      apps: ids('d9'),
      branches: names('dev'),
      branchSource: 'input',
      jobId: '12'
    })
  })

  it('accept both spellings with the same value', async () => {
    const settings = await parse({
      'app-id': 'd9',
      appId: 'd9',
      'branch-name': 'dev',
      branchName: 'dev',
      'job-id': '3',
      jobId: '3'
    })
    expect(settings).toMatchObject({ apps: ids('d9'), branches: names('dev'), jobId: '3' })
  })

  it('accept lists and * under the alias', async () => {
    const settings = await parse({ appId: 'd1,d2', branchName: '*' })
    expect(settings).toMatchObject({ apps: ids('d1', 'd2'), branches: { kind: 'all' } })
  })

  it('jobId accepts a job ARN', async () => {
    const settings = await parse({ jobId: jobArn() })
    expect(settings).toMatchObject({ apps: ids('d1a2b3'), branches: names('main'), jobId: '42' })
  })

  it.each([
    ['app-id', 'appId', 'd1', 'd2'],
    ['branch-name', 'branchName', 'main', 'dev'],
    ['job-id', 'jobId', '1', '2']
  ])('reject %s and %s with different values', async (name, alias, a, b) => {
    const error = await inputError({ ...base, [name]: a, [alias]: b })
    expect(error.input).toBe(name)
    expect(error.message).toContain(`Inputs ${name} and ${alias}`)
    expect(error.message).toContain(`"${a}" and "${b}"`)
  })
})

describe('branch-name from the event when the input is empty', () => {
  const appOnly = { 'app-id': 'd1' }

  it.each(['pull_request', 'pull_request_target'])(
    'on %s is the pull request head branch',
    async eventName => {
      const loadEvent = jest.fn(async (): Promise<EventContext> => ({
        eventName,
        ref: 'refs/pull/7/merge',
        pullRequestHeadRef: 'feature/login'
      }))
      const settings = await parseSettings(reader(appOnly), REGION_ENV, loadEvent)
      expect(loadEvent).toHaveBeenCalledTimes(1)
      expect(settings.branches).toEqual(names('feature/login'))
      expect(settings.branchSource).toBe('pull-request')
    }
  )

  it('on a pull_request payload without head.ref is an input error', async () => {
    const error = await inputError(appOnly, REGION_ENV, {
      eventName: 'pull_request',
      ref: 'refs/pull/7/merge'
    })
    expect(error.input).toBe('branch-name')
    expect(error.message).toMatch(/pull_request event payload has no pull_request\.head\.ref/)
  })

  it('on a push to refs/heads/feature/x is feature/x, slashes kept', async () => {
    const settings = await parse(appOnly, REGION_ENV, { eventName: 'push', ref: 'refs/heads/feature/x' })
    expect(settings.branches).toEqual(names('feature/x'))
    expect(settings.branchSource).toBe('ref')
  })

  it('is one name, even when it has a comma or spaces', async () => {
    const settings = await parse(appOnly, REGION_ENV, { eventName: 'push', ref: 'refs/heads/a,b c' })
    expect(settings.branches).toEqual(names('a,b c'))
  })

  it('ignores a head ref on events that are not pull requests', async () => {
    const settings = await parse(appOnly, REGION_ENV, {
      eventName: 'workflow_dispatch',
      ref: 'refs/heads/main',
      pullRequestHeadRef: 'other'
    })
    expect(settings.branches).toEqual(names('main'))
  })

  it('on a tag ref is an input error that names the tag', async () => {
    const error = await inputError(appOnly, REGION_ENV, { eventName: 'push', ref: 'refs/tags/v1.2.3' })
    expect(error.input).toBe('branch-name')
    expect(error.message).toContain('the tag "v1.2.3", which is not a branch')
  })

  it.each(['', 'refs/pull/7/merge'])('on a ref %j that names no branch is an input error', async ref => {
    const error = await inputError(appOnly, REGION_ENV, { eventName: 'merge_group', ref })
    expect(error.input).toBe('branch-name')
    expect(error.message).toContain(`GITHUB_REF ${JSON.stringify(ref)}`)
  })

  it('a given branch-name wins over a tag ref', async () => {
    const settings = await parse(base, REGION_ENV, { eventName: 'push', ref: 'refs/tags/v1' })
    expect(settings.branches).toEqual(names('main'))
  })

  it('branchFromEvent refuses refs/heads/ with nothing after it only through validation', async () => {
    // refs/heads/ gives an empty name, which the length check then rejects
    expect(branchFromEvent({ eventName: 'push', ref: 'refs/heads/' }).branchName).toBe('')
    const error = await inputError(appOnly, REGION_ENV, { eventName: 'push', ref: 'refs/heads/' })
    expect(error.input).toBe('branch-name')
  })
})

describe('branch-name', () => {
  it.each(['pr-42', 'feature/login', 'a', 'x'.repeat(255), 'ünïcødé branch', 'pr-x', 'my-refs/x'])(
    'accepts %j',
    async name => {
      expect((await parse({ ...base, 'branch-name': name })).branches).toEqual(names(name))
    }
  )

  it.each([
    ['commas', 'main,dev,feature/x', ['main', 'dev', 'feature/x']],
    ['newlines (a YAML | block)', 'main\ndev\nfeature/x\n', ['main', 'dev', 'feature/x']],
    ['CRLF', 'main\r\ndev\r\n', ['main', 'dev']],
    ['commas with spaces around names, trimmed', ' main , dev ,  feature/x ', ['main', 'dev', 'feature/x']],
    ['a mix, with empty entries', 'main,\n, dev,,\n', ['main', 'dev']],
    ['names with spaces inside, kept', 'my branch, other  one', ['my branch', 'other  one']],
    ['duplicates, which collapse', 'main,dev\nmain, dev', ['main', 'dev']]
  ])('accepts several separated by %s, in the order given', async (_, raw, expected) => {
    expect((await parse({ ...base, 'branch-name': raw })).branches).toEqual(names(...expected))
  })

  it('does not split on spaces: one name with a space inside', async () => {
    expect((await parse({ ...base, 'branch-name': 'main dev' })).branches).toEqual(names('main dev'))
  })

  it('splits a newline-injection attempt into separate names, none with a line break', async () => {
    const settings = await parse({ ...base, 'branch-name': 'main\n::error::x' })
    expect(settings.branches).toEqual(names('main', '::error::x'))
  })

  it.each(['*', ' * ', '*\n', '*,*'])('%j means every branch, and does not load the event', async raw => {
    const loadEvent = jest.fn(async (): Promise<EventContext> => PUSH_TO_MAIN)
    const settings = await parseSettings(reader({ ...base, 'branch-name': raw }), REGION_ENV, loadEvent)
    expect(settings.branches).toEqual({ kind: 'all' })
    expect(settings.branchSource).toBe('input')
    expect(loadEvent).not.toHaveBeenCalled()
  })

  it.each(['*,main', 'main\n*', 'dev, *'])('* mixed with names (%j) is an input error', async raw => {
    const error = await inputError({ ...base, 'branch-name': raw })
    expect(error.input).toBe('branch-name')
    expect(error.message).toMatch(/mixes \* \(every branch\) with branch names/)
  })

  it.each([
    ['256 characters', 'x'.repeat(256)],
    ['a carriage return inside', 'a\rb'],
    ['a tab inside', 'a\tb'],
    ['a line separator', 'a\u2028b'],
    ['a C1 control', 'a\u0085b'],
    ['an escape sequence', 'a\u001b[31mb'],
    ['a control character in one name of a list', 'main,a\tb'],
    ['only separators', ' , \n ']
  ])('rejects %s', async (_, name) => {
    const error = await inputError({ ...base, 'branch-name': name })
    expect(error.input).toBe('branch-name')
    expect(error.message).toMatch(/1 to 255 characters with no control characters/)
    // eslint-disable-next-line no-control-regex
    expect(error.message).not.toMatch(/[\n\r\t\u2028\u0085\u001b]/)
  })

  it.each([
    ['a line separator', 'a\u2028b', '"a\\u2028b"'],
    ['a C1 control (NEL)', 'a\u0085b', '"a\\u0085b"'],
    ['an escape sequence', 'a\u001b[31m::error::x', '"a\\u001b[31m::error::x"']
  ])('quotes %s in the error as a visible escape', async (_, name, quoted) => {
    const error = await inputError({ ...base, 'branch-name': name })
    expect(error.message).toContain(`Input branch-name ${quoted} is not a branch name`)
  })

  it.each(['refs/heads/main', 'refs/pull/7/merge', 'refs/tags/v1', 'main, refs/heads/dev'])(
    'rejects the Git ref %j, pointing to github.ref_name or github.head_ref',
    async raw => {
      const error = await inputError({ ...base, 'branch-name': raw })
      expect(error.input).toBe('branch-name')
      expect(error.message).toMatch(/is not a branch name but a Git ref/)
      expect(error.message).toContain('github.ref_name')
      expect(error.message).toContain('github.head_ref')
    }
  )

  it.each(['pr-', ' pr- ', 'main,pr-'])('rejects %j: a preview name with no number', async raw => {
    const error = await inputError({ ...base, 'branch-name': raw })
    expect(error.input).toBe('branch-name')
    expect(error.message).toMatch(/"pr-" is not a preview branch: it has no number/)
  })
})

describe('job-id', () => {
  it.each(['1', '42', '0000000042', '9'.repeat(255)])('accepts %j, kept as given', async jobId => {
    expect((await parse({ ...base, 'job-id': jobId })).jobId).toBe(jobId)
  })

  it.each(['-1', '4.2', '0x1', 'abc', '42 ', '１２', '9'.repeat(256), 'ARN:aws:amplify'])(
    'rejects %j',
    async jobId => {
      const error = await inputError({ ...base, 'job-id': jobId })
      expect(error.input).toBe('job-id')
      expect(error.message).toMatch(/must be digits only/)
    }
  )

  it('is incompatible with keep-newest', async () => {
    const error = await inputError({ ...base, 'job-id': '4', 'keep-newest': 'true' })
    expect(error.input).toBe('keep-newest')
    expect(error.message).toMatch(/cannot be combined with job-id/)
  })

  it('is incompatible with commit-id', async () => {
    const error = await inputError({ ...base, 'job-id': '4', 'commit-id': 'abcdef1' })
    expect(error.input).toBe('commit-id')
    expect(error.message).toMatch(/cannot be combined with job-id/)
  })

  it('is incompatible with older-than', async () => {
    const error = await inputError({ ...base, 'job-id': '4', 'older-than': '1h' })
    expect(error.input).toBe('older-than')
    expect(error.message).toMatch(/cannot be combined with job-id/)
  })

  it('may be combined with keep-newest set to false, and with dry-run and wait', async () => {
    const settings = await parse({
      ...base,
      'job-id': '4',
      'keep-newest': 'false',
      'dry-run': 'true',
      wait: 'true'
    })
    expect(settings).toMatchObject({ jobId: '4', keepNewest: false, dryRun: true, wait: true })
  })

  it.each([
    ['several app ids', { 'app-id': 'd1,d2', 'branch-name': 'main' }],
    ['several app ids on lines', { 'app-id': 'd1\nd2\n', 'branch-name': 'main' }],
    ['app-id *', { 'app-id': '*', 'branch-name': 'main' }],
    ['several branch names', { 'app-id': 'd1', 'branch-name': 'main,dev' }],
    ['branch-name *', { 'app-id': 'd1', 'branch-name': '*' }],
    ['several app ids from the event branch', { 'app-id': 'd1 d2' }]
  ])('with %s is an input error', async (_, inputs) => {
    const error = await inputError({ ...inputs, 'job-id': '7' }, REPO_ENV)
    expect(error.input).toBe('job-id')
    expect(error.message).toMatch(/cannot be combined with several apps or branches \(or \*\)/)
  })

  it('with duplicates that collapse to one app and branch is one job', async () => {
    const settings = await parse({ 'app-id': 'd1,d1', 'branch-name': 'main\nmain', 'job-id': '7' })
    expect(settings).toMatchObject({ apps: ids('d1'), branches: names('main'), jobId: '7' })
  })
})

describe('job-id as a job ARN', () => {
  it('gives the app, branch, region and job: app-id, branch-name and aws-region may be omitted', async () => {
    const loadEvent = jest.fn(async (): Promise<EventContext> => PUSH_TO_MAIN)
    const settings = await parseSettings(reader({ 'job-id': jobArn('feature/x', '17') }), {}, loadEvent)
    expect(settings).toEqual({
      apps: ids('d1a2b3'),
      branches: names('feature/x'),
      branchSource: 'job-arn',
      jobId: '17',
      ifNoJob: 'warn',
      region: 'eu-west-1',
      wait: false,
      waitTimeoutSeconds: 300,
      keepNewest: false,
      commitId: undefined,
      olderThanSeconds: undefined,
      dryRun: false
    })
    expect(loadEvent).not.toHaveBeenCalled()
  })

  it.each([
    ['aws', 'us-east-1'],
    ['aws-cn', 'cn-north-1'],
    ['aws-cn', 'cn-northwest-1'],
    ['aws-us-gov', 'us-gov-west-1']
  ])('accepts the partition %s (region %s)', async (partition, region) => {
    const settings = await parse({ 'job-id': jobArn('main', '3', { partition, region }) }, {})
    expect(settings).toMatchObject({ region, apps: ids('d1a2b3'), branches: names('main'), jobId: '3' })
  })

  it.each([
    ['feature/jobs/x', 'feature/jobs/x'],
    ['jobs/5', 'jobs/5'],
    ['a/b/c', 'a/b/c'],
    ['with space', 'with space'],
    ['ünïcødé', 'ünïcødé'],
    ['feature%2Fx', 'feature%2Fx'],
    ['a,b', 'a,b']
  ])('takes the branch %j as it stands, up to the last /jobs/', async (branch, expected) => {
    const settings = await parse({ 'job-id': jobArn(branch, '9') })
    expect(settings.branches).toEqual(names(expected))
    expect(settings.jobId).toBe('9')
  })

  it.each([
    ['0000000042', '42'],
    ['42', '42'],
    ['0', '0'],
    ['0000', '0'],
    ['100', '100'],
    ['9'.repeat(255), '9'.repeat(255)]
  ])('takes the job %j as %j, without leading zeros', async (job, expected) => {
    expect((await parse({ 'job-id': jobArn('main', job) })).jobId).toBe(expected)
  })

  it('takes the region from the ARN over AWS_REGION and AWS_DEFAULT_REGION', async () => {
    const settings = await parse(
      { 'job-id': jobArn() },
      { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' }
    )
    expect(settings.region).toBe('eu-west-1')
  })

  it('does not read a bad AWS_REGION when the ARN gives the region', async () => {
    expect((await parse({ 'job-id': jobArn() }, { AWS_REGION: 'nowhere' })).region).toBe('eu-west-1')
  })

  it('accepts app-id, branch-name and aws-region that agree with it', async () => {
    const settings = await parse({
      'job-id': jobArn('feature/jobs/x', '0007'),
      'app-id': 'd1a2b3',
      'branch-name': 'feature/jobs/x',
      'aws-region': 'eu-west-1'
    })
    expect(settings).toMatchObject({
      apps: ids('d1a2b3'),
      branches: names('feature/jobs/x'),
      region: 'eu-west-1',
      jobId: '7',
      branchSource: 'job-arn'
    })
  })

  it.each([
    ['app-id', 'd9', 'd1a2b3'],
    ['app-id', 'd1a2b3,d2', 'd1a2b3'],
    ['app-id', '*', 'd1a2b3'],
    ['appId', 'd9', 'd1a2b3'],
    ['branch-name', 'dev', 'main'],
    ['branch-name', 'main,dev', 'main'],
    ['branch-name', '*', 'main'],
    ['branchName', 'Main', 'main'],
    ['aws-region', 'us-east-1', 'eu-west-1']
  ])('rejects %s %j that disagrees with it, naming both values', async (name, given, fromArn) => {
    const input = { appId: 'app-id', branchName: 'branch-name' }[name] ?? name
    const error = await inputError({ 'job-id': jobArn(), [name]: given }, REPO_ENV)
    expect(error.input).toBe(input)
    expect(error.message).toContain(
      `Input ${input} ${JSON.stringify(given)} disagrees with the job ARN in job-id, which names ${JSON.stringify(fromArn)}`
    )
  })

  it.each([
    ['no job id', jobArn('main', '')],
    ['a job id that is not digits', jobArn('main', 'abc')],
    ['a negative job id', jobArn('main', '-1')],
    ['a job id of 256 digits', jobArn('main', '9'.repeat(256))],
    ['no /jobs/', 'arn:aws:amplify:us-east-1:123456789012:apps/d1a2b3/branches/main'],
    ['no /branches/', 'arn:aws:amplify:us-east-1:123456789012:apps/d1a2b3/jobs/1'],
    ['an empty branch', jobArn('')],
    ['an empty app', jobArn('main', '1', { app: '' })],
    ['a bad app id', jobArn('main', '1', { app: 'D1' })],
    ['a short account', jobArn('main', '1', { account: '123' })],
    ['a non-numeric account', jobArn('main', '1', { account: '12345678901x' })],
    ['an empty account', jobArn('main', '1', { account: '' })],
    ['an empty region', jobArn('main', '1', { region: '' })],
    ['an upper-case region', jobArn('main', '1', { region: 'US-EAST-1' })],
    ['a region that is no region', jobArn('main', '1', { region: 'nowhere' })],
    ['another partition', jobArn('main', '1', { partition: 'gcp' })],
    ['an empty partition', jobArn('main', '1', { partition: '' })],
    ['another service', 'arn:aws:s3:us-east-1:123456789012:apps/d1a2b3/branches/main/jobs/1'],
    ['a trailing space', `${jobArn()} `],
    ['a trailing slash', `${jobArn()}/`],
    ['a newline in the branch', jobArn('ma\nin')],
    ['a line separator in the branch', jobArn('ma\u2028in')],
    ['arn: alone', 'arn:']
  ])('rejects an ARN with %s, naming job-id', async (_, arn) => {
    const error = await inputError({ 'job-id': arn }, {})
    expect(error.input).toBe('job-id')
    expect(error.message).toMatch(/is not a job ARN: it must be arn:aws:amplify:<region>:<account>:apps\//)
  })

  it.each([
    ['keep-newest', { 'keep-newest': 'true' }],
    ['commit-id', { 'commit-id': 'abcdef1' }],
    ['older-than', { 'older-than': '1h' }]
  ])('is incompatible with %s', async (input, extra) => {
    const error = await inputError({ 'job-id': jobArn(), ...extra })
    expect(error.input).toBe(input)
    expect(error.message).toMatch(/cannot be combined with job-id/)
  })
})

describe('older-than', () => {
  it('is unset when empty', async () => {
    expect((await parse(base)).olderThanSeconds).toBeUndefined()
  })

  it.each([
    ['5400', 5400],
    ['1', 1],
    ['2592000', 2592000],
    ['90m', 5400],
    ['2h', 7200],
    ['1h30m', 5400],
    ['7200s', 7200],
    ['1s', 1],
    ['30d', 2592000],
    ['720h', 2592000],
    ['43200m', 2592000],
    ['2592000s', 2592000],
    ['1d', 86400],
    ['1d2h3m4s', 93784],
    ['1d4s', 86404],
    ['2h30s', 7230],
    ['29d23h59m59s', 2591999],
    ['0h1s', 1],
    ['1d24h', 172800],
    ['90s', 90]
  ])('%j is %d seconds', async (raw, seconds) => {
    expect((await parse({ ...base, 'older-than': raw })).olderThanSeconds).toBe(seconds)
  })

  it.each([
    '2 hours',
    '-5m',
    '0',
    '0s',
    '0d0h0m0s',
    'soon',
    '31d',
    '30m1h',
    '2592001',
    '2592001s',
    '30d1s',
    '721h',
    '1h 30m',
    ' 90m',
    '90m ',
    '1H',
    '90M',
    '1h1h',
    '1s1m',
    '1.5h',
    '1e3',
    '+5m',
    '-5',
    '5 ',
    'h',
    'd1h',
    '1w',
    '1y',
    '1ms',
    '1hour',
    '１h',
    'Infinity',
    '1000000000',
    '99999999999'
  ])('rejects %j, naming older-than and its forms', async raw => {
    const error = await inputError({ ...base, 'older-than': raw })
    expect(error.input).toBe('older-than')
    expect(error.message).toContain(`Input older-than ${JSON.stringify(raw)} is not a duration`)
    expect(error.message).toContain('plain seconds (5400)')
    expect(error.message).toContain('d, h, m, s in that order')
    expect(error.message).toContain('from 1 s to 30 d')
  })
})

describe('if-no-job', () => {
  it.each([
    ['', 'warn'],
    ['warn', 'warn'],
    ['ignore', 'ignore'],
    ['fail', 'fail'],
    ['FAIL', 'fail']
  ])('%j means %s', async (raw, expected) => {
    expect((await parse({ ...base, 'if-no-job': raw })).ifNoJob).toBe(expected)
  })

  it.each(['error', 'true', 'warning'])('rejects %j', async raw => {
    const error = await inputError({ ...base, 'if-no-job': raw })
    expect(error.input).toBe('if-no-job')
    expect(error.message).toBe(`Input if-no-job "${raw}" is not one of warn, ignore or fail.`)
  })
})

describe('aws-region', () => {
  it('comes from the input first', async () => {
    const settings = await parse(
      { ...base, 'aws-region': 'eu-west-1' },
      {
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-west-2'
      }
    )
    expect(settings.region).toBe('eu-west-1')
  })

  it('then from AWS_REGION', async () => {
    const settings = await parse(base, { AWS_REGION: 'ap-southeast-2', AWS_DEFAULT_REGION: 'us-west-2' })
    expect(settings.region).toBe('ap-southeast-2')
  })

  it('then from AWS_DEFAULT_REGION (also when AWS_REGION is empty)', async () => {
    expect((await parse(base, { AWS_DEFAULT_REGION: 'us-west-2' })).region).toBe('us-west-2')
    expect((await parse(base, { AWS_REGION: '', AWS_DEFAULT_REGION: 'us-west-2' })).region).toBe('us-west-2')
  })

  it.each(['us-gov-west-1', 'cn-north-1', 'ap-northeast-3', 'il-central-1'])('accepts %s', async region => {
    expect((await parse({ ...base, 'aws-region': region }, {})).region).toBe(region)
  })

  it('none at all is an input error that says how to set one', async () => {
    const error = await inputError(base, {})
    expect(error.input).toBe('aws-region')
    expect(error.message).toMatch(/No AWS region: set the aws-region input, or AWS_REGION/)
  })

  it.each(['US-EAST-1', 'us-east', 'useast1', 'https://amplify.us-east-1.amazonaws.com'])(
    'rejects the input %j',
    async region => {
      const error = await inputError({ ...base, 'aws-region': region }, {})
      expect(error.input).toBe('aws-region')
      expect(error.message).toContain(`Input aws-region ${JSON.stringify(region)} is not an AWS region`)
    }
  )

  it('names the variable a bad region came from', async () => {
    const error = await inputError(base, { AWS_REGION: 'nowhere' })
    expect(error.input).toBe('aws-region')
    expect(error.message).toContain('AWS_REGION "nowhere" is not an AWS region')
  })
})

describe('wait-timeout', () => {
  it.each([
    ['', 300],
    ['1', 1],
    ['300', 300],
    ['21600', 21600],
    ['000060', 60]
  ])('%j is %d seconds', async (raw, seconds) => {
    expect((await parse({ ...base, 'wait-timeout': raw })).waitTimeoutSeconds).toBe(seconds)
  })

  it.each(['0', '21601', '1.5', '-1', '  ', '1e3', '60s', '1000000', 'Infinity'])('rejects %j', async raw => {
    const error = await inputError({ ...base, 'wait-timeout': raw })
    expect(error.input).toBe('wait-timeout')
    expect(error.message).toContain('is not a whole number of seconds from 1 to 21600')
  })
})

describe('the booleans wait, keep-newest and dry-run', () => {
  const settingOf = { wait: 'wait', 'keep-newest': 'keepNewest', 'dry-run': 'dryRun' } as const

  describe.each(Object.keys(settingOf) as (keyof typeof settingOf)[])('%s', input => {
    it.each([
      ['', false],
      ['true', true],
      ['True', true],
      ['TRUE', true],
      ['false', false],
      ['False', false],
      ['FALSE', false]
    ])('%j is %s', async (raw, expected) => {
      expect((await parse({ ...base, [input]: raw }))[settingOf[input]]).toBe(expected)
    })

    it.each(['yes', 'no', '1', '0', 'tRUE', 'on'])('rejects %j', async raw => {
      const error = await inputError({ ...base, [input]: raw })
      expect(error.input).toBe(input)
      expect(error.message).toBe(`Input ${input} "${raw}" is not a boolean: use true or false.`)
    })
  })
})

describe('commit-id', () => {
  it('accepts a full SHA and stores it in lower case', async () => {
    const sha = 'ABCDEF0123456789ABCDEF0123456789ABCDEF01'
    expect((await parse({ ...base, 'commit-id': sha })).commitId).toBe(sha.toLowerCase())
  })

  it('accepts a prefix of 7 hex characters', async () => {
    expect((await parse({ ...base, 'commit-id': 'abc1234' })).commitId).toBe('abc1234')
  })

  it.each(['abc123', 'xyz1234', 'abc 1234', 'a'.repeat(65)])('rejects %j', async raw => {
    const error = await inputError({ ...base, 'commit-id': raw })
    expect(error.input).toBe('commit-id')
    expect(error.message).toMatch(/a full SHA or a prefix of at least 7 hex characters/)
  })
})

describe('checks inputs before loading the event', () => {
  // branch-name is empty in every case, so a valid run would load the event.
  it.each([
    ['a bad app-id', { 'app-id': 'X' }, 'app-id', REGION_ENV],
    ['a bad id in a list', { 'app-id': 'd1,X' }, 'app-id', REGION_ENV],
    ['app-id * without GITHUB_REPOSITORY', { 'app-id': '*' }, 'app-id', REGION_ENV],
    ['app-id * mixed with ids', { 'app-id': '*,d1' }, 'app-id', REPO_ENV],
    ['a bad job-id', { 'app-id': 'd1', 'job-id': 'x' }, 'job-id', REGION_ENV],
    ['a malformed job ARN', { 'app-id': 'd1', 'job-id': 'arn:aws:amplify:x' }, 'job-id', REGION_ENV],
    ['an app-id that disagrees with the ARN', { 'app-id': 'd1', 'job-id': jobArn() }, 'app-id', REGION_ENV],
    ['a bad older-than', { 'app-id': 'd1', 'older-than': 'soon' }, 'older-than', REGION_ENV],
    [
      'older-than with job-id',
      { 'app-id': 'd1', 'older-than': '1h', 'job-id': '4' },
      'older-than',
      REGION_ENV
    ],
    [
      'keep-newest with job-id',
      { 'app-id': 'd1', 'keep-newest': 'true', 'job-id': '4' },
      'keep-newest',
      REGION_ENV
    ],
    ['a bad commit-id', { 'app-id': 'd1', 'commit-id': 'xyz' }, 'commit-id', REGION_ENV],
    ['a bad if-no-job', { 'app-id': 'd1', 'if-no-job': 'x' }, 'if-no-job', REGION_ENV],
    ['a bad boolean', { 'app-id': 'd1', wait: 'yes' }, 'wait', REGION_ENV],
    ['a bad wait-timeout', { 'app-id': 'd1', 'wait-timeout': '0' }, 'wait-timeout', REGION_ENV],
    ['no region', { 'app-id': 'd1' }, 'aws-region', {}],
    ['a bad region', { 'app-id': 'd1', 'aws-region': 'x' }, 'aws-region', REGION_ENV]
  ])('%s fails without loading the event', async (_, inputs, input, env) => {
    const loadEvent = jest.fn(async (): Promise<EventContext> => PUSH_TO_MAIN)
    const error = await parseSettings(reader(inputs), env, loadEvent).then(
      () => undefined,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe(input)
    expect(loadEvent).not.toHaveBeenCalled()
  })
})

describe('coversSeveral and onlyBranch', () => {
  type Scope = Pick<Settings, 'apps' | 'branches'>
  const repository = { kind: 'repository', url: 'https://github.com/octo/site' } as const
  const all = { kind: 'all' } as const

  it.each<[string, Scope, boolean]>([
    [
      'one app, one branch',
      { apps: { kind: 'ids', ids: ['d1'] }, branches: { kind: 'names', names: ['main'] } },
      false
    ],
    [
      'two apps',
      { apps: { kind: 'ids', ids: ['d1', 'd2'] }, branches: { kind: 'names', names: ['main'] } },
      true
    ],
    [
      'two branches',
      { apps: { kind: 'ids', ids: ['d1'] }, branches: { kind: 'names', names: ['a', 'b'] } },
      true
    ],
    ['every branch', { apps: { kind: 'ids', ids: ['d1'] }, branches: all }, true],
    ['the repository apps', { apps: repository, branches: { kind: 'names', names: ['main'] } }, true],
    ['both *', { apps: repository, branches: all }, true]
  ])('coversSeveral: %s is %s', (_, scope, expected) => {
    expect(coversSeveral(scope)).toBe(expected)
  })

  it('coversSeveral agrees with parsed settings', async () => {
    expect(coversSeveral(await parse(base))).toBe(false)
    expect(coversSeveral(await parse({ ...base, 'branch-name': 'main,dev' }))).toBe(true)
    expect(coversSeveral(await parse({ 'job-id': jobArn() }))).toBe(false)
  })

  it('onlyBranch is the one app and branch', async () => {
    expect(onlyBranch(await parse(base))).toEqual({ appId: 'd1a2b3c4d5e6f7', branchName: 'main' })
    expect(onlyBranch(await parse({ 'job-id': jobArn('feature/jobs/x') }))).toEqual({
      appId: 'd1a2b3',
      branchName: 'feature/jobs/x'
    })
    expect(onlyBranch({ apps: repository, branches: all })).toEqual({ appId: '', branchName: '' })
  })
})
