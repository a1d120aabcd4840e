/**
 * Readers for the repository's metadata, shared by the tests in this folder: action.yml through the
 * official schema (@actions/workflow-parser), the README's tables and yaml blocks, the workflow files,
 * and the input and output names the source code reads and writes (found in its syntax tree).
 *
 * The comparisons return lists of problems instead of asserting, so the tests can also feed them a
 * deliberately broken copy and check that the problem is caught.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'
import {
  convertActionTemplate,
  parseAction,
  type ActionTemplate
} from '@actions/workflow-parser/actions/index'
import ts from 'typescript'
import { parse as parseYaml } from 'yaml'
import { ROOT } from '../support/action-runner.js'

export { ROOT }

export function readRepoFile(relativePath: string): string {
  return readFileSync(path.join(ROOT, relativePath), 'utf8')
}

/** Repository-relative paths of the files in a folder whose names match, sorted. */
export function listRepoFiles(folder: string, pattern: RegExp): string[] {
  return readdirSync(path.join(ROOT, folder))
    .filter(name => pattern.test(name))
    .sort()
    .map(name => `${folder}/${name}`)
}

export interface TextFile {
  path: string
  text: string
}

// ---------------------------------------------------------------------------------------------------
// action.yml and workflows, through the official schema

export interface ParsedManifest {
  /** Schema violations, as "file (Line: n, Col: n): message". */
  errors: string[]
  template: ActionTemplate
}

/** Validates an action manifest against the action.yml schema GitHub's own tooling uses. */
export function parseActionManifest(text: string, name = 'action.yml'): ParsedManifest {
  const result = parseAction({ name, content: text }, new NoOperationTraceWriter())
  const errors = result.context.errors.getErrors().map(error => error.message)
  const template =
    result.value === undefined ? ({} as ActionTemplate) : convertActionTemplate(result.context, result.value)
  return { errors, template }
}

/** Schema violations of a workflow file against the workflow schema GitHub's own tooling uses. */
export function workflowSchemaErrors(text: string, name: string): string[] {
  const result = parseWorkflow({ name, content: text }, new NoOperationTraceWriter())
  return result.context.errors.getErrors().map(error => error.message)
}

export interface ActionNames {
  inputs: string[]
  outputs: string[]
  /** alias -> the input it is an alias of, from descriptions that start with "Alias of <input>". */
  aliases: Map<string, string>
  /** input -> its default, for inputs that have one. */
  defaults: Map<string, string>
}

export function actionNames(template: ActionTemplate): ActionNames {
  const inputs = template.inputs ?? []
  const aliases = new Map<string, string>()
  const defaults = new Map<string, string>()
  for (const input of inputs) {
    const alias = /^Alias of ([A-Za-z0-9_-]+)\b/.exec(input.description ?? '')
    if (alias) aliases.set(input.id, alias[1])
    if (input.default !== undefined) defaults.set(input.id, input.default.toDisplayString())
  }
  return {
    inputs: inputs.map(input => input.id),
    outputs: (template.outputs ?? []).map(output => output.id),
    aliases,
    defaults
  }
}

// ---------------------------------------------------------------------------------------------------
// README

/** The first Markdown table under "## <heading>", as rows of trimmed cells (header and separator dropped). */
export function readmeTable(readme: string, heading: string): string[][] {
  const lines = readme.split('\n')
  const start = lines.findIndex(line => line.trim() === `## ${heading}`)
  if (start < 0) return []
  const rows: string[][] = []
  for (let i = start + 1; i < lines.length && !lines[i].startsWith('## '); i++) {
    const line = lines[i].trim()
    if (!line.startsWith('|')) {
      if (rows.length > 0) break
      continue
    }
    rows.push(splitTableRow(line))
  }
  return rows.slice(2)
}

/** Splits "| a | `b \| c` |" into cells, honouring escaped pipes. */
function splitTableRow(line: string): string[] {
  const cells = line
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
  return cells.map(cell => cell.trim().replace(/\\\|/g, '|'))
}

/** The name in a table's first cell: exactly one backticked name, else the raw cell (which then mismatches). */
export function tableName(cell: string): string {
  const match = /^`([^`]+)`$/.exec(cell)
  return match ? match[1] : cell
}

export interface YamlBlock {
  /** 1-based line of the opening fence. */
  line: number
  /** The block's text, each line ending in a newline, as a file holding it would read. */
  content: string
  /** The path named by an `<!-- example: path -->` comment just above the fence (blank lines between are allowed: prettier adds one). */
  example?: string
}

export function readmeYamlBlocks(readme: string): YamlBlock[] {
  const lines = readme.split('\n')
  const blocks: YamlBlock[] = []
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(`{3,}|~{3,})\s*(ya?ml)\s*$/.exec(lines[i])
    if (!fence) continue
    const body: string[] = []
    let j = i + 1
    for (; j < lines.length && lines[j] !== fence[1]; j++) body.push(lines[j])
    let above = i - 1
    while (above >= 0 && lines[above].trim() === '') above--
    const marker = above >= 0 ? /^<!--\s*example:\s*(\S+)\s*-->$/.exec(lines[above].trim()) : null
    blocks.push({
      line: i + 1,
      content: body.map(line => `${line}\n`).join(''),
      example: marker?.[1]
    })
    i = j
  }
  return blocks
}

/** A YAML document that has both `on` and `jobs` at the top: a workflow, as opposed to a fragment. */
export function isWorkflow(text: string): boolean {
  try {
    const value: unknown = parseYaml(text)
    return typeof value === 'object' && value !== null && 'on' in value && 'jobs' in value
  } catch {
    return false
  }
}

/**
 * Every README yaml block that is a workflow is marked with the docs/examples file it shows and equals
 * it byte for byte; every example file is shown in the README.
 */
export function readmeExampleProblems(readme: string, examples: readonly TextFile[]): string[] {
  const problems: string[] = []
  const byPath = new Map(examples.map(file => [file.path, file.text]))
  const shown = new Set<string>()
  for (const block of readmeYamlBlocks(readme)) {
    if (!block.example) {
      if (isWorkflow(block.content)) {
        problems.push(
          `README line ${block.line}: a workflow example with no "<!-- example: docs/examples/….yml -->" line above it`
        )
      }
      continue
    }
    const text = byPath.get(block.example)
    if (text === undefined) {
      problems.push(`README line ${block.line}: ${block.example} does not exist`)
      continue
    }
    if (shown.has(block.example)) problems.push(`README line ${block.line}: ${block.example} is shown twice`)
    shown.add(block.example)
    if (text !== block.content) {
      problems.push(
        `README line ${block.line}: the block differs from ${block.example} ${firstDifference(block.content, text)}`
      )
    }
  }
  for (const file of examples) {
    if (!shown.has(file.path)) problems.push(`${file.path} is not shown in the README`)
  }
  return problems
}

function firstDifference(readme: string, file: string): string {
  const a = readme.split('\n')
  const b = file.split('\n')
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i])
      return `(line ${i + 1} of the block: ${JSON.stringify(a[i])} vs ${JSON.stringify(b[i])})`
  }
  return ''
}

// ---------------------------------------------------------------------------------------------------
// The names the code reads and writes

export interface SourceNames {
  /** input name -> where it is read ("src/file.ts:line") */
  inputs: Map<string, string[]>
  /** output name -> where it is set */
  outputs: Map<string, string[]>
  /** [input, alias] pairs read together through readAliased(). */
  aliasPairs: Array<[string, string]>
  /** Reads or writes whose name the scan cannot see, so that it cannot vouch for the lists above. */
  unresolved: string[]
}

const INPUT_GETTERS = new Set(['getInput', 'getBooleanInput', 'getMultilineInput'])
const INPUT_READER = 'readInput'
const OUTPUT_SETTER = 'setOutput'

/**
 * Finds, in the syntax tree of the source files, every input the code reads and every output it sets:
 * `readInput('x')`, `core.getInput('x')`, helpers handed the reader (`readAliased(readInput, 'x', 'y')`,
 * `parseBoolean(readInput, 'x', …)`) and `core.setOutput('x', …)`. A name that is not a string literal is
 * only accepted when it is a parameter of the enclosing function (a helper passing a name through);
 * anything else is reported as unresolved rather than silently missed.
 */
export function scanSourceNames(files: readonly TextFile[]): SourceNames {
  const names: SourceNames = { inputs: new Map(), outputs: new Map(), aliasPairs: [], unresolved: [] }
  for (const file of files) {
    const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS)
    const where = (node: ts.Node): string =>
      `${file.path}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`
    const add = (map: Map<string, string[]>, name: string, node: ts.Node): void => {
      map.set(name, [...(map.get(name) ?? []), where(node)])
    }

    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteralLike(node) && /^INPUT_/.test(node.text)) {
        names.unresolved.push(
          `${where(node)}: reads ${node.text} from the environment instead of through the input reader`
        )
      }
      if (ts.isCallExpression(node)) {
        const callee = calleeName(node)
        if (callee === INPUT_READER || (callee !== undefined && INPUT_GETTERS.has(callee))) {
          nameArgument(node, 'input', name => add(names.inputs, name, node))
        } else if (callee === OUTPUT_SETTER) {
          nameArgument(node, 'output', name => add(names.outputs, name, node))
        } else if (node.arguments.some(arg => ts.isIdentifier(arg) && arg.text === INPUT_READER)) {
          readerHelperCall(node, callee)
        }
      }
      if (ts.isIdentifier(node) && (node.text === INPUT_READER || INPUT_GETTERS.has(node.text))) {
        checkReaderUse(node)
      }
      ts.forEachChild(node, visit)
    }

    /** readInput('x'), core.getInput('x'), core.setOutput('x', …) */
    const nameArgument = (call: ts.CallExpression, kind: string, record: (name: string) => void): void => {
      const arg = call.arguments[0]
      if (arg && ts.isStringLiteralLike(arg)) record(arg.text)
      else if (!(arg && isParameterOfEnclosingFunction(arg))) {
        names.unresolved.push(
          `${where(call)}: ${kind} name ${arg ? arg.getText(source) : '(none)'} is not a string literal`
        )
      }
    }

    /** A helper handed the reader: its string-literal arguments are input names. */
    const readerHelperCall = (call: ts.CallExpression, callee: string | undefined): void => {
      const literals = call.arguments.filter(ts.isStringLiteralLike).map(arg => arg.text)
      const others = call.arguments.filter(
        arg => !ts.isStringLiteralLike(arg) && !(ts.isIdentifier(arg) && arg.text === INPUT_READER)
      )
      const opaque = others.filter(
        arg =>
          !isParameterOfEnclosingFunction(arg) &&
          arg.kind !== ts.SyntaxKind.TrueKeyword &&
          arg.kind !== ts.SyntaxKind.FalseKeyword &&
          !ts.isNumericLiteral(arg)
      )
      if (literals.length === 0 || opaque.length > 0) {
        names.unresolved.push(
          `${where(call)}: ${call.getText(source)} hands the reader a name the scan cannot see`
        )
      }
      for (const name of literals) add(names.inputs, name, call)
      if (callee === 'readAliased' && literals.length === 2) names.aliasPairs.push([literals[0], literals[1]])
    }

    /** The reader may only be declared, called, or handed to a helper. */
    const checkReaderUse = (id: ts.Identifier): void => {
      const parent = id.parent
      if (ts.isParameter(parent) && parent.name === id) return // (readInput: InputReader)
      if (ts.isCallExpression(parent) && parent.expression === id) return // readInput('x')
      if (ts.isCallExpression(parent) && parent.arguments.includes(id)) return // helper(readInput, 'x')
      if (ts.isPropertyAccessExpression(parent) && parent.name === id) {
        if (ts.isCallExpression(parent.parent) && parent.parent.expression === parent) return // core.getInput('x')
      }
      if (ts.isImportSpecifier(parent) || ts.isFunctionDeclaration(parent)) return
      names.unresolved.push(
        `${where(id)}: ${id.text} is used in a way the scan cannot follow (${parent.getText(source)})`
      )
    }

    visit(source)
  }
  return names
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression
  if (ts.isIdentifier(callee)) return callee.text
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text
  return undefined
}

function isParameterOfEnclosingFunction(node: ts.Node): boolean {
  if (!ts.isIdentifier(node)) return false
  for (let scope: ts.Node | undefined = node.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope)) {
      return scope.parameters.some(param => ts.isIdentifier(param.name) && param.name.text === node.text)
    }
  }
  return false
}

// ---------------------------------------------------------------------------------------------------
// The three must agree

export interface NameSources {
  actionYml: string
  readme: string
  src: readonly TextFile[]
}

/** Where action.yml, the README's tables and the code disagree about the inputs and outputs. */
export function nameProblems({ actionYml, readme, src }: NameSources): string[] {
  const problems: string[] = []
  const action = actionNames(parseActionManifest(actionYml).template)
  const code = scanSourceNames(src)
  problems.push(...code.unresolved)

  const inputRows = readmeTable(readme, 'Inputs')
  const outputRows = readmeTable(readme, 'Outputs')
  const readmeInputs = inputRows.map(row => tableName(row[0]))
  const readmeOutputs = outputRows.map(row => tableName(row[0]))
  if (inputRows.length === 0) problems.push('README has no table under "## Inputs"')
  if (outputRows.length === 0) problems.push('README has no table under "## Outputs"')

  const primaryInputs = action.inputs.filter(name => !action.aliases.has(name))
  problems.push(
    ...differences('input', 'action.yml', action.inputs, 'the code (src/)', [...code.inputs.keys()])
  )
  problems.push(...differences('input', 'action.yml', primaryInputs, "README's Inputs table", readmeInputs))
  problems.push(
    ...differences('output', 'action.yml', action.outputs, 'the code (src/)', [...code.outputs.keys()])
  )
  problems.push(
    ...differences('output', 'action.yml', action.outputs, "README's Outputs table", readmeOutputs)
  )

  for (const [alias, primary] of action.aliases) {
    if (!primaryInputs.includes(primary))
      problems.push(`action.yml: ${alias} is an alias of ${primary}, which is not an input`)
    if (!readme.includes(`\`${alias}\``)) problems.push(`README does not mention the alias \`${alias}\``)
    if (!code.aliasPairs.some(([name, other]) => name === primary && other === alias)) {
      problems.push(
        `the code does not read ${alias} as an alias of ${primary} (readAliased(readInput, '${primary}', '${alias}'))`
      )
    }
  }
  for (const [name, other] of code.aliasPairs) {
    if (action.aliases.get(other) !== name) {
      problems.push(
        `the code reads ${other} as an alias of ${name}, but action.yml does not describe it as "Alias of ${name}"`
      )
    }
  }

  for (const row of inputRows) {
    const name = tableName(row[0])
    const declared = action.defaults.get(name)
    if (declared !== undefined && row[1] !== `\`${declared}\``) {
      problems.push(`input ${name}: README's default is ${row[1] ?? '(none)'}, action.yml's is ${declared}`)
    }
  }
  return problems
}

function differences(
  kind: string,
  leftName: string,
  left: readonly string[],
  rightName: string,
  right: readonly string[]
): string[] {
  const problems: string[] = []
  for (const name of new Set(left)) {
    if (!right.includes(name)) problems.push(`${kind} ${name} is in ${leftName} but not in ${rightName}`)
  }
  for (const name of new Set(right)) {
    if (!left.includes(name)) problems.push(`${kind} ${name} is in ${rightName} but not in ${leftName}`)
  }
  for (const [list, listName] of [
    [left, leftName],
    [right, rightName]
  ] as const) {
    const duplicates = list.filter((name, i) => list.indexOf(name) !== i)
    for (const name of new Set(duplicates)) problems.push(`${kind} ${name} is listed twice in ${listName}`)
  }
  return problems
}

export function sourceFiles(): TextFile[] {
  return listRepoFiles('src', /\.ts$/).map(file => ({ path: file, text: readRepoFile(file) }))
}
