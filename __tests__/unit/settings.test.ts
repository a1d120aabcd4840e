// Input parsing, driven through the pure parseSettings(readInput, env, loadEvent): every input's accepted
// and rejected forms, and where the branch and region come from when they are not given.
import { jest, describe, it, expect } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { branchFromEvent, parseSettings, type EventContext } from '../../src/settings.js'

type Inputs = Record<string, string>

const REGION_ENV = { AWS_REGION: 'us-east-1' }
const PUSH_TO_MAIN: EventContext = { eventName: 'push', ref: 'refs/heads/main' }

/** Inputs as the runner gives them: unset inputs read as ''. */
function reader(inputs: Inputs): (name: string) => string {
  return name => inputs[name] ?? ''
}

function parse(inputs: Inputs, env: NodeJS.ProcessEnv = REGION_ENV, event: EventContext = PUSH_TO_MAIN) {
  return parseSettings(reader(inputs), env, async () => event)
}

const base: Inputs = { 'app-id': 'd1a2b3c4d5e6f7', 'branch-name': 'main' }

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

describe('given only app-id and branch-name', () => {
  it('discovers jobs with every default', async () => {
    expect(await parse(base)).toEqual({
      appId: 'd1a2b3c4d5e6f7',
      branchName: 'main',
      branchSource: 'input',
      jobId: undefined,
      ifNoJob: 'warn',
      region: 'us-east-1',
      wait: false,
      waitTimeoutSeconds: 300,
      keepNewest: false,
      commitId: undefined,
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
    expect((await parse({ ...base, 'app-id': appId })).appId).toBe(appId)
  })

  it('is required, and the error says what an app id looks like', async () => {
    const error = await inputError({ 'branch-name': 'main' })
    expect(error.input).toBe('app-id')
    expect(error.message).toMatch(/app-id is required/)
    expect(error.message).toMatch(/d1a2b3c4d5e6f7/)
  })

  it.each([
    ['upper case', 'D1A2B3'],
    ['no leading d', 'a1b2c3'],
    ['a bare d', 'd'],
    ['21 characters', `d${'1'.repeat(20)}`],
    ['punctuation', 'd1-2'],
    ['an ARN', 'arn:aws:amplify:us-east-1:123:apps/d1'],
    ['white space inside', 'd1 2']
  ])('rejects %s (%j), naming the input', async (_, appId) => {
    const error = await inputError({ ...base, 'app-id': appId })
    expect(error.input).toBe('app-id')
    expect(error.message).toContain(JSON.stringify(appId))
    expect(error.message).toMatch(/is not an Amplify app id/)
  })

  it('keeps a long bad value short and control characters visible in the message', async () => {
    const error = await inputError({ ...base, 'app-id': `d\n${'x'.repeat(200)}` })
    expect(error.message).not.toContain('\n')
    expect(error.message).toContain('"d\\nxxx')
    expect(error.message).toContain('…')
    expect(error.message.length).toBeLessThan(300)
  })
})

describe('the API-style aliases appId, branchName and jobId', () => {
  it('accept the value under the alias alone', async () => {
    const settings = await parse({ appId: 'd9', branchName: 'dev', jobId: '12' })
    expect(settings).toMatchObject({ appId: 'd9', branchName: 'dev', branchSource: 'input', jobId: '12' })
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
    expect(settings).toMatchObject({ appId: 'd9', branchName: 'dev', jobId: '3' })
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
      expect(settings.branchName).toBe('feature/login')
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
    expect(settings.branchName).toBe('feature/x')
    expect(settings.branchSource).toBe('ref')
  })

  it('ignores a head ref on events that are not pull requests', async () => {
    const settings = await parse(appOnly, REGION_ENV, {
      eventName: 'workflow_dispatch',
      ref: 'refs/heads/main',
      pullRequestHeadRef: 'other'
    })
    expect(settings.branchName).toBe('main')
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
    expect(settings.branchName).toBe('main')
  })

  it('branchFromEvent refuses refs/heads/ with nothing after it only through validation', async () => {
    // refs/heads/ gives an empty name, which the length check then rejects
    expect(branchFromEvent({ eventName: 'push', ref: 'refs/heads/' }).branchName).toBe('')
    const error = await inputError(appOnly, REGION_ENV, { eventName: 'push', ref: 'refs/heads/' })
    expect(error.input).toBe('branch-name')
  })
})

describe('branch-name', () => {
  it.each(['pr-42', 'feature/login', 'a', 'x'.repeat(255), 'ünïcødé branch'])('accepts %j', async name => {
    expect((await parse({ ...base, 'branch-name': name })).branchName).toBe(name)
  })

  it.each([
    ['256 characters', 'x'.repeat(256)],
    ['a newline', 'main\n::error::x'],
    ['a tab', 'a\tb'],
    ['a line separator', 'a\u2028b'],
    ['a C1 control', 'a\u0085b']
  ])('rejects %s', async (_, name) => {
    const error = await inputError({ ...base, 'branch-name': name })
    expect(error.input).toBe('branch-name')
    expect(error.message).toMatch(/1 to 255 characters with no control characters/)
    expect(error.message).not.toMatch(/[\n\t\u2028\u0085]/)
  })

  it.each([
    ['a line separator', 'a\u2028b', '"a\\u2028b"'],
    ['a C1 control (NEL)', 'a\u0085b', '"a\\u0085b"'],
    ['a newline', 'a\n::error::x', '"a\\n::error::x"']
  ])('quotes %s in the error as a visible escape', async (_, name, quoted) => {
    const error = await inputError({ ...base, 'branch-name': name })
    expect(error.message).toContain(`Input branch-name ${quoted} is not a branch name`)
  })
})

describe('job-id', () => {
  it.each(['1', '42', '0000000042', '9'.repeat(255)])('accepts %j, kept as given', async jobId => {
    expect((await parse({ ...base, 'job-id': jobId })).jobId).toBe(jobId)
  })

  it.each(['-1', '4.2', '0x1', 'abc', '42 ', '１２', '9'.repeat(256)])('rejects %j', async jobId => {
    const error = await inputError({ ...base, 'job-id': jobId })
    expect(error.input).toBe('job-id')
    expect(error.message).toMatch(/must be digits only/)
  })

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
  it('a bad app-id fails without loading the event', async () => {
    const loadEvent = jest.fn(async (): Promise<EventContext> => PUSH_TO_MAIN)
    await expect(parseSettings(reader({ 'app-id': 'X' }), REGION_ENV, loadEvent)).rejects.toBeInstanceOf(
      InputError
    )
    expect(loadEvent).not.toHaveBeenCalled()
  })
})
