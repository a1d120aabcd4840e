// action.yml: valid for the schema GitHub's own tooling uses, runs the committed bundle on node24, and describes
// every input and output. README's inputs and outputs tables are what scripts/readme-tables.mjs generates from
// action.yml (`npm run docs:check`, which CI runs too). Which inputs the code reads is for the settings tests.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { NoOperationTraceWriter } from '@actions/workflow-parser'
import { convertActionTemplate, parseAction } from '@actions/workflow-parser/actions/index'
import { ROOT } from '../support/action-runner.js'

const actionYml = readFileSync(path.join(ROOT, 'action.yml'), 'utf8')
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')

const parsed = parseAction({ name: 'action.yml', content: actionYml }, new NoOperationTraceWriter())
const manifest = convertActionTemplate(parsed.context, parsed.value!)
const inputs = manifest.inputs ?? []
const outputs = manifest.outputs ?? []

describe('action.yml against the official action metadata schema', () => {
  it('has no schema errors', () => {
    expect(parsed.context.errors.getErrors().map(error => error.message)).toEqual([])
  })

  it('runs dist/index.js on node24, and that file is committed', () => {
    expect(manifest.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
    expect(existsSync(path.join(ROOT, 'dist/index.js'))).toBe(true)
  })

  it('has a name, a description and Marketplace branding', () => {
    expect(manifest.name).toBeTruthy()
    expect(manifest.description?.length).toBeGreaterThan(20)
    // The schema checks icon and colour against the Marketplace's lists; here: both are set.
    expect(manifest.branding?.icon).toBeTruthy()
    expect(manifest.branding?.color).toBeTruthy()
  })

  it('describes every input and every output', () => {
    expect(inputs.length).toBeGreaterThan(0)
    expect(outputs.length).toBeGreaterThan(0)
    const undescribed = [...inputs, ...outputs].filter(entry => !entry.description?.trim())
    expect(undescribed.map(entry => entry.id)).toEqual([])
  })

  it('marks no input required, since app-id may be given as appId (the code demands one of them)', () => {
    expect(inputs.filter(input => input.required).map(input => input.id)).toEqual([])
  })
})

describe("README's inputs and outputs tables, generated from action.yml", () => {
  const docsCheck = (...args: string[]) =>
    spawnSync(process.execPath, ['scripts/readme-tables.mjs', '--check', ...args], {
      cwd: ROOT,
      encoding: 'utf8'
    })

  it('are up to date (npm run docs:check)', () => {
    const result = docsCheck()
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
  })

  it('name every input and output', () => {
    const missing = [...inputs, ...outputs].map(entry => entry.id).filter(id => !readme.includes(`\`${id}\``))
    expect(missing).toEqual([])
  })

  it('are reported stale, with what to do, when action.yml gains an input README does not show', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'readme-tables-'))
    try {
      const changed = path.join(dir, 'action.yml')
      writeFileSync(
        changed,
        actionYml.replace(/^inputs:\n/m, 'inputs:\n  new-input:\n    description: Something new.\n')
      )
      const result = docsCheck('--action', changed)
      expect(result.status).toBe(1)
      expect(result.stderr).toMatch(
        /README\.md is stale: its inputs and outputs tables or the examples it shows/
      )
      expect(result.stderr).toMatch(/Run `npm run docs`/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
