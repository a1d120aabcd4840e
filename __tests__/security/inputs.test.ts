// Input validation is total: every input of action.yml has an accepted form, every bad value fails with an
// InputError that names the input, quotes the value and states that form; and for any text at all in any
// input, the parser returns valid Settings or a named InputError, never anything else. That an input error
// fails the step with one ::error:: and before any request is shown through the bundle, one row per input,
// in e2e/failures.e2e.test.ts.
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { InputError } from '../../src/errors.js'
import {
  MAX_WAIT_TIMEOUT_SECONDS,
  parseSettings,
  type EventContext,
  type Settings
} from '../../src/settings.js'
import { ACTION_INPUTS } from '../support/harness.js'

type Inputs = Record<string, string>

const INPUTS = ACTION_INPUTS
const APP_ID = 'd1a2b3c4d5e6f7'
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
  'app-id': /d followed by lower-case letters and digits, 20 characters at most|give either \* or a list/,
  'branch-name':
    /1 to 255 characters with no control characters|a Git ref|it has no number|give either \* or a list/,
  'job-id': /digits only|arn:aws:amplify:<region>:<account>:apps\/<app-id>\/branches\/<branch>\/jobs\/<id>/,
  'older-than': /plain seconds \(5400\), or lower-case units d, h, m, s/,
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
  'd1 2', // a list of two: d1, and 2, which is no app id
  'd1,,D2',
  '*,d1', // every app, and one more
  'd1\u0000',
  'd\uff11', // a full-width digit
  'dé1',
  'arn:aws:amplify:us-east-1:123456789012:apps/d1',
  '../d1',
  'd1/branches/main',
  'd1%0A',
  '::error::d1',
  'd1;rm -rf /',
  'd1;rm'
]
const BAD_BRANCHES = [
  'x'.repeat(256),
  'a\rb',
  'a\r::error::b',
  'main,a\u0000b', // one bad name of a list
  ' , ', // separators only
  '*,main',
  'refs/heads/main', // github.ref instead of github.ref_name
  'main\nrefs/pull/7/merge',
  'pr-', // the preview expression outside a pull request
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
  '1\n2',
  '12a',
  '12abc',
  'arn:aws:amplify:us-east-1:123456789012:apps/d1/branches/main', // no job
  'arn:aws:amplify:us-east-1:123456789012:apps/d1/branches/main/jobs/x',
  'arn:awsx:amplify:us-east-1:123456789012:apps/d1/branches/main/jobs/1',
  'arn:aws:amplify:us-east-1:1234:apps/d1/branches/main/jobs/1',
  'arn:aws:amplify:mars:123456789012:apps/d1/branches/main/jobs/1',
  'arn:aws:amplify:us-east-1:123456789012:apps/D1/branches/main/jobs/1',
  'arn:aws:amplify:us-east-1:123456789012:apps/d1/branches/a\nb/jobs/1'
]
const BAD_OLDER_THAN = [
  '2 hours',
  '-5m',
  '0',
  'soon',
  '31d',
  '30m1h',
  '2H',
  '1h 30m',
  '0s',
  '2592001',
  'h',
  '1.5h',
  'ms'
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
  '86400',
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
  'if-no-job': ['sometimes', 'warning', 'no', 'stop', 'fail ', 'true', 'warn,ignore', 'ıgnore', 'waRn\u0000'],
  'aws-region': [
    'us-east',
    'US-EAST-1',
    'us_east_1',
    'useast1',
    'us-east-1a',
    'mars',
    'mars-north-1a',
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
  'commit-id': [
    'abc',
    'abc12',
    'abc123',
    'g'.repeat(7),
    'zzzzzzz',
    '0'.repeat(65),
    '1234567 ',
    'HEAD',
    'main',
    'abcdef0\n',
    'abcdéf01'
  ],
  'dry-run': BAD_BOOLEANS,
  'older-than': BAD_OLDER_THAN
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
    // A short printable value is quoted as given, so the user sees what was wrong with it (for a list, the
    // name in it that was wrong).
    const list =
      (named === 'app-id' && /[\s,]/.test(value)) || (named === 'branch-name' && /[,\n]/.test(value))
    const printable = !list && /^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,80}$/.test(value)
    expect(inputError.message).toContain(printable ? `"${value}"` : `Input ${named}`)
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
  const fromArn = (given('job-id') ?? '').startsWith('arn:')
  if (settings.apps.kind === 'ids') {
    expect(settings.apps.ids.length).toBeGreaterThanOrEqual(1)
    for (const id of settings.apps.ids) {
      expect(id).toMatch(/^d[a-z0-9]+$/)
      expect(id.length).toBeLessThanOrEqual(20)
    }
    // each id as given, in order, once
    if (!fromArn)
      expect(settings.apps.ids).toEqual([
        ...new Set(
          given('app-id')
            .split(/[\s,]+/)
            .filter(Boolean)
        )
      ])
  } else expect(given('app-id').trim()).toBe('*')
  if (settings.branches.kind === 'names') {
    expect(settings.branches.names.length).toBeGreaterThanOrEqual(1)
    for (const name of settings.branches.names) {
      expect(name.length).toBeGreaterThanOrEqual(1)
      expect(name.length).toBeLessThanOrEqual(255)
      expect(name).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/) // eslint-disable-line no-control-regex
      expect(name).not.toMatch(/\p{Cs}/u) // no lone surrogate
    }
    if (given('branch-name') && !fromArn) {
      const names = given('branch-name')
        .split(/[,\n]/)
        .map(name => name.replace(/^[ \t\r]+|[ \t\r]+$/g, ''))
        .filter(Boolean)
      expect(settings.branches.names).toEqual([...new Set(names)])
    }
  }
  if (settings.jobId !== undefined) {
    expect(settings.jobId).toMatch(/^[0-9]{1,255}$/)
    if (!fromArn) expect(settings.jobId).toBe(given('job-id'))
    expect(settings.keepNewest).toBe(false)
    expect(settings.commitId).toBeUndefined()
    expect(settings.olderThanSeconds).toBeUndefined()
    expect(settings.apps.kind === 'ids' && settings.apps.ids.length === 1).toBe(true)
    expect(settings.branches.kind === 'names' && settings.branches.names.length === 1).toBe(true)
  } else expect(given('job-id') ?? '').toBe('')
  if (settings.olderThanSeconds !== undefined) {
    expect(Number.isInteger(settings.olderThanSeconds)).toBe(true)
    expect(settings.olderThanSeconds).toBeGreaterThanOrEqual(1)
    expect(settings.olderThanSeconds).toBeLessThanOrEqual(30 * 86400)
  } else expect(inputs['older-than'] ?? '').toBe('')
  expect(['warn', 'ignore', 'fail']).toContain(settings.ifNoJob)
  expect(settings.ifNoJob).toBe((inputs['if-no-job'] || 'warn').toLowerCase())
  expect(settings.region).toMatch(/^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/)
  if (!fromArn) expect(settings.region).toBe(inputs['aws-region'] || env.AWS_REGION || env.AWS_DEFAULT_REGION)
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
  'dry-run': fc.constantFrom('', 'true', 'false'),
  'older-than': fc.constantFrom('', '5400', '90m', '1h30m', '30d')
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
