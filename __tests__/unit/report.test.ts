// What the action shows: step outputs (the real GITHUB_OUTPUT file), log lines, and the step summary (the
// real GITHUB_STEP_SUMMARY file), with untrusted text kept inert everywhere.
import { describe, it, expect, beforeAll, beforeEach, afterEach, afterAll } from '@jest/globals'
import type { JobOutcome, JobResult } from '../../src/jobs.js'
import {
  consoleUrl,
  describeOutcome,
  firstLine,
  html,
  inertLine,
  jobsOutput,
  logOutcomes,
  logQuote,
  setOutputs,
  stoppedCount,
  writeSummary
} from '../../src/report.js'
import type { Settings } from '../../src/settings.js'
import { RunnerFiles, captureStdout, setEnv } from './github-files.js'

const SHA = 'abcdef0123456789abcdef0123456789abcdef01'
const arn = (id: string) =>
  `arn:aws:amplify:us-east-1:123456789012:apps/d1/branches/main/jobs/${id.padStart(10, '0')}`

function outcome(
  jobId: string,
  result: JobResult,
  status: string,
  extra: Partial<JobOutcome> & { commitMessage?: string; commitId?: string | null } = {}
): JobOutcome {
  const { commitMessage = 'Fix the login page\n\nLonger body', commitId = SHA, ...rest } = extra
  return {
    job: {
      jobId,
      jobArn: arn(jobId),
      status,
      ...(commitId === null ? {} : { commitId }),
      commitMessage
    },
    result,
    ...rest
  }
}

const settings: Settings = {
  appId: 'd1a2b3c4d5e6f7',
  branchName: 'main',
  branchSource: 'input',
  ifNoJob: 'warn',
  region: 'eu-west-1',
  wait: false,
  waitTimeoutSeconds: 300,
  keepNewest: false,
  dryRun: false
}

describe('jobsOutput', () => {
  it('has one object per outcome, in the given order, with the contract fields', () => {
    const json = jobsOutput([
      outcome('8', 'stopped', 'CANCELLING', { previousStatus: 'RUNNING' }),
      outcome('7', 'already-ended', 'SUCCEED')
    ])
    expect(JSON.parse(json)).toEqual([
      {
        jobId: '8',
        jobArn: arn('8'),
        status: 'CANCELLING',
        previousStatus: 'RUNNING',
        commitId: SHA,
        result: 'stopped'
      },
      { jobId: '7', jobArn: arn('7'), status: 'SUCCEED', commitId: SHA, result: 'already-ended' }
    ])
  })

  it('omits previousStatus when unknown and commitId when the job has none', () => {
    const [item] = JSON.parse(
      jobsOutput([outcome('7', 'stopped', 'CANCELLING', { commitId: null })])
    ) as object[]
    expect(Object.keys(item)).toEqual(['jobId', 'jobArn', 'status', 'result'])
  })

  it('includes the error of a failed stop', () => {
    const [item] = JSON.parse(
      jobsOutput([
        outcome('7', 'failed', 'RUNNING', { previousStatus: 'RUNNING', error: 'Amplify failed StopJob' })
      ])
    ) as Record<string, unknown>[]
    expect(item).toMatchObject({ result: 'failed', error: 'Amplify failed StopJob' })
  })

  it('is [] with no outcome', () => {
    expect(jobsOutput([])).toBe('[]')
  })

  it('is one line even when the commit has newlines (it is not in the output at all)', () => {
    expect(jobsOutput([outcome('7', 'stopped', 'CANCELLING')])).not.toContain('\n')
  })
})

describe('stoppedCount', () => {
  it('counts only jobs StopJob accepted', () => {
    const results: JobResult[] = [
      'stopped',
      'stopped',
      'already-ended',
      'already-stopping',
      'would-stop',
      'kept',
      'failed'
    ]
    expect(stoppedCount(results.map((r, i) => outcome(String(i), r, 'RUNNING')))).toBe(2)
  })
})

describe('describeOutcome: one log line per job', () => {
  it.each<[JobResult, string, Partial<JobOutcome>, string]>([
    [
      'stopped',
      'CANCELLING',
      { previousStatus: 'RUNNING' },
      'Stopped job 7 on branch "main" (RUNNING → CANCELLING), commit abcdef0 "Fix the login page"'
    ],
    [
      'stopped',
      'CANCELLING',
      {},
      'Stopped job 7 on branch "main" (CANCELLING), commit abcdef0 "Fix the login page"'
    ],
    [
      'already-ended',
      'SUCCEED',
      {},
      'Job 7 on branch "main" had already ended (SUCCEED); nothing to stop, commit abcdef0 "Fix the login page"'
    ],
    [
      'already-stopping',
      'CANCELLING',
      { previousStatus: 'CANCELLING' },
      'Job 7 on branch "main" is already stopping (CANCELLING); not stopped again, commit abcdef0 "Fix the login page"'
    ],
    [
      'would-stop',
      'RUNNING',
      { previousStatus: 'RUNNING' },
      'Would stop job 7 on branch "main" (RUNNING); dry run, no StopJob sent, commit abcdef0 "Fix the login page"'
    ],
    [
      'kept',
      'PENDING',
      { previousStatus: 'PENDING' },
      'Kept job 7 on branch "main" running (PENDING): it is the newest, commit abcdef0 "Fix the login page"'
    ],
    [
      'failed',
      'RUNNING',
      { previousStatus: 'RUNNING', error: 'Amplify refused StopJob\n::error::x' },
      'Could not stop job 7 on branch "main" (RUNNING): Amplify refused StopJob ::error::x, commit abcdef0 "Fix the login page"'
    ]
  ])('%s (%s)', (result, status, extra, line) => {
    expect(describeOutcome(outcome('7', result, status, extra), 'main')).toBe(line)
  })

  it('leaves out the commit part when the job has no commit (a manual deployment)', () => {
    expect(
      describeOutcome(outcome('7', 'stopped', 'CANCELLING', { commitId: null, commitMessage: '' }), 'main')
    ).toBe('Stopped job 7 on branch "main" (CANCELLING)')
  })

  it('keeps a commit message line such as ::error::x inside the line, quoted', () => {
    const line = describeOutcome(
      outcome('7', 'stopped', 'CANCELLING', { commitMessage: '::error::x\n::add-mask::y' }),
      'feature/"quoted"\u2028::warning::z'
    )
    expect(line).toBe(
      'Stopped job 7 on branch "feature/\\"quoted\\" ::warning::z" (CANCELLING), commit abcdef0 "::error::x"'
    )
    expect(line).not.toMatch(/[\n\r\u2028]/)
  })
})

describe('logOutcomes', () => {
  it('writes one line per job, a notice for already-ended, and no untrusted text at the start of a line', () => {
    const out = captureStdout()
    try {
      logOutcomes(
        [
          outcome('8', 'stopped', 'CANCELLING', { commitMessage: '::add-mask::secret\r\n::error::x' }),
          outcome('7', 'already-ended', 'FAILED', { commitMessage: 'Merge\r::stop-commands::tok' })
        ],
        { ...settings, branchName: 'main' }
      )
    } finally {
      out.restore()
    }
    expect(out.lines()).toEqual([
      'Stopped job 8 on branch "main" (CANCELLING), commit abcdef0 "::add-mask::secret"',
      '::notice::Job 7 on branch "main" had already ended (FAILED); nothing to stop, commit abcdef0 "Merge"'
    ])
  })
})

describe('firstLine', () => {
  it.each([
    ['one line', 'one line'],
    ['subject\nbody', 'subject'],
    ['subject\r\nbody', 'subject'],
    ['subject\rbody', 'subject'],
    ['', '']
  ])('%j → %j', (text, expected) => {
    expect(firstLine(text)).toBe(expected)
  })

  it('shortens a long line to 100 characters with an ellipsis', () => {
    const line = firstLine('x'.repeat(150))
    expect(line).toHaveLength(100)
    expect(line.endsWith('…')).toBe(true)
    expect(firstLine('y'.repeat(100))).toBe('y'.repeat(100))
  })
})

describe('inertLine and logQuote never leave a line break', () => {
  const breakers = [
    '\n',
    '\r',
    '\r\n',
    '\u0000',
    '\u001b[31m',
    '\u0085',
    '\u2028',
    '\u2029',
    '\u007f',
    '\t',
    '\v',
    '\f'
  ]

  it.each(breakers.map(b => [JSON.stringify(b), b]))('%s becomes a space', (_, breaker) => {
    expect(inertLine(`a${breaker}::error::x`)).toMatch(/^a ( |\[31m)?::error::x$/)
    const quoted = logQuote(`a${breaker}::error::x`)
    // eslint-disable-next-line no-control-regex
    expect(quoted).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/)
    expect(quoted.startsWith('"a')).toBe(true)
  })

  it('logQuote escapes quotes and backslashes', () => {
    expect(logQuote('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"')
  })

  it('keeps other Unicode as it is', () => {
    expect(inertLine('héllo → 世界 🚀')).toBe('héllo → 世界 🚀')
  })
})

describe('html', () => {
  it.each([
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert&#40;1&#41;&gt;'],
    ['](javascript:alert(1))', '&#93;&#40;javascript:alert&#40;1&#41;&#41;'],
    ['[click](https://evil.example)', '&#91;click&#93;&#40;https://evil.example&#41;'],
    ['a | b', 'a &#124; b'],
    ['`code`', '&#96;code&#96;'],
    ['line1\nline2', 'line1 line2'],
    ['"\'&', '&quot;&#39;&amp;'],
    [
      '**bold** _em_ ~~s~~ # h !x \\',
      '&#42;&#42;bold&#42;&#42; &#95;em&#95; &#126;&#126;s&#126;&#126; &#35; h &#33;x &#92;'
    ],
    ['plain text 123', 'plain text 123']
  ])('%j → %j', (text, expected) => {
    expect(html(text)).toBe(expected)
  })

  it('leaves no character that HTML or Markdown would act on', () => {
    const escaped = html('<>"\'`|[]()*_~\\!#&\n')
    // once the character references themselves are set aside, nothing active is left
    expect(escaped.replace(/&(#[0-9]+|[a-z]+);/g, '')).toBe(' ')
  })
})

describe('consoleUrl', () => {
  it("links to the branch's deployments, with the branch encoded", () => {
    expect(consoleUrl({ region: 'eu-west-1', appId: 'd1', branchName: 'feature/login' })).toBe(
      'https://eu-west-1.console.aws.amazon.com/amplify/apps/d1/branches/feature%2Flogin/deployments'
    )
  })

  it('cannot leave the href attribute', () => {
    const url = consoleUrl({ region: 'eu-west-1', appId: 'd1', branchName: `x" onmouseover="alert(1)` })
    expect(url).not.toContain('"')
    expect(url).not.toContain(' ')
  })
})

describe('on the runner: setOutputs and writeSummary write the real files', () => {
  const files = new RunnerFiles()
  let restoreEnv: () => void
  let out: ReturnType<typeof captureStdout>

  beforeAll(() => {
    restoreEnv = setEnv({ GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary })
  })
  beforeEach(() => {
    files.clear()
    out = captureStdout()
  })
  afterEach(() => out.restore())
  afterAll(() => {
    restoreEnv()
    files.remove()
  })

  describe('setOutputs', () => {
    it('names the newest job acted on, and lists every job', () => {
      const outcomes = [
        outcome('10', 'stopped', 'CANCELLING', { previousStatus: 'PENDING' }),
        outcome('11', 'kept', 'PENDING', { previousStatus: 'PENDING' }),
        outcome('9', 'stopped', 'CANCELLING', { previousStatus: 'RUNNING' }),
        outcome('8', 'already-ended', 'SUCCEED')
      ]
      setOutputs(outcomes)
      const outputs = files.outputs()
      expect(outputs).toEqual({
        'job-id': '10',
        'job-arn': arn('10'),
        status: 'CANCELLING',
        jobs: jobsOutput(outcomes),
        'stopped-count': '2'
      })
      expect((JSON.parse(outputs.jobs) as { jobId: string }[]).map(j => j.jobId)).toEqual([
        '10',
        '11',
        '9',
        '8'
      ])
      expect(out.lines().filter(l => l.startsWith('::set-output'))).toEqual([])
    })

    it("with no job found, the outputs are '', '', '', '[]' and '0'", () => {
      setOutputs([])
      expect(files.outputs()).toEqual({
        'job-id': '',
        'job-arn': '',
        status: '',
        jobs: '[]',
        'stopped-count': '0'
      })
    })

    it('with only a kept job, job-id and status are empty but jobs lists it', () => {
      setOutputs([outcome('11', 'kept', 'RUNNING', { previousStatus: 'RUNNING' })])
      const outputs = files.outputs()
      expect(outputs).toMatchObject({ 'job-id': '', 'job-arn': '', status: '', 'stopped-count': '0' })
      expect(JSON.parse(outputs.jobs)).toEqual([
        {
          jobId: '11',
          jobArn: arn('11'),
          status: 'RUNNING',
          previousStatus: 'RUNNING',
          commitId: SHA,
          result: 'kept'
        }
      ])
    })

    it('a dry run stops nothing: stopped-count is 0', () => {
      setOutputs([outcome('5', 'would-stop', 'RUNNING', { previousStatus: 'RUNNING' })])
      expect(files.outputs()).toMatchObject({ 'job-id': '5', status: 'RUNNING', 'stopped-count': '0' })
    })
  })

  describe('writeSummary', () => {
    it('writes a table of the jobs with a link to the console, and escapes untrusted text', async () => {
      await writeSummary({
        settings: { ...settings, branchName: 'feature/<b>x</b>' },
        outcomes: [
          outcome('8', 'stopped', 'CANCELLING', {
            previousStatus: 'RUNNING',
            commitMessage: '<img src=x onerror=alert(1)> [x](javascript:alert(1)) | `y`\nsecond line'
          }),
          outcome('7', 'already-ended', 'SUCCEED', { commitId: null, commitMessage: '' })
        ]
      })
      const text = files.summaryText()
      expect(text).toContain('<h3>Amplify: 1 job stopped</h3>')
      expect(text).toContain(
        'App <code>d1a2b3c4d5e6f7</code> in <code>eu-west-1</code>, branch <a href="https://eu-west-1.console.aws.amazon.com/amplify/apps/d1a2b3c4d5e6f7/branches/feature%2F%3Cb%3Ex%3C%2Fb%3E/deployments"><code>feature/&lt;b&gt;x&lt;/b&gt;</code></a>'
      )
      expect(text).toContain('<th>Job</th><th>Result</th><th>Status</th><th>Commit</th><th>Message</th>')
      expect(text).toContain(
        '<td>stopped</td><td>RUNNING → CANCELLING</td><td><code>abcdef0</code></td><td>&lt;img src=x onerror=alert&#40;1&#41;&gt; &#91;x&#93;&#40;javascript:alert&#40;1&#41;&#41; &#124; &#96;y&#96;</td>'
      )
      // @actions/core writes an empty cell as a bare <td> (HTML closes it implicitly)
      expect(text).toMatch(/<td>already-ended<\/td><td>SUCCEED<\/td><td>(<\/td>)?<td>(<\/td>)?<\/tr>/)
      expect(text).not.toContain('<img')
      expect(text).not.toContain('second line')
      expect(text).not.toContain('](javascript')
      expect(text).not.toContain('Waited')
    })

    it('in a dry run, says so in the title and the branch line', async () => {
      await writeSummary({
        settings: { ...settings, dryRun: true },
        outcomes: [outcome('5', 'would-stop', 'RUNNING', { previousStatus: 'RUNNING' })]
      })
      const text = files.summaryText()
      expect(text).toContain('<h3>Amplify jobs that would be stopped</h3>')
      expect(text).toContain('(dry run: no StopJob sent)')
      expect(text).toContain('<td>would-stop</td><td>RUNNING</td>')
    })

    it('with no job, says there was none', async () => {
      await writeSummary({ settings, outcomes: [] })
      const text = files.summaryText()
      expect(text).toContain('<h3>Amplify: 0 jobs stopped</h3>')
      expect(text).toContain('<p>No job in progress.</p>')
      expect(text).not.toContain('<table>')
    })

    it('after a wait, shows the final status and how long the wait took', async () => {
      await writeSummary({
        settings: { ...settings, wait: true },
        outcomes: [
          outcome('9', 'stopped', 'CANCELLED', { previousStatus: 'RUNNING' }),
          outcome('8', 'stopped', 'CANCELLED', { previousStatus: 'PENDING' })
        ],
        waitedMs: 12_345
      })
      const text = files.summaryText()
      expect(text).toContain('<h3>Amplify: 2 jobs stopped</h3>')
      expect(text).toContain('<td>RUNNING → CANCELLED</td>')
      expect(text).toContain('<p>Waited 12.3 s for the jobs to end.</p>')
    })

    it('without GITHUB_STEP_SUMMARY, writes nothing and does not fail', async () => {
      const summaryFile = process.env.GITHUB_STEP_SUMMARY
      delete process.env.GITHUB_STEP_SUMMARY
      try {
        await writeSummary({ settings, outcomes: [] })
      } finally {
        process.env.GITHUB_STEP_SUMMARY = summaryFile
      }
      expect(files.summaryText()).toBe('')
    })

    it('with no job, gives the reason when there is one, escaped', async () => {
      await writeSummary({ settings, outcomes: [], note: 'Branch "pr-<7>" was not found.' })
      expect(files.summaryText()).toContain('<p>Branch &quot;pr-&lt;7&gt;&quot; was not found.</p>')
    })
  })
})
