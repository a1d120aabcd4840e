#!/usr/bin/env node
// README's Inputs and Outputs tables, generated from action.yml: every input and output by name, with its
// description and default. action.yml is the one source; the tables sit between marker comments in README.md
// (`<!-- inputs:start … -->` … `<!-- inputs:end -->`, the same for outputs) and everything else in README is
// left as it is. Each table is marked `<!-- prettier-ignore -->`, so `npm run format` leaves it as written here
// (unpadded: prettier would pad every row to the longest description, doubling the tables' size).
// The example workflows README shows in full, each under `<!-- example: docs/examples/<file>.yml -->`, are
// copied from their files the same way, so an edited example never leaves a stale copy behind.
//
//   node scripts/readme-tables.mjs            rewrite the tables and examples in README.md (npm run docs)
//   node scripts/readme-tables.mjs --check    exit 1 when README.md is not what action.yml and the examples say
//                                             (npm run docs:check; CI runs it)
//   --readme FILE, --action FILE              other files than README.md and action.yml (for the tests)
import { readFileSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { parse as parseYaml } from 'yaml'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const HINT = 'generated from action.yml by `npm run docs`: edit action.yml, then run it'

/** An input whose description starts "Alias of <input>" is listed in that input's row. */
const ALIAS = /^Alias of ([A-Za-z0-9_-]+)\b/

/** action.yml's inputs and outputs, aliases folded into the input they stand for. */
function readAction(text) {
  const action = parseYaml(text) ?? {}
  const entries = value => Object.entries(value ?? {}).map(([name, spec]) => ({ name, ...(spec ?? {}) }))
  const all = entries(action.inputs)
  const aliases = new Map()
  for (const input of all) {
    const of = ALIAS.exec(input.description ?? '')?.[1]
    if (!of) continue
    if (!all.some(other => other.name === of && !ALIAS.test(other.description ?? ''))) {
      throw new Error(`action.yml: ${input.name} is an alias of ${of}, which is not an input`)
    }
    aliases.set(of, [...(aliases.get(of) ?? []), input.name])
  }
  const inputs = all
    .filter(input => !ALIAS.test(input.description ?? ''))
    .map(input => ({ ...input, aliases: aliases.get(input.name) ?? [] }))
  const outputs = entries(action.outputs)
  for (const entry of [...all, ...outputs]) {
    if (!entry.description?.trim()) throw new Error(`action.yml: ${entry.name} has no description`)
  }
  return { inputs, outputs, names: [...all, ...outputs].map(entry => entry.name) }
}

/**
 * A description as Markdown: dashed input and output names, camelCase names (aliases, the fields of jobs),
 * environment variables, event names, IAM actions, `*` and placeholders such as pr-<number> become code, and
 * a pipe cannot end the cell.
 */
function markdown(description, names) {
  const code = [...names]
    .filter(name => name.includes('-')) // app-id; not wait or jobs, which are also words
    .sort((a, b) => b.length - a.length)
    .map(name => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  const token = new RegExp(
    [
      `(?<![\\w\`-])(?:${code.join('|')})(?![\\w\`-])`,
      '(?<![\\w`])(?:AWS|GITHUB|RUNNER)_[A-Z0-9_]+(?![\\w`])', // AWS_REGION, RUNNER_TEMP
      '(?<![\\w`])[a-z]+[A-Z][A-Za-z]*(?![\\w`])', // jobArn, previousStatus (the fields of jobs)
      '[\\w-]*<[\\w-]+>[\\w-]*', // pr-<number>
      '\\bamplify:[A-Za-z]+', // amplify:ListApps
      '(?<![\\w`])[a-z]+(?:_[a-z]+)+(?![\\w`])', // pull_request_target
      '(?<=^|\\s)\\*(?=\\s|$)' // * for every app
    ].join('|'),
    'g'
  )
  return description
    .trim()
    .replace(/\s*\n\s*/g, ' ')
    .replace(token, match => `\`${match}\``)
    .replace(/\|/g, '\\|')
}

/** The two tables, as Markdown. */
function tables(actionYml) {
  const { inputs, outputs, names } = readAction(actionYml)
  const row = cells => `| ${cells.join(' | ')} |`
  const name = entry =>
    [`\`${entry.name}\``, ...(entry.aliases ?? []).map(alias => `\`${alias}\``)].join(' or ')
  return {
    inputs: [
      row(['input', 'default', 'description']),
      row(['---', '---', '---']),
      ...inputs.map(input =>
        row([
          name(input),
          input.default === undefined || input.default === '' ? '' : `\`${input.default}\``,
          markdown(input.description, names)
        ])
      )
    ].join('\n'),
    outputs: [
      row(['output', 'description']),
      row(['---', '---']),
      ...outputs.map(output => row([name(output), markdown(output.description, names)]))
    ].join('\n')
  }
}

/** The text between a table's markers. */
const region = table => `\n\n<!-- prettier-ignore -->\n${table}\n\n`

const markers = name => ({
  start: new RegExp(`<!-- ${name}:start\\b[^\\n]*?-->`),
  end: `<!-- ${name}:end -->`
})

/** README with each table's region replaced; throws when a marker is missing. */
function generate(readme, actionYml, readmePath = path.join(root, 'README.md')) {
  const generated = tables(actionYml)
  let text = readme
  for (const name of ['inputs', 'outputs']) {
    const { start, end } = markers(name)
    const open = start.exec(text)
    const close = open ? text.indexOf(end, open.index) : -1
    if (!open || close < 0) {
      throw new Error(
        `${path.basename(readmePath)} has no "<!-- ${name}:start -->" … "${end}" markers: put them where the ${name} table goes`
      )
    }
    const eol = readme.includes('\r\n') ? '\r\n' : '\n' // a checkout with Windows line endings stays as it is
    const body = `<!-- ${name}:start: ${HINT} -->${region(generated[name])}`.replace(/\n/g, eol)
    text = text.slice(0, open.index) + body + text.slice(close)
  }
  return withExamples(text)
}

/** Each yaml block under an `<!-- example: path -->` line, replaced by that file (a path from the root). */
function withExamples(readme) {
  const eol = readme.includes('\r\n') ? '\r\n' : '\n'
  const block = /^(<!-- example: (\S+) -->\r?\n(?:\r?\n)*(`{3,})ya?ml\r?\n)[\s\S]*?^\3[ \t]*$/gm
  return readme.replace(block, (whole, head, file, fence) => {
    let text
    try {
      text = readFileSync(path.join(root, file), 'utf8')
    } catch {
      throw new Error(`README shows ${file} under an example marker, and there is no such file`)
    }
    return `${head}${text.replace(/\r?\n/g, eol)}${fence}`
  })
}

async function main() {
  const { values } = parseArgs({
    options: {
      check: { type: 'boolean', default: false },
      readme: { type: 'string', default: path.join(root, 'README.md') },
      action: { type: 'string', default: path.join(root, 'action.yml') }
    }
  })
  const readmePath = path.resolve(values.readme)
  const [readme, actionYml] = await Promise.all([
    readFile(readmePath, 'utf8'),
    readFile(values.action, 'utf8')
  ])
  const fresh = generate(readme, actionYml, readmePath)
  const shown = path.relative(process.cwd(), readmePath) || readmePath
  if (!values.check) {
    if (fresh !== readme) await writeFile(readmePath, fresh)
    console.log(
      `${shown}: inputs and outputs tables and examples ${fresh === readme ? 'already up to date' : 'regenerated'}`
    )
    return
  }
  if (fresh !== readme) {
    const line = firstDifferentLine(readme, fresh)
    console.error(
      `${shown} is stale: its inputs and outputs tables or the examples it shows are not what action.yml and ` +
        `docs/examples/ say (first difference at line ${line}).\n` +
        'Run `npm run docs` to regenerate them, and commit README.md. Edit action.yml and the examples, not README.'
    )
    process.exitCode = 1
    return
  }
  console.log(`${shown}: inputs and outputs tables and examples match action.yml and docs/examples/`)
}

function firstDifferentLine(a, b) {
  const x = a.split('\n')
  const y = b.split('\n')
  let i = 0
  while (i < x.length && x[i] === y[i]) i++
  return i + 1
}

main().catch(error => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
