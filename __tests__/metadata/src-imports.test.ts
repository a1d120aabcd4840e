// The layout CONTRIBUTING describes holds: no import cycle in src/ (type-only imports included), one module
// imports the SDK, one reads inputs, the words have one import name, and the pure modules do no I/O.
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const SRC = fileURLToPath(new URL('../../src', import.meta.url))
const modules = readdirSync(SRC).filter(name => name.endsWith('.ts'))
const text = new Map(modules.map(name => [name, readFileSync(path.join(SRC, name), 'utf8')]))
/** Every module a file imports, `import type` included: `./x.js` as `x.ts`, packages as written. */
const imports = new Map(
  modules.map(name => [
    name,
    [...(text.get(name) ?? '').matchAll(/^import [^;]*?from '([^']+)'/gms)].map(([, from]) =>
      from.startsWith('./') ? from.slice(2).replace(/\.js$/, '.ts') : from
    )
  ])
)

/** An import cycle through `start`, as the path that closes it, or undefined. */
function cycleFrom(start: string): string[] | undefined {
  const walk = (name: string, trail: string[]): string[] | undefined => {
    for (const next of imports.get(name) ?? []) {
      if (next === start) return [...trail, next]
      if (imports.has(next) && !trail.includes(next)) {
        const found = walk(next, [...trail, next])
        if (found) return found
      }
    }
    return undefined
  }
  return walk(start, [start])
}

describe('src/', () => {
  it('has no import cycle, type-only imports included', () => {
    expect(modules.map(cycleFrom).filter(Boolean)).toEqual([])
  })

  it('talks to the SDK in amplify.ts only, and reads inputs in settings.ts only', () => {
    const importers = (pattern: RegExp) =>
      modules.filter(name => imports.get(name)?.some(from => pattern.test(from)))
    expect(importers(/^@aws-sdk\/|^@smithy\//)).toEqual(['amplify.ts'])
    expect(modules.filter(name => /\bgetInput\(/.test(text.get(name) ?? ''))).toEqual(['settings.ts'])
  })

  it('imports the words under one name, messages, wherever they are used', () => {
    const imported = [...text.values()].flatMap(source => [
      ...source.matchAll(/^import (.*) from '\.\/messages\.js'/gm)
    ])
    expect(new Set(imported.map(([, what]) => what))).toEqual(new Set(['* as messages']))
  })

  it('keeps the vocabulary, the planner, the conclusion and the wording free of I/O', () => {
    for (const pure of [
      'types.ts',
      'jobs.ts',
      'errors.ts',
      'text.ts',
      'messages.ts',
      'plan.ts',
      'conclude.ts'
    ])
      expect({ pure, imports: imports.get(pure)?.filter(from => !from.endsWith('.ts')) }).toEqual({
        pure,
        imports: []
      })
  })
})
