// npm run demo: the action working end to end with no AWS account. Starts the local Amplify-compatible server
// (real SigV4 checks, real job lifecycle) seeded with an app whose main branch has a build running, a newer one
// pending and an older one finished; runs the bundled dist/index.js against it exactly as a workflow step would
// (on a push to main, with wait: true); and prints what a user would see: the step's log, its outputs and its
// summary, then the requests the server received. Exits with the action's exit code.
import { runAction } from '../__tests__/support/action-runner.js'
import { startAmplifyServer, TEST_CREDENTIALS } from '../__tests__/support/amplify-server.js'

const APP_ID = 'd1a2b3c4d5e6f7'
const BRANCH = 'main'
const INPUTS = { 'app-id': APP_ID, wait: 'true' }

const bold = text => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text)
const heading = text => console.log(`\n${bold(`== ${text} `.padEnd(100, '='))}`)

const server = await startAmplifyServer({ cancelDelayMs: 1500 })
let exitCode
try {
  server.addJob(APP_ID, BRANCH, {
    status: 'SUCCEED',
    commitId: '8f14e45fceea167a5a36dedd4bea2543a1b2c3d4',
    commitMessage: 'Fix the footer links'
  })
  server.addJob(APP_ID, BRANCH, {
    status: 'RUNNING',
    commitId: 'c9f0f895fb98ab9159f51fd0297e236d5e6f7a8b',
    commitMessage: 'Add the pricing page\n\nWith monthly and yearly plans.'
  })
  server.addJob(APP_ID, BRANCH, {
    status: 'PENDING',
    commitId: '45c48cce2e2d7fbdea1afc51c7c6ad26b9c0d1e2',
    commitMessage: 'Tighten the pricing copy'
  })

  heading('Before: the Amplify branch (local server at ' + server.url + ')')
  for (const id of ['3', '2', '1']) {
    const job = server.getJob(APP_ID, BRANCH, id)
    console.log(
      `  job ${id}  ${job.status.padEnd(9)}  ${job.commitId?.slice(0, 7)}  ${job.commitMessage?.split('\n')[0]}`
    )
  }

  heading('The workflow step (on: push to main)')
  console.log('  - uses: amplify-stop-job/amplify-stop-job@v1')
  console.log('    with:')
  for (const [name, value] of Object.entries(INPUTS)) console.log(`      ${name}: ${value}`)

  const result = await runAction({
    inputs: INPUTS,
    event: { name: 'push', ref: `refs/heads/${BRANCH}`, payload: { ref: `refs/heads/${BRANCH}` } },
    endpoint: server.url,
    credentials: { ...TEST_CREDENTIALS },
    region: server.region
  })
  exitCode = result.exitCode

  heading(
    `Step log (node dist/index.js, exit code ${result.exitCode}, ${(result.durationMs / 1000).toFixed(1)} s)`
  )
  for (const line of result.stdout.split('\n').filter(Boolean)) console.log(`  ${renderLogLine(line)}`)
  for (const line of result.stderr.split('\n').filter(Boolean)) console.log(`  (stderr) ${line}`)

  heading('Step outputs (steps.<id>.outputs)')
  for (const [name, value] of Object.entries(result.outputs)) {
    if (name === 'jobs') {
      console.log('  jobs:')
      for (const line of JSON.stringify(JSON.parse(value), null, 2).split('\n')) console.log(`    ${line}`)
    } else {
      console.log(`  ${name}: ${value}`)
    }
  }

  heading('Step summary (GITHUB_STEP_SUMMARY, rendered as text)')
  console.log(renderSummary(result.summary).replace(/^/gm, '  '))

  heading('Requests the local Amplify server received')
  const start = server.requests[0]?.time ?? 0
  for (const r of server.requests) {
    const at = `+${String(r.time - start).padStart(5)} ms`
    console.log(
      `  ${at}  ${String(r.operation).padEnd(8)}  ${r.method.padEnd(6)}  ${r.path.padEnd(48)}  ${r.status}  (signature ${r.signature})`
    )
  }
  const getJobs = server.requestsFor('GetJob').length
  console.log(
    `\n  ${server.requests.length} requests; waiting cost ${getJobs} GetJob request${getJobs === 1 ? '' : 's'}.`
  )
  console.log(
    `\n${exitCode === 0 ? 'The step succeeded.' : `The step failed (exit code ${exitCode}).`} Try the tests: npm test`
  )
} finally {
  await server.close()
}
process.exitCode = exitCode

/** A log line as the runner shows it: workflow commands become their annotation, debug lines are hidden. */
function renderLogLine(line) {
  const command = /^::(error|warning|notice|debug)[^:]*::(.*)$/.exec(line)
  if (!command) return line
  const message = command[2].replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
  const label = { error: 'Error', warning: 'Warning', notice: 'Notice', debug: 'Debug' }[command[1]]
  return `${label}: ${message}`
}

/** The summary's HTML (headings, paragraphs, one table) as plain text, the table with aligned columns. */
function renderSummary(html) {
  const text = fragment =>
    fragment
      .replace(/<[^>]*>/g, '')
      .replace(/&(#\d+|amp|lt|gt|quot);/g, (_, name) =>
        name.startsWith('#')
          ? String.fromCharCode(Number(name.slice(1)))
          : { amp: '&', lt: '<', gt: '>', quot: '"' }[name]
      )
      .replace(/\s+/g, ' ')
      .trim()
  const blocks = []
  const pattern = /<h(\d)>([\s\S]*?)<\/h\1>|<p>([\s\S]*?)<\/p>|<table>([\s\S]*?)<\/table>/g
  for (const [, level, head, paragraph, table] of html.matchAll(pattern)) {
    if (head !== undefined) blocks.push(`${'#'.repeat(Number(level))} ${text(head)}`)
    else if (paragraph !== undefined) {
      // keep the link target of the branch, as a reader could follow it
      const link = /<a href="([^"]+)"/.exec(paragraph)?.[1]
      blocks.push(text(paragraph) + (link ? `\n  (${text(link)})` : ''))
    } else {
      const rows = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row]) =>
        [...row.matchAll(/<t[hd]>([\s\S]*?)<\/t[hd]>/g)].map(([, cell]) => text(cell))
      )
      const widths = rows[0].map((_, i) => Math.max(...rows.map(row => (row[i] ?? '').length)))
      const line = row => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`
      blocks.push(
        [line(rows[0]), `|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join(
          '\n'
        )
      )
    }
  }
  return blocks.join('\n\n')
}
