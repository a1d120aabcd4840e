// Input validation is total: every input of action.yml has an accepted form, every bad value fails with an
// InputError that names the input and states that form, before any request; and for any text at all in
// any input, the parser returns valid Settings or a named InputError, never anything else.
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { InputError } from '../../src/errors.js'
import {
  MAX_WAIT_TIMEOUT_SECONDS,
  parseSettings,
  type EventContext,
  type Settings
} from '../../src/settings.js'
import { actionInputs, APP_ID, expectOnlyOwnCommands, runAgainst, startServer } from './security-helpers.js'

type Inputs = Record<string, string>

const INPUTS = actionInputs()
const ALIASES: Record<string, string> = { appId: 'app-id', branchName: 'branch-name', jobId: 'job-id' }
const VALID: Inputs = { 'app-id': APP_ID, 'branch-name': 'main' }
const REGION_ENV = { AWS_REGION: 'us-east-1' }
const PUSH_TO_MAIN: EventContext = { eventName: 'push', ref: 'refs/heads/main' }

/** The valid inputs with one replaced; an alias replaces its canonical input, since both would differ. */
function withInput(input: string, value: string, base: Inputs = VALID): Inputs {
  const inputs = { ...base, [input]: value }
  if (input in ALIASES) delete inputs[ALIASES[input]]
  return inputs
}

function parse(inputs: Inputs, env: NodeJS.ProcessEnv = REGION_ENV, event: EventContext = PUSH_TO_MAIN) {
  return parseSettings(
    name => inputs[name] ?? '',
    env,
    async () => event
  )
}

/** What each input's error says it accepts. */
const ACCEPTED_FORM: Record<string, RegExp> = {
  'app-id': /d followed by lower-case letters and digits, 20 characters at most/,
  'branch-name': /1 to 255 characters with no control characters/,
  'job-id': /digits only/,
  'if-no-job': /one of warn, ignore or fail/,
  'aws-region': /an AWS region name such as us-east-1/,
  wait: /use true or false/,
  'keep-newest': /use true or false/,
  'dry-run': /use true or false/,
  'wait-timeout': new RegExp(`whole number of seconds from 1 to ${MAX_WAIT_TIMEOUT_SECONDS}`),
  'commit-id': /a full SHA or a prefix of at least 7 hex characters/
}

const BAD_APP_IDS = [
  'D1A2B3',
  'a1b2c3',
  'd',
  `d${'1'.repeat(20)}`,
  'd1-2',
  'd1_2',
  'd1 2',
  'd1\n',
  'd1\u0000',
  'd\uff11', // a full-width digit
  'dé1',
  'arn:aws:amplify:us-east-1:123456789012:apps/d1',
  '../d1',
  'd1/branches/main',
  'd1%0A',
  '::error::d1',
  'd1;rm -rf /'
]
const BAD_BRANCHES = [
  'x'.repeat(256),
  'a\nb',
  'a\rb',
  'a\r\n::error::b',
  'a\u0000b',
  'a\tb',
  '\u001b[31mred',
  'a\u007fb',
  'a\u0085b', // NEL
  'a\u2028b',
  'a\u2029b',
  'a\u009bb', // CSI
  'a\ud800b', // a lone surrogate: not a character, and not encodable in a URL
  'a\udfffb'
]
const BAD_JOB_IDS = [
  '-1',
  '1.5',
  '1e3',
  'abc',
  '0x10',
  '+1',
  '1 ',
  '\uff11',
  '\u0661',
  '1'.repeat(256),
  '1\n2'
]
const BAD_BOOLEANS = ['yes', 'no', '1', '0', 'on', 'off', 'y', 'tRUE', 'FaLsE', 'true ', 'true\n']
const BAD_TIMEOUTS = [
  '0',
  '-1',
  '21601',
  '1.5',
  '1e3',
  '0x10',
  'abc',
  '300s',
  '9999999',
  '\uff13',
  'Infinity',
  'NaN'
]

/** Every input of action.yml with values it must refuse, each through the input's canonical name. */
const BAD_VALUES: Record<string, string[]> = {
  'app-id': ['', ...BAD_APP_IDS],
  appId: BAD_APP_IDS,
  'branch-name': BAD_BRANCHES,
  branchName: BAD_BRANCHES,
  'job-id': BAD_JOB_IDS,
  jobId: BAD_JOB_IDS,
  'if-no-job': ['warning', 'no', 'stop', 'fail ', 'true', 'warn,ignore', 'ıgnore', 'waRn\u0000'],
  'aws-region': [
    'us-east',
    'US-EAST-1',
    'us_east_1',
    'useast1',
    'us-east-1a',
    'us-east-100',
    'us-east-1\n',
    ' us-east-1',
    'us-east-1/../x',
    'amplify.us-east-1.amazonaws.com',
    '\u0000'
  ],
  wait: BAD_BOOLEANS,
  'wait-timeout': BAD_TIMEOUTS,
  'keep-newest': BAD_BOOLEANS,
  'commit-id': ['abc123', 'g'.repeat(7), '0'.repeat(65), '1234567 ', 'HEAD', 'main', 'abcdef0\n', 'abcdéf01'],
  'dry-run': BAD_BOOLEANS
}

/** The cases of the table: input, the value, and the input the error must name. */
const CASES = Object.entries(BAD_VALUES).flatMap(([input, values]) =>
  values.map(value => [input, value, ALIASES[input] ?? input] as const)
)

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('parseSettings accepted the value'),
    (error: unknown) => error
  )
}

describe('the table of bad values covers action.yml', () => {
  it('has bad values for every input action.yml declares, and names no other input', () => {
    expect(Object.keys(BAD_VALUES).sort()).toEqual([...INPUTS].sort())
    expect(Object.keys(ACCEPTED_FORM).sort()).toEqual(INPUTS.filter(i => !(i in ALIASES)).sort())
  })
})

describe('every bad value of every input is an InputError naming the input and its accepted form', () => {
  it.each(CASES)('%s = %j', async (input, value, named) => {
    const error = await refusal(parse(withInput(input, value)))
    expect(error).toBeInstanceOf(InputError)
    const inputError = error as InputError
    expect(inputError.input).toBe(named)
    expect(inputError.kind).toBe('input')
    expect(inputError.message).toMatch(value === '' ? /app-id is required/ : /is not/)
    expect(inputError.message).toMatch(ACCEPTED_FORM[named])
    expect(inputError.message).toContain(`Input ${named}`)
    expect(inputError.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/) // eslint-disable-line no-control-regex
  })

  it.each([
    ['AWS_REGION', { AWS_REGION: 'mars-1' }, /AWS_REGION "mars-1" is not an AWS region name/],
    ['AWS_DEFAULT_REGION', { AWS_DEFAULT_REGION: 'us-east-1\n::error::x' }, /AWS_DEFAULT_REGION .* is not/],
    ['no region at all', {}, /No AWS region: set the aws-region input, or AWS_REGION/]
  ])('a region from the environment is checked too: %s', async (_, env, message) => {
    const error = await refusal(parse(VALID, env))
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('aws-region')
    expect((error as InputError).message).toMatch(message)
  })

  it.each([
    ['a tag ref', { eventName: 'push', ref: 'refs/tags/v1' }],
    ['no ref at all', { eventName: 'workflow_dispatch', ref: '' }],
    ['a pull request without a head ref', { eventName: 'pull_request_target', ref: 'refs/pull/1/merge' }],
    [
      'a head ref with a newline',
      { eventName: 'pull_request', ref: '', pullRequestHeadRef: 'a\n::error::x' }
    ],
    ['a pushed branch with a control character', { eventName: 'push', ref: 'refs/heads/a\u001bb' }],
    ['an over-long head ref', { eventName: 'pull_request', ref: '', pullRequestHeadRef: 'x'.repeat(256) }]
  ])('a branch from the event is checked too: %s', async (_, event) => {
    const error = await refusal(parse({ 'app-id': APP_ID }, REGION_ENV, event as EventContext))
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('branch-name')
  })

  it.each([
    ['keep-newest', { 'job-id': '1', 'keep-newest': 'true' }, /cannot be combined with job-id/],
    ['commit-id', { 'job-id': '1', 'commit-id': 'abcdef0' }, /cannot be combined with job-id/],
    ['app-id', { 'app-id': 'd1', appId: 'd2' }, /set only one of them/],
    ['branch-name', { 'branch-name': 'a', branchName: 'b' }, /set only one of them/],
    ['job-id', { 'job-id': '1', jobId: '2' }, /set only one of them/]
  ])('a combination that contradicts itself names %s', async (named, extra, message) => {
    const error = await refusal(parse({ ...VALID, ...extra }))
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe(named)
    expect((error as InputError).message).toMatch(message)
  })
})

// ---- Property: for any text, valid Settings or a named InputError -----------------------------------

const YAML_BOOLEANS: Record<string, boolean> = {
  true: true,
  True: true,
  TRUE: true,
  false: false,
  False: false,
  FALSE: false
}

/** Every documented constraint on Settings, and that each accepted value is the value that was given. */
function expectValidSettings(settings: Settings, inputs: Inputs, env: NodeJS.ProcessEnv): void {
  const given = (name: string) =>
    inputs[name] || inputs[Object.keys(ALIASES).find(a => ALIASES[a] === name) ?? '']
  expect(settings.appId).toMatch(/^d[a-z0-9]+$/)
  expect(settings.appId.length).toBeLessThanOrEqual(20)
  expect(settings.appId).toBe(given('app-id'))
  expect(settings.branchName.length).toBeGreaterThanOrEqual(1)
  expect(settings.branchName.length).toBeLessThanOrEqual(255)
  expect(settings.branchName).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/) // eslint-disable-line no-control-regex
  expect(settings.branchName).not.toMatch(/\p{Cs}/u) // no lone surrogate
  if (given('branch-name')) expect(settings.branchName).toBe(given('branch-name'))
  if (settings.jobId !== undefined) {
    expect(settings.jobId).toMatch(/^[0-9]{1,255}$/)
    expect(settings.jobId).toBe(given('job-id'))
    expect(settings.keepNewest).toBe(false)
    expect(settings.commitId).toBeUndefined()
  } else expect(given('job-id') ?? '').toBe('')
  expect(['warn', 'ignore', 'fail']).toContain(settings.ifNoJob)
  expect(settings.ifNoJob).toBe((inputs['if-no-job'] || 'warn').toLowerCase())
  expect(settings.region).toMatch(/^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/)
  expect(settings.region).toBe(inputs['aws-region'] || env.AWS_REGION || env.AWS_DEFAULT_REGION)
  for (const [input, key] of [
    ['wait', 'wait'],
    ['keep-newest', 'keepNewest'],
    ['dry-run', 'dryRun']
  ] as const) {
    expect(settings[key]).toBe(inputs[input] ? YAML_BOOLEANS[inputs[input]] : false)
  }
  expect(Number.isInteger(settings.waitTimeoutSeconds)).toBe(true)
  expect(settings.waitTimeoutSeconds).toBeGreaterThanOrEqual(1)
  expect(settings.waitTimeoutSeconds).toBeLessThanOrEqual(MAX_WAIT_TIMEOUT_SECONDS)
  if (inputs['wait-timeout']) expect(settings.waitTimeoutSeconds).toBe(Number(inputs['wait-timeout']))
  if (settings.commitId !== undefined) {
    expect(settings.commitId).toMatch(/^[0-9a-f]{7,64}$/)
    expect(settings.commitId).toBe(inputs['commit-id'].toLowerCase())
  } else expect(inputs['commit-id'] ?? '').toBe('')
}

/** Text of every kind: any code point, control characters, lone surrogates, and payloads. */
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({
    unit: fc.constantFrom('\u0000', '\n', '\r', '\t', '\u001b', '\u0085', '\u2028', '\ud800', '\udc00')
  }),
  // Printable text with halves of surrogate pairs, which may stand alone.
  fc.string({
    unit: fc.constantFrom('a', 'Z', '9', '/', '-', '.', ' ', 'é', '%', ':', '\ud83d', '\ude00', '\udfff')
  }),
  fc.constantFrom(
    '',
    ' ',
    'true',
    'TRUE',
    'yes',
    '0',
    '1',
    '21600',
    '21601',
    'd',
    'd1',
    'us-east-1',
    '::error::x'
  ),
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
  'wait-timeout': fc.constantFrom('', '1', '300', '21600'),
  'keep-newest': fc.constantFrom('', 'false', 'TRUE'),
  'commit-id': fc.constantFrom('', 'abcdef0', '0123456789ABCDEF0123456789abcdef01234567'),
  'dry-run': fc.constantFrom('', 'true', 'false')
}

const anyEvent: fc.Arbitrary<EventContext> = fc.record(
  {
    eventName: fc.oneof(
      fc.constantFrom('push', 'pull_request', 'pull_request_target', 'workflow_dispatch'),
      anyText
    ),
    ref: fc.oneof(
      anyText.map(s => `refs/heads/${s}`),
      anyText.map(s => `refs/tags/${s}`),
      anyText
    ),
    pullRequestHeadRef: anyText
  },
  { requiredKeys: ['eventName', 'ref'] }
)

const anyEnv = fc.record(
  { AWS_REGION: anyText, AWS_DEFAULT_REGION: anyText },
  { requiredKeys: [] }
) as fc.Arbitrary<NodeJS.ProcessEnv>

/** Runs parseSettings and checks the only two allowed results. */
async function parsesOrNamesAnInput(
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
  event: EventContext
): Promise<void> {
  let settings: Settings
  try {
    settings = await parse(inputs, env, event)
  } catch (error) {
    if (!(error instanceof InputError))
      throw new Error(`Not an InputError: ${String(error)}`, { cause: error })
    expect(INPUTS.filter(i => !(i in ALIASES))).toContain(error.input)
    expect(error.message).toMatch(
      error.input === 'aws-region' ? /aws-region|AWS_(DEFAULT_)?REGION/ : new RegExp(`\\b${error.input}\\b`)
    )
    expect(error.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/) // eslint-disable-line no-control-regex
    return
  }
  expectValidSettings(settings, inputs, env)
}

const FUZZ_RUNS = { everyInputArbitrary: 1500, oneInputHostile: 2000, eventAndEnvironment: 1000 }

describe('for any text in any input, parseSettings returns valid Settings or a named InputError', () => {
  it('every input arbitrary at once', async () => {
    const everyInput = fc.record(Object.fromEntries(INPUTS.map(name => [name, anyText])), {
      requiredKeys: []
    })
    await expect(
      fc.assert(
        fc.asyncProperty(everyInput, anyEnv, anyEvent, (inputs, env, event) =>
          parsesOrNamesAnInput(inputs as Inputs, env, event)
        ),
        { numRuns: FUZZ_RUNS.everyInputArbitrary }
      )
    ).resolves.toBeUndefined()
  })

  it('plausible inputs with one of them (or its alias) hostile', async () => {
    const base = fc.record(plausible)
    await expect(
      fc.assert(
        fc.asyncProperty(base, fc.constantFrom(...INPUTS), anyText, (inputs, hostile, value) =>
          parsesOrNamesAnInput(withInput(hostile, value, inputs), REGION_ENV, PUSH_TO_MAIN)
        ),
        { numRuns: FUZZ_RUNS.oneInputHostile }
      )
    ).resolves.toBeUndefined()
  })

  it('plausible inputs, the branch from an arbitrary event, the region from an arbitrary environment', async () => {
    const base = fc.record({ ...plausible, 'branch-name': fc.constant(''), 'aws-region': fc.constant('') })
    await expect(
      fc.assert(
        fc.asyncProperty(base, anyEnv, anyEvent, (inputs, env, event) =>
          parsesOrNamesAnInput(inputs, env, event)
        ),
        { numRuns: FUZZ_RUNS.eventAndEnvironment }
      )
    ).resolves.toBeUndefined()
  })
})

// ---- Through dist/index.js: one ::error::, naming the input, and no request -------------------------

describe('through dist/index.js, a bad input fails with one ::error:: and sends no request', () => {
  const form = (input: string) => ACCEPTED_FORM[input]
  it.each([
    ['app-id', { 'app-id': 'D1A2B3' }, {}, form('app-id')],
    ['app-id', { 'app-id': '' }, {}, /Input app-id is required/],
    ['app-id', { 'app-id': 'd1', appId: 'd2' }, {}, /Inputs app-id and appId .* set only one of them/],
    ['app-id', { 'app-id': '', appId: 'd1;rm' }, {}, form('app-id')],
    ['branch-name', { 'branch-name': 'a\n::error::b' }, {}, form('branch-name')],
    ['branch-name', { 'branch-name': 'x'.repeat(256) }, {}, form('branch-name')],
    [
      'branch-name',
      { 'branch-name': '' },
      { event: { name: 'push', ref: 'refs/tags/v1.0.0' } },
      /tag "v1.0.0"/
    ],
    ['job-id', { 'job-id': '12abc' }, {}, form('job-id')],
    ['job-id', { jobId: '-1' }, {}, form('job-id')],
    ['if-no-job', { 'if-no-job': 'sometimes' }, {}, form('if-no-job')],
    ['aws-region', { 'aws-region': 'mars-north-1a' }, {}, form('aws-region')],
    [
      'aws-region',
      {},
      { region: '', env: { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined } },
      /No AWS region: set the aws-region input/
    ],
    ['wait', { wait: 'yes' }, {}, form('wait')],
    ['wait-timeout', { 'wait-timeout': '0' }, {}, form('wait-timeout')],
    ['wait-timeout', { 'wait-timeout': '86400' }, {}, form('wait-timeout')],
    ['keep-newest', { 'keep-newest': '1' }, {}, form('keep-newest')],
    ['keep-newest', { 'keep-newest': 'true', 'job-id': '1' }, {}, /cannot be combined with job-id/],
    ['commit-id', { 'commit-id': 'abc' }, {}, form('commit-id')],
    ['dry-run', { 'dry-run': 'on' }, {}, form('dry-run')]
  ] as const)('%s: %j', async (named, inputs, run, message) => {
    const server = await startServer()
    server.addJob(APP_ID, 'main', { status: 'RUNNING' })
    const result = await runAgainst(server, { inputs: { ...VALID, ...inputs }, ...(run as object) })
    expect(result.exitCode).toBe(1)
    expect(server.requests).toEqual([])
    expect(result.annotations.map(a => a.command)).toEqual(['error'])
    expect(result.annotations[0].message).toMatch(
      named === 'aws-region' ? /region/ : new RegExp(`Inputs? ${named}`)
    )
    expect(result.annotations[0].message).toMatch(message)
    expectOnlyOwnCommands(result.stdout)
    expect(result.outputs).toEqual({})
    expect(server.getJob(APP_ID, 'main', '1').status).toBe('RUNNING')
  })
})
