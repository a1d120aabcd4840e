// Parsing, in one place: parseSettings(readInput, env, loadEvent) turns the inputs, the environment and the
// event into Settings, or throws one InputError that names the input and its accepted form. Every bad value
// of every input is one row of one table; the properties at the end feed it any text at all.
import { describe, expect, it, jest } from '@jest/globals'
import fc from 'fast-check'
import { InputError } from '../../src/errors.js'
import { IN_PROGRESS_STATUSES, JOB_TYPES } from '../../src/jobs.js'
import { INPUT_NAMES, parseSettings, type EventContext } from '../../src/settings.js'
import type { AppSelection, BranchSelection, Settings, Target } from '../../src/types.js'
import { actionManifest } from '../support/action-runner.js'

type Inputs = Record<string, string>
type Env = NodeJS.ProcessEnv

const APP = 'd1a2b3c4d5e6f7'
const REGION_ENV: Env = { AWS_REGION: 'us-east-1' }
const REPO_ENV: Env = { ...REGION_ENV, GITHUB_REPOSITORY: 'octo/site' }
const PUSH_TO_MAIN: EventContext = { eventName: 'push', ref: 'refs/heads/main' }
const ALIASES: Record<string, string> = { appId: 'app-id', branchName: 'branch-name', jobId: 'job-id' }
// eslint-disable-next-line no-control-regex
const BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/
const w = (words: string) => words.split(' ')
const reader = (inputs: Inputs) => (name: string) => inputs[name] ?? ''
const ids = (...appIds: string[]): AppSelection => ({ kind: 'ids', ids: appIds })
const names = (...branchNames: string[]): BranchSelection => ({ kind: 'names', names: branchNames })
const push = (ref: string): EventContext => ({ eventName: 'push', ref })
const pr = (head?: string, eventName = 'pull_request'): EventContext => ({
  eventName,
  ref: 'refs/pull/7/merge',
  pullRequestHeadRef: head
})

function parse(inputs: Inputs, env: Env = REGION_ENV, event: EventContext = PUSH_TO_MAIN) {
  return parseSettings(reader(inputs), env, async () => event)
}

/** The InputError parseSettings must throw, thrown before the event was loaded. */
async function inputError(inputs: Inputs, env: Env = REGION_ENV): Promise<InputError> {
  const loadEvent = jest.fn(async () => PUSH_TO_MAIN)
  const error = await parseSettings(reader(inputs), env, loadEvent).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(InputError)
  expect(loadEvent).not.toHaveBeenCalled()
  return error as InputError
}

function jobArn(
  branch = 'main',
  job = '42',
  { partition = 'aws', region = 'eu-west-1', account = '123456789012', app = 'd1a2b3' } = {}
): string {
  return `arn:${partition}:amplify:${region}:${account}:apps/${app}/branches/${branch}/jobs/${job}`
}

// ---- every bad value: one table -------------------------------------------------------------------------

/** Values that must fail with the error `says`, naming `named`; given by `inputs` (default: that input). */
interface Rule {
  named: string
  says: RegExp
  values: string[]
  inputs?: (value: string) => Inputs
  env?: Env
  /** The message quotes the value given; false for messages that name the input alone. */
  quotes: boolean
}
function rule(named: string, says: RegExp, values: string[], inputs?: Rule['inputs'], env?: Env): Rule {
  return { named, says, values, inputs, env, quotes: true }
}
const unquoted = (r: Rule): Rule => ({ ...r, quotes: false })
const given = (input: string) => (value: string) => ({ 'app-id': APP, [input]: value })
const arnOnly = (value: string) => ({ 'job-id': value })
const withArn = (input: string) => (value: string) => ({ 'job-id': jobArn(), [input]: value })
const withJobId = (input: string) => (value: string) => ({ 'app-id': APP, 'job-id': '4', [input]: value })
const arnIn = (partition: string, region = 'eu-west-1', account = '123456789012', app = 'd1a2b3') =>
  jobArn('main', '1', { partition, region, account, app })
const DISCOVERY_ONLY = /^Input [a-z-]+ selects among discovered jobs, so it cannot be combined with job-id/
const DISAGREES =
  /^Input [a-z-]+ ".*" disagrees with the job ARN in job-id, which names "(d1a2b3|main|eu-west-1)"/
const NOT_ARN = /is not a job ARN: it must be arn:aws:amplify:<region>:<account>:apps\/<app-id>\/branches\//

const RULES: Rule[] = [
  rule('app-id', /^Input app-id is required: set it to your Amplify app id/, ['', ',', ' ,\n ']),
  rule('app-id', /is not an Amplify app id: it must be d followed by lower-case letters and digits/, [
    ...w('D1A2B3 a1b2c3 d d1-2 d1_2 dé1 ../d1 d1/branches/main d1%0A ::error::d1 d1;rm d1,,D2'),
    ...['d1 2', 'd1\u0000', 'd\uff11', `d${'1'.repeat(20)}`, 'arn:aws:amplify:us-east-1:123456789012:apps/d1']
  ]),
  rule(
    'app-id',
    /mixes \* \(every app of this repository\) with app ids/,
    ['*,d1', 'd1 *'],
    undefined,
    REPO_ENV
  ),
  unquoted(rule('app-id', /^Input app-id is \* .* but GITHUB_REPOSITORY is not set/, ['*'])),
  unquoted(
    rule('app-id', /GITHUB_REPOSITORY is not set/, ['*'], undefined, { ...REPO_ENV, GITHUB_REPOSITORY: '' })
  ),
  rule('branch-name', /is not a branch name: it must be 1 to 255 characters with no control characters/, [
    ...['x'.repeat(256), 'a\rb', 'a\r::error::b', 'main,a\u0000b', ' , ', 'a\u0000b', 'a\tb'],
    ...['\u001b[31mred', 'a\u007fb', 'a\u0085b', 'a\u2028b', 'a\u2029b', 'a\u009bb', 'a\ud800b', 'a\udfffb']
  ]),
  rule('branch-name', /a Git ref: pass \$\{\{ github\.ref_name \}\} or \$\{\{ github\.head_ref \}\}/, [
    ...['refs/heads/main', 'refs/pull/7/merge', 'refs/tags/v1', 'main, refs/heads/dev']
  ]),
  rule('branch-name', /"pr-" is not a preview branch: it has no number/, ['pr-', ' pr- ', 'main,pr-']),
  rule('branch-name', /mixes \* \(every branch\) with branch names/, ['*,main', 'main\n*']),
  rule('job-id', /is not a job id: it must be digits only \(e\.g\. 42\) or a job ARN/, [
    ...w('-1 1.5 1e3 abc 0x10 +1 12a ARN:aws:amplify'),
    ...['1 ', '\uff11', '\u0661', '1'.repeat(256), '1\n2']
  ]),
  rule(
    'job-id',
    NOT_ARN,
    [
      ...[jobArn('main', ''), jobArn('main', 'abc'), jobArn('main', '-1'), jobArn('main', '9'.repeat(256))],
      ...[jobArn(''), jobArn('ma\nin'), jobArn('ma\u2028in'), jobArn('x'.repeat(256))],
      ...[
        `${jobArn()} `,
        `${jobArn()}/`,
        'arn:',
        'arn:aws:amplify:us-east-1:123456789012:apps/d1a2b3/jobs/1'
      ],
      'arn:aws:amplify:us-east-1:123456789012:apps/d1a2b3/branches/main',
      'arn:aws:s3:us-east-1:123456789012:apps/d1a2b3/branches/main/jobs/1',
      ...['123', '12345678901x', ''].map(account => arnIn('aws', 'eu-west-1', account)),
      ...['', 'D1'].map(app => arnIn('aws', 'eu-west-1', '123456789012', app)),
      ...['', 'US-EAST-1', 'nowhere'].map(region => arnIn('aws', region)),
      ...['gcp', 'awsx', ''].map(partition => arnIn(partition))
    ],
    arnOnly
  ),
  rule(
    'job-id',
    /is not a job ARN: its region "[a-z0-9-]+" is not in the aws(-cn|-us-gov)? partition/,
    w(
      'aws:cn-north-1 aws:us-gov-west-1 aws-cn:us-east-1 aws-cn:us-gov-west-1 aws-us-gov:us-east-1 aws-us-gov:cn-north-1'
    )
      .map(pair => pair.split(':'))
      .map(([partition, region]) => arnIn(partition, region)),
    arnOnly
  ),
  unquoted(
    rule(
      'job-id',
      /^Input job-id names one job, so it cannot be combined with several apps or branches \(or \*\)/,
      ['d1,d2', 'd1\nd2\n', '*', 'd1 d2'],
      withJobId('app-id'),
      REPO_ENV
    )
  ),
  unquoted(
    rule('job-id', /cannot be combined with several apps/, ['main,dev', '*'], withJobId('branch-name'))
  ),
  ...w('keep-newest:true keep-newest:True commit-id:abcdef1 older-than:1h statuses:PENDING job-types:MANUAL')
    .concat('find-timeout:1m', 'find-timeout:60')
    .map(pair => pair.split(':'))
    .map(([named, value]) => unquoted(rule(named, DISCOVERY_ONLY, [value], withJobId(named)))),
  rule('app-id', DISAGREES, ['d9', 'd1a2b3,d2', '*'], withArn('app-id'), REPO_ENV),
  rule('branch-name', DISAGREES, ['dev', 'main,dev', '*', 'Main'], withArn('branch-name')),
  rule('aws-region', DISAGREES, ['us-east-1'], withArn('aws-region')),
  ...Object.entries(ALIASES).map(([alias, named]) =>
    rule(
      named,
      new RegExp(`^Inputs ${named} and ${alias} name the same thing but differ \\("1" and "2"\\)`),
      ['2'],
      v => Object.assign(given(named)('1'), { [alias]: v })
    )
  ),
  rule('if-no-job', /is not one of warn, ignore or fail\.$/, [
    ...w('sometimes warning no stop true warn,ignore ıgnore error'),
    ...['fail ', 'waRn\u0000']
  ]),
  rule('aws-region', /^Input aws-region ".*" is not an AWS region name such as us-east-1/, [
    ...w('us-east US-EAST-1 us_east_1 useast1 us-east-1a mars mars-north-1a us-east-100 us-east-1/../x'),
    ...['us-east-1\n', ' us-east-1', '\u0000', 'amplify.us-east-1.amazonaws.com']
  ]),
  ...w('wait keep-newest dry-run').map(named =>
    rule(
      named,
      /is not a boolean: use true or false\.$/,
      w('yes no 1 0 on off y tRUE FaLsE').concat('true ', 'true\n')
    )
  ),
  rule(
    'wait-timeout',
    /is not a duration: use plain seconds \(300\), or lower-case units .* from 1 s to 6 h/,
    [
      ...w('0 0s -1 21601 6h1s 7h 1d 1.5 1e3 0x10 abc 9999999 86400 Infinity NaN 5M 1000000000'),
      ...['  ', '1h 30m']
    ]
  ),
  rule(
    'older-than',
    /is not a duration: use plain seconds \(5400\), or lower-case units .* from 1 s to 30 d/,
    [
      ...w('-5m 0 0s 0d0h0m0s soon 31d 30m1h 2592001 2592001s 30d1s 721h 1H 90M 1h1h 1s1m 1.5h 1e3 +5m -5 h'),
      ...w('d1h 1w 1y 1ms ms 1hour １h Infinity 1000000000 99999999999'),
      ...['2 hours', '1h 30m', ' 90m', '90m ', '5 ']
    ]
  ),
  rule('find-timeout', /is not a duration: use 0 \(look once\), plain seconds \(60\), .* at most 1 h/, [
    ...w('-1 1h1s 3601 2h 1d soon 1.5 5M 0.5'),
    '5 m'
  ]),
  rule('commit-id', /is not a commit: give a full SHA or a prefix of at least 7 hex characters/, [
    ...w(`abc abc12 abc123 ggggggg HEAD main abcdéf01 ${'0'.repeat(65)}`),
    ...['1234567 ', 'abcdef0\n', 'abc 1234']
  ]),
  rule(
    'statuses',
    /is not a list of in-progress statuses: use any of CREATED, PENDING, PROVISIONING, RUNNING/,
    [...w('QUEUED RUNNING,CANCELLING SUCCEED , running;pending RUN * all'), ...[' , ', 'RUNNING\u0000']]
  ),
  rule('job-types', /is not a list of job types: use any of RELEASE, RETRY, MANUAL, WEB_HOOK, separated/, [
    ...w('WEBHOOK web-hook PUSH RELEASE|RETRY , * MANUAL,AUTO')
  ])
]

/** Every value of every rule, and the last value of a rule for app-id, branch-name or job-id under its alias. */
const CASES = RULES.flatMap(rule => {
  const cases = rule.values.map(value => [rule.named, value, rule.inputs ?? given(rule.named), rule] as const)
  const alias = Object.keys(ALIASES).find(a => ALIASES[a] === rule.named)
  if (!alias || rule.inputs) return cases
  const viaAlias = (v: string) => ({ 'app-id': APP, [rule.named]: '', [alias]: v })
  return [...cases, [alias, rule.values[rule.values.length - 1], viaAlias, rule] as const]
})

describe('every bad value of every input is an InputError naming the input, before the event is loaded', () => {
  it('the table gives every input action.yml declares, aliases included, a bad value', () => {
    const bad = new Set(
      CASES.flatMap(([, v, inputs]) => Object.keys(inputs(v)).filter(k => inputs(v)[k] === v))
    )
    expect(INPUT_NAMES.filter(input => !bad.has(input))).toEqual([])
  })

  it.each(CASES)('%s: %j', async (_, value, inputs, rule) => {
    const error = await inputError(inputs(value), rule.env)
    expect(error).toMatchObject({ input: rule.named, kind: 'input' })
    expect(error.message).toMatch(rule.says)
    expect(error.message).toMatch(new RegExp(`^Inputs? ${rule.named}\\b`))
    // A short printable value is quoted as given (a list is quoted by its bad item); control characters never raw.
    const quotable = rule.quotes && /^[\x21\x23-\x2b\x2d-\x5b\x5d-\x7e]{1,80}$/.test(value)
    expect(quotable ? error.message : JSON.stringify(value)).toContain(JSON.stringify(value))
    expect(error.message).not.toMatch(BREAKING)
  })

  it.each([
    ['a line separator', 'a\u2028b', '"a\\u2028b"'],
    ['NEL', 'a\u0085b', '"a\\u0085b"'],
    ['an escape sequence', 'a\u001b[31m::error::x', '"a\\u001b[31m::error::x"'],
    ['a long value, shortened', `d\u0001${'x'.repeat(200)}`, `"d\\u0001${'x'.repeat(78)}…"`]
  ])('a value with %s is quoted with visible escapes', async (_, value, quoted) => {
    expect((await inputError({ 'app-id': APP, 'branch-name': value })).message).toContain(quoted)
  })

  it.each<[Env, RegExp]>([
    [{ AWS_REGION: 'nowhere' }, /^AWS_REGION "nowhere" is not an AWS region name/],
    [{ AWS_DEFAULT_REGION: 'us-east-1\n::error::x' }, /^AWS_DEFAULT_REGION "us-east-1\\n::error::x"/],
    [{}, /^No AWS region: set the aws-region input, or AWS_REGION/]
  ])('a region from the environment is checked too: %j', async (env, says) => {
    const error = await inputError({ 'app-id': APP, 'branch-name': 'main' }, env)
    expect(error).toMatchObject({ input: 'aws-region', message: expect.stringMatching(says) })
  })

  it.each<[EventContext, RegExp]>([
    [pr(undefined), /the pull_request event payload has no pull_request\.head\.ref: set branch-name/],
    [pr(undefined, 'pull_request_target'), /the pull_request_target event payload has no/],
    [push('refs/tags/v1.2.3'), /this run is for the tag "v1\.2\.3", which is not a branch/],
    [push(''), /the event names no branch \(GITHUB_REF ""\)/],
    [{ eventName: 'merge_group', ref: 'refs/pull/7/merge' }, /GITHUB_REF "refs\/pull\/7\/merge"/],
    [push('refs/heads/'), /"" is not a branch name: it must be 1 to 255/],
    [push('refs/heads/a\u001bb'), /"a\\u001bb" is not a branch name/],
    [pr('a\n::error::x'), /"a\\n::error::x" is not a branch name/],
    [pr('x'.repeat(256), 'pull_request_target'), /is not a branch name: it must be 1 to 255/]
  ])('a branch from the event is checked too: %j', async (event, says) => {
    const error = await parse({ 'app-id': APP }, REGION_ENV, event).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputError)
    expect(error).toMatchObject({ input: 'branch-name', message: expect.stringMatching(says) })
  })
})

describe('an INPUT_* variable action.yml does not declare is an input error, before any other', () => {
  it('INPUT_NAMES are the inputs action.yml declares: the code reads what action.yml declares', () => {
    expect([...INPUT_NAMES].sort()).toEqual(Object.keys(actionManifest().inputs).sort())
  })

  it.each([
    ...w('DRY_RUN:dry-run OLDER_THAN:older-than KEEPNEWEST:keep-newest APP_ID:app-id WIAT:wait'),
    ...w('JOB-TYPE:job-types STATUS:statuses FIND_TIMOUT:find-timeout TOKEN: REGION: WAITING_TIME:')
  ])('INPUT_%s is named as written, with the closest input if any is close', async pair => {
    const [variable, closest] = pair.split(':')
    // A bad app-id too: the unknown input is what the step stops on.
    const error = await inputError({ 'app-id': 'BAD' }, { ...REGION_ENV, [`INPUT_${variable}`]: 'true' })
    const name = variable.toLowerCase()
    expect(error.input).toBe(name)
    expect(error.message).toMatch(
      new RegExp(`^Input "${name}"${closest ? ` \\(did you mean ${closest}\\?\\)` : ''} is not an input of`)
    )
  })

  it('several unknown inputs are one error naming each', async () => {
    const env = { ...REGION_ENV, INPUT_OLDER_THAN: '2h', INPUT_FOO: '', INPUT_DRY_RUN: 'true' }
    expect((await inputError({ 'app-id': APP }, env)).message).toMatch(
      /^Inputs "dry_run" \(did you mean dry-run\?\), "foo" and "older_than" \(did you mean older-than\?\) are not/
    )
  })

  it('every input and alias, as the runner names it (upper case, dashes kept: INPUT_OLDER-THAN), is known', async () => {
    const env = Object.fromEntries(INPUT_NAMES.map(name => [`INPUT_${name.toUpperCase()}`, '']))
    await expect(parse({ 'app-id': APP }, { ...REGION_ENV, ...env })).resolves.toBeDefined()
  })
})

// ---- what each input accepts ---------------------------------------------------------------------------

const discovery = (apps: AppSelection, branches: BranchSelection, several = false, severalApps = false) =>
  ({ kind: 'discovery', apps, branches, several, severalApps }) satisfies Target
const job = (appId: string, branchName: string, jobId: string): Target => ({
  ...{ kind: 'job', branch: { appId, branchName }, jobId },
  ...{ several: false, severalApps: false }
})
const repository = (url = 'https://github.com/octo/site'): AppSelection => ({ kind: 'repository', url })
const ALL: BranchSelection = { kind: 'all' }
const [D123, D12, DEV] = [ids('d1', 'd2', 'd3'), ids('d1', 'd2'), names('dev')]
const AGREEING = { 'app-id': 'd1a2b3', 'branch-name': 'a/jobs/x' }

describe('the target, resolved once', () => {
  it('app-id and branch-name alone: discovery with every default, without loading the event', async () => {
    const loadEvent = jest.fn(async () => PUSH_TO_MAIN)
    const settings = await parseSettings(
      reader({ 'app-id': APP, 'branch-name': 'main' }),
      REGION_ENV,
      loadEvent
    )
    expect(settings).toEqual({
      ...{ target: discovery(ids(APP), names('main')), branchSource: 'input', region: 'us-east-1' },
      ...{ ifNoJob: 'warn', selection: { keepNewest: false }, findTimeoutSeconds: 0 },
      ...{ wait: false, waitTimeoutSeconds: 300, dryRun: false }
    } satisfies Settings)
    expect(loadEvent).not.toHaveBeenCalled()
  })

  it.each<[Inputs, Target]>([
    [{ 'app-id': 'd1,d2,d3' }, discovery(D123, names('main'), true, true)],
    [{ 'app-id': 'd1 d2  d3' }, discovery(D123, names('main'), true, true)],
    [{ 'app-id': ' d1, d2,\r\n d3\n' }, discovery(D123, names('main'), true, true)],
    [{ 'app-id': 'd1,d2 d1\nd3,d2' }, discovery(D123, names('main'), true, true)],
    [{ 'app-id': `d${'1'.repeat(19)}` }, discovery(ids(`d${'1'.repeat(19)}`), names('main'))],
    [{ 'app-id': ' * ' }, discovery(repository(), names('main'), true, true)],
    [{ 'app-id': '*,*' }, discovery(repository(), names('main'), true, true)],
    [{ 'branch-name': ' main , dev ,  x ' }, discovery(ids(APP), names('main', 'dev', 'x'), true)],
    [{ 'branch-name': 'main\r\n,\n, dev,,\n' }, discovery(ids(APP), names('main', 'dev'), true)],
    [{ 'branch-name': 'main dev, other  one' }, discovery(ids(APP), names('main dev', 'other  one'), true)],
    [{ 'branch-name': 'main,dev\nmain, dev' }, discovery(ids(APP), names('main', 'dev'), true)],
    [{ 'branch-name': 'main\n::error::x' }, discovery(ids(APP), names('main', '::error::x'), true)],
    [{ 'branch-name': '*\n' }, discovery(ids(APP), ALL, true)],
    [{ 'branch-name': '*,*' }, discovery(ids(APP), ALL, true)],
    ...w(`pr-42 feature/login a ünïcødé pr-x my-refs/x ${'x'.repeat(255)}`).map((name): [Inputs, Target] => [
      { 'branch-name': name },
      discovery(ids(APP), names(name))
    ]),
    [{ 'app-id': '', 'branch-name': '', appId: 'd9', branchName: 'dev' }, discovery(ids('d9'), names('dev'))],
    [{ 'app-id': 'd9', appId: 'd9', branchName: 'dev', 'branch-name': 'dev' }, discovery(ids('d9'), DEV)],
    [{ 'app-id': '', 'branch-name': '', appId: 'd1,d2', branchName: '*' }, discovery(D12, ALL, true, true)],
    [{ 'job-id': '0042' }, job(APP, 'main', '0042')],
    [{ 'job-id': '9'.repeat(255) }, job(APP, 'main', '9'.repeat(255))],
    [{ jobId: '12' }, job(APP, 'main', '12')],
    [{ 'job-id': '3', jobId: '3' }, job(APP, 'main', '3')],
    [{ 'app-id': 'd1,d1', 'branch-name': 'main\nmain', 'job-id': '7' }, job('d1', 'main', '7')],
    [{ 'job-id': '7', 'keep-newest': 'false', 'find-timeout': '0', wait: 'true' }, job(APP, 'main', '7')],
    [{ 'app-id': '', 'branch-name': '', 'job-id': jobArn('x/y', '17') }, job('d1a2b3', 'x/y', '17')],
    [{ 'app-id': '', 'branch-name': '', jobId: jobArn() }, job('d1a2b3', 'main', '42')],
    [
      { ...AGREEING, 'aws-region': 'eu-west-1', 'job-id': jobArn('a/jobs/x', '07') },
      job('d1a2b3', 'a/jobs/x', '7')
    ]
  ])('%j', async (inputs, target) => {
    const settings = await parse({ 'app-id': APP, 'branch-name': 'main', ...inputs }, REPO_ENV)
    expect(settings.target).toEqual(target)
  })

  it.each([
    ['https://ghe.example.com/', 'https://ghe.example.com/octo/site'],
    ['', 'https://github.com/octo/site'],
    [undefined, 'https://github.com/octo/site']
  ])('app-id * with GITHUB_SERVER_URL %j is the repository %s', async (server, url) => {
    const settings = await parse({ 'app-id': '*' }, { ...REPO_ENV, GITHUB_SERVER_URL: server })
    expect(settings.target).toMatchObject({ apps: repository(url) })
  })

  it.each(
    w('aws:us-east-1 aws:eu-central-2 aws-cn:cn-north-1 aws-cn:cn-northwest-1 aws-us-gov:us-gov-west-1')
  )('a job ARN in %s gives the region', async pair => {
    const [partition, region] = pair.split(':')
    const settings = await parse({ 'job-id': jobArn('main', '3', { partition, region }) }, {})
    expect(settings).toMatchObject({ region, target: job('d1a2b3', 'main', '3'), branchSource: 'job-arn' })
  })

  it('a job ARN gives the region over AWS_REGION, even a bad one, and the event is never loaded', async () => {
    const loadEvent = jest.fn(async () => PUSH_TO_MAIN)
    const settings = await parseSettings(reader({ 'job-id': jobArn() }), { AWS_REGION: 'nowhere' }, loadEvent)
    expect(settings.region).toBe('eu-west-1')
    expect(loadEvent).not.toHaveBeenCalled()
  })

  it.each([
    ...w('feature/jobs/x jobs/5 a/b/c ünïcødé feature%2Fx a,b').map(b => [b, '9', '9']),
    ...[
      ['with space', '9', '9'],
      ['main', '0000000042', '42'],
      ['main', '0000', '0']
    ],
    ['main', '9'.repeat(255), '9'.repeat(255)]
  ])('a job ARN for %j, job %j: the branch to the last /jobs/, job %s', async (branch, id, j) => {
    expect((await parse({ 'job-id': jobArn(branch, id) })).target).toEqual(job('d1a2b3', branch, j))
  })

  it.each<[EventContext, string, Settings['branchSource']]>([
    [pr('feature/login'), 'feature/login', 'pull-request'],
    [pr('x', 'pull_request_target'), 'x', 'pull-request'],
    [push('refs/heads/feature/x'), 'feature/x', 'ref'],
    [push('refs/heads/a,b c'), 'a,b c', 'ref'],
    [{ ...push('refs/heads/main'), eventName: 'workflow_dispatch', pullRequestHeadRef: 'o' }, 'main', 'ref']
  ])('branch-name empty: the event %j names the one branch %j', async (event, branch, source) => {
    const loadEvent = jest.fn(async () => event)
    const settings = await parseSettings(reader({ 'app-id': APP }), REGION_ENV, loadEvent)
    expect(loadEvent).toHaveBeenCalledTimes(1)
    expect(settings).toMatchObject({ target: { branches: names(branch) }, branchSource: source })
  })
})

describe('the other inputs', () => {
  const durations = (input: string, pairs: string) =>
    w(pairs).map(pair => [input, pair.split('=')[0], Number(pair.split('=')[1])] as const)

  it.each([
    ...durations('older-than', '5400=5400 1=1 90m=5400 2h=7200 1h30m=5400 7200s=7200 30d=2592000'),
    ...durations('older-than', '720h=2592000 43200m=2592000 2592000=2592000 1d2h3m4s=93784 1d4s=86404'),
    ...durations('older-than', '2h30s=7230 0h1s=1 29d23h59m59s=2591999 1d24h=172800'),
    ...durations('wait-timeout', '=300 1=1 300=300 000060=60 21600=21600 90s=90 5m=300 1h30m=5400 6h=21600'),
    ...durations('find-timeout', '=0 0=0 0s=0 60=60 90s=90 5m=300 1h=3600 3600=3600')
  ])('%s %j is %d seconds', async (input, raw, seconds) => {
    const settings = await parse({ 'app-id': APP, [input]: raw })
    const { selection, waitTimeoutSeconds, findTimeoutSeconds } = settings
    const read: Record<string, number | undefined> = {
      ...{ 'older-than': selection.olderThanSeconds, 'wait-timeout': waitTimeoutSeconds },
      'find-timeout': findTimeoutSeconds
    }
    expect(read[input]).toBe(seconds)
  })

  it.each<[string, string, readonly string[] | undefined]>([
    ['statuses', '', undefined],
    ['statuses', 'pending', ['PENDING']],
    ['statuses', 'running, pending', ['PENDING', 'RUNNING']],
    ['statuses', 'RUNNING\nCREATED  provisioning,,', ['CREATED', 'PROVISIONING', 'RUNNING']],
    ['statuses', 'Pending PENDING pending', ['PENDING']],
    ['statuses', 'created,pending,provisioning,running', IN_PROGRESS_STATUSES],
    ['job-types', '', undefined],
    ['job-types', 'web_hook', ['WEB_HOOK']],
    ['job-types', 'MANUAL\nrelease, Retry', ['RELEASE', 'RETRY', 'MANUAL']],
    ['job-types', 'release retry manual web_hook', JOB_TYPES]
  ])('%s %j: any case, any separators, in canonical order: %j', async (input, raw, expected) => {
    const { selection } = await parse({ 'app-id': APP, [input]: raw })
    expect(input === 'statuses' ? selection.statuses : selection.jobTypes).toEqual(expected)
  })

  const SHA = 'ABCDEF0123456789ABCDEF0123456789ABCDEF01'
  it.each<[Inputs, Env, Partial<Settings>]>([
    [{ 'if-no-job': 'FAIL' }, REGION_ENV, { ifNoJob: 'fail' }],
    [{ 'if-no-job': 'ignore' }, REGION_ENV, { ifNoJob: 'ignore' }],
    [{ wait: 'True', 'dry-run': 'TRUE', 'keep-newest': 'true' }, REGION_ENV, { wait: true, dryRun: true }],
    [
      { wait: 'false', 'dry-run': 'False', 'keep-newest': 'FALSE' },
      REGION_ENV,
      { wait: false, dryRun: false }
    ],
    [{ 'keep-newest': 'TRUE' }, REGION_ENV, { selection: { keepNewest: true } }],
    [{ 'commit-id': SHA }, REGION_ENV, { selection: { keepNewest: false, commitId: SHA.toLowerCase() } }],
    [{ 'commit-id': 'abc1234' }, REGION_ENV, { selection: { keepNewest: false, commitId: 'abc1234' } }],
    [
      { 'aws-region': 'eu-west-1' },
      { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'x' },
      { region: 'eu-west-1' }
    ],
    [{}, { AWS_REGION: 'ap-southeast-2', AWS_DEFAULT_REGION: 'us-west-2' }, { region: 'ap-southeast-2' }],
    [{}, { AWS_REGION: '', AWS_DEFAULT_REGION: 'us-west-2' }, { region: 'us-west-2' }],
    ...w('us-gov-west-1 cn-north-1 ap-northeast-3 il-central-1').map(
      (region): [Inputs, Env, Partial<Settings>] => [{ 'aws-region': region }, {}, { region }]
    )
  ])('%j with %j', async (inputs, env, expected) => {
    expect(await parse({ 'app-id': APP, ...inputs }, env)).toMatchObject(expected)
  })
})

// ---- properties: any text at all ----------------------------------------------------------------------

const YAML_BOOLEANS = Object.fromEntries(w('true True TRUE false False FALSE').map((v, i) => [v, i < 3]))
const listOf = (raw: string) => [...new Set(raw.split(/[\s,]+/).filter(Boolean))]

/** Every documented constraint on Settings, and that each accepted value is the value that was given. */
function expectValidSettings(settings: Settings, inputs: Inputs, env: Env): void {
  const value = (name: string) =>
    inputs[name] || inputs[Object.keys(ALIASES).find(alias => ALIASES[alias] === name) ?? ''] || ''
  const fromArn = value('job-id').startsWith('arn:')
  const { target, selection } = settings
  const apps = target.kind === 'job' ? ids(target.branch.appId) : target.apps
  const branches = target.kind === 'job' ? names(target.branch.branchName) : target.branches
  if (apps.kind === 'repository') expect(listOf(value('app-id'))).toEqual(['*'])
  else if (!fromArn) expect(apps.ids).toEqual(listOf(value('app-id')))
  for (const id of apps.kind === 'ids' ? apps.ids : []) expect(id).toMatch(/^d[a-z0-9]{1,19}$/)
  for (const name of branches.kind === 'names' ? branches.names : []) {
    expect(name.length >= 1 && name.length <= 255).toBe(true)
    expect(name).not.toMatch(BREAKING)
    expect(name).not.toMatch(/\p{Cs}/u)
  }
  if (target.kind === 'job') {
    expect(target.jobId).toMatch(/^[0-9]{1,255}$/)
    if (!fromArn) expect(target.jobId).toBe(value('job-id'))
    expect([selection, settings.findTimeoutSeconds]).toEqual([{ keepNewest: false }, 0])
  } else {
    expect(value('job-id')).toBe('')
    const severalApps = apps.kind === 'repository' || apps.ids.length > 1
    expect(target.severalApps).toBe(severalApps)
    expect(target.several).toBe(severalApps || branches.kind === 'all' || branches.names.length > 1)
  }
  if (selection.statuses)
    expect(selection.statuses).toEqual(IN_PROGRESS_STATUSES.filter(v => selection.statuses?.includes(v)))
  if (selection.jobTypes)
    expect(selection.jobTypes).toEqual(JOB_TYPES.filter(v => selection.jobTypes?.includes(v)))
  expect(selection.statuses === undefined).toBe(!inputs.statuses)
  expect(selection.jobTypes === undefined).toBe(!inputs['job-types'])
  expect(selection.olderThanSeconds === undefined).toBe(!inputs['older-than'])
  expect(selection.olderThanSeconds ?? 1).toBeGreaterThanOrEqual(1)
  expect(selection.olderThanSeconds ?? 1).toBeLessThanOrEqual(30 * 86400)
  expect(selection.commitId).toBe(inputs['commit-id'] ? inputs['commit-id'].toLowerCase() : undefined)
  expect(settings.findTimeoutSeconds >= 0 && settings.findTimeoutSeconds <= 3600).toBe(true)
  expect(settings.waitTimeoutSeconds >= 1 && settings.waitTimeoutSeconds <= 21600).toBe(true)
  if (/^[0-9]+$/.test(inputs['wait-timeout'] ?? ''))
    expect(settings.waitTimeoutSeconds).toBe(Number(inputs['wait-timeout']))
  expect(settings.ifNoJob).toBe((inputs['if-no-job'] || 'warn').toLowerCase())
  expect(settings.region).toMatch(/^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/)
  if (!fromArn) expect(settings.region).toBe(inputs['aws-region'] || env.AWS_REGION || env.AWS_DEFAULT_REGION)
  expect(settings.wait).toBe(YAML_BOOLEANS[inputs.wait] ?? false)
  expect(settings.dryRun).toBe(YAML_BOOLEANS[inputs['dry-run']] ?? false)
  expect(selection.keepNewest).toBe(YAML_BOOLEANS[inputs['keep-newest']] ?? false)
}

/** Text of every kind: any code point, control characters, lone surrogates, and plausible shapes. */
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: fc.constantFrom(...'\u0000\n\r\t\u001b\u0085\u2028\ud800\udc00'.split('')) }),
  fc.string({ unit: fc.constantFrom(...'aZ9/-. ,é%:\ud83d\ude00'.split('')) }),
  fc.constantFrom(
    ...w('true TRUE yes 0 1 21600 21601 d d1 us-east-1 * ::error::x pending web_hook QUEUED 90s 7h')
  ),
  fc.constantFrom('', ' ', 'RUNNING, created', 'MANUAL RELEASE', '1h30m'),
  fc.stringMatching(/^d[a-z0-9]{0,22}$/),
  fc.stringMatching(/^[0-9]{0,8}$/),
  fc.stringMatching(/^[0-9a-fA-F]{5,66}$/),
  fc.stringMatching(/^[a-z]{1,3}(-[a-z]{1,6}){0,3}-[0-9]{1,3}$/)
)

/** A plausible value for each input, so that a property reaches the later checks too. */
const plausible: Record<string, fc.Arbitrary<string>> = {
  'app-id': fc.stringMatching(/^d[a-z0-9]{1,19}$/),
  'branch-name': fc.string({ minLength: 1, maxLength: 40 }).filter(s => !/[\p{Cc}\u2028\u2029]/u.test(s)),
  'job-id': fc.oneof(fc.constant(''), fc.stringMatching(/^[0-9]{1,6}$/)),
  'if-no-job': fc.constantFrom('', 'warn', 'ignore', 'fail', 'FAIL'),
  'aws-region': fc.constantFrom('', 'us-east-1', 'eu-west-2', 'cn-north-1', 'us-gov-west-1'),
  wait: fc.constantFrom('', 'true', 'False'),
  'wait-timeout': fc.constantFrom('', '1', '300', '21600', '5m', '1h30m'),
  'keep-newest': fc.constantFrom('', 'false', 'TRUE'),
  'commit-id': fc.constantFrom('', 'abcdef0', '0123456789ABCDEF0123456789abcdef01234567'),
  'dry-run': fc.constantFrom('', 'true', 'false'),
  'older-than': fc.constantFrom('', '5400', '90m', '1h30m', '30d'),
  statuses: fc.constantFrom('', 'PENDING', 'created running'),
  'job-types': fc.constantFrom('', 'WEB_HOOK', 'manual,release'),
  'find-timeout': fc.constantFrom('', '0', '60', '5m')
}

const anyEvent: fc.Arbitrary<EventContext> = fc.record(
  {
    eventName: fc.oneof(fc.constantFrom('push', 'pull_request', 'pull_request_target'), anyText),
    ref: fc.oneof(...['refs/heads/', 'refs/tags/', ''].map(prefix => anyText.map(s => `${prefix}${s}`))),
    pullRequestHeadRef: anyText
  },
  { requiredKeys: ['eventName', 'ref'] }
)

/** The region variables, and now and then an INPUT_* variable of any name, known or not. */
const anyEnv: fc.Arbitrary<Env> = fc
  .tuple(
    fc.record({ AWS_REGION: anyText, AWS_DEFAULT_REGION: anyText }, { requiredKeys: [] }),
    fc.option(fc.oneof(anyText, fc.constantFrom(...INPUT_NAMES.map(n => n.toUpperCase()), 'DRY_RUN')), {
      freq: 7
    })
  )
  .map(([env, input]) => (input === null ? env : { ...env, [`INPUT_${input}`]: 'x' }))

/** parseSettings returns valid Settings, or an InputError naming an input, with no control character in it. */
async function parsesOrNamesAnInput(inputs: Inputs, env: Env, event: EventContext): Promise<void> {
  let settings: Settings
  try {
    settings = await parse(inputs, env, event)
  } catch (error) {
    if (!(error instanceof InputError))
      throw new Error(`Not an InputError: ${String(error)}`, { cause: error })
    const unknown = Object.keys(env).map(k => k.slice('INPUT_'.length).toLowerCase())
    expect([...INPUT_NAMES.filter(i => !(i in ALIASES)), ...unknown]).toContain(error.input)
    expect(error.message).not.toMatch(BREAKING)
    return
  }
  expectValidSettings(settings, inputs, env)
}

describe('for any text in any input, parseSettings returns valid Settings or a named InputError', () => {
  it('every input arbitrary at once, with any environment and event', async () => {
    const everyInput = fc.dictionary(fc.constantFrom(...INPUT_NAMES), anyText)
    const property = fc.asyncProperty(everyInput, anyEnv, anyEvent, parsesOrNamesAnInput)
    await expect(fc.assert(property, { numRuns: 1500 })).resolves.toBeUndefined()
  })

  it('plausible inputs with one of them (or its alias) hostile', async () => {
    const inputs = fc
      .tuple(fc.record(plausible), fc.constantFrom(...INPUT_NAMES), anyText)
      .map(([valid, name, v]) => {
        const hostile: Inputs = { ...valid, [name]: v }
        if (name in ALIASES) delete hostile[ALIASES[name]]
        return hostile
      })
    const property = fc.asyncProperty(inputs, i => parsesOrNamesAnInput(i, REGION_ENV, PUSH_TO_MAIN))
    await expect(fc.assert(property, { numRuns: 2000 })).resolves.toBeUndefined()
  })

  it('plausible inputs, the branch from any event, the region from any environment', async () => {
    const inputs = fc.record({ ...plausible, 'branch-name': fc.constant(''), 'aws-region': fc.constant('') })
    const property = fc.asyncProperty(inputs, anyEnv, anyEvent, parsesOrNamesAnInput)
    await expect(fc.assert(property, { numRuns: 1000 })).resolves.toBeUndefined()
  })
})
