// The bounds text.ts keeps, and what it removes before anything is cut. That untrusted text stays inert
// wherever it is written is security/injection.test.ts's property, over every writer.
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { boundedLines, MAX_LINE, redactedServiceMessage, shortened } from '../../src/text.js'

describe('shortened', () => {
  it.each([
    ['abc', 3, 'abc'],
    ['abcd', 3, 'ab…'],
    ['ab😀cd', 4, 'ab…'], // the pair would be split: left out whole
    ['a😀cd', 4, 'a😀…']
  ])('%j to %i: %j', (text, max, expected) => {
    expect(shortened(text, max)).toBe(expected)
  })

  it('is at most max code units, a prefix of the text, and never splits a surrogate pair', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '😀', '\ud800', 'é'), maxLength: 50 })
    fc.assert(
      fc.property(text, fc.integer({ min: 2, max: 40 }), (t, max) => {
        const cut = shortened(t, max)
        expect(cut.length).toBeLessThanOrEqual(max)
        const kept = cut === t ? t : cut.slice(0, -1)
        expect(t.startsWith(kept)).toBe(true)
        // The cut never falls between the two halves of a pair.
        expect(/[\ud800-\udbff]$/.test(kept) && /^[\udc00-\udfff]/.test(t.slice(kept.length))).toBe(false)
      })
    )
  })
})

it('boundedLines cuts each line to MAX_LINE characters and keeps every line', () => {
  const text = ['x'.repeat(MAX_LINE + 1), 'short', '', 'y'.repeat(5000)].join('\n')
  expect(boundedLines(text).split('\n')).toEqual([
    `${'x'.repeat(MAX_LINE - 1)}…`,
    'short',
    '',
    `${'y'.repeat(MAX_LINE - 1)}…`
  ])
})

describe('redactedServiceMessage: what a service said, inert, short, and without credentials', () => {
  const KEY = 'AKIAIOSFODNN7EXAMPLE'
  const SIGNATURE = 'fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024'
  const TOKEN = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+abc/def=='
  const HEADER = `AWS4-HMAC-SHA256 Credential=${KEY}/20300101/eu-west-1/amplify/aws4_request, SignedHeaders=host;x-amz-date, Signature=${SIGNATURE}`

  it.each([
    [
      `Authorization header requires 'Signature'. Authorization=${HEADER}, X-Amz-Security-Token=${TOKEN}`,
      "Authorization header requires 'Signature'. Authorization=[redacted], X-Amz-Security-Token=[redacted]"
    ],
    [`authorization: ${HEADER.replace('AWS4', 'aws4')}\nnext`, 'authorization: [redacted] next'],
    [
      `GET /apps?X-Amz-Signature=${SIGNATURE}&X-Amz-Security-Token=${TOKEN}&x=1`,
      'GET /apps?X-Amz-Signature=[redacted]&X-Amz-Security-Token=[redacted]&x=1'
    ],
    [
      `'POST\n/apps\n\nhost:amplify.eu-west-1.amazonaws.com\nx-amz-security-token:${TOKEN}\n'`,
      "'POST /apps host:amplify.eu-west-1.amazonaws.com x-amz-security-token:[redacted] '"
    ],
    [
      '  The security token\r\n\tincluded\u2028in the request\u0000is invalid.\n',
      'The security token included in the request is invalid.'
    ]
  ])('%j → %j', (said, redacted) => {
    expect(redactedServiceMessage(said)).toBe(redacted)
  })

  it('redacts before it shortens, so a cut never leaves part of a secret', () => {
    for (let pad = 250; pad < 320; pad++) {
      const said = `${'x'.repeat(pad)} Signature=${SIGNATURE} X-Amz-Security-Token=${TOKEN}`
      const text = redactedServiceMessage(said)
      expect(text.length).toBeLessThanOrEqual(300)
      for (const secret of [SIGNATURE, TOKEN])
        for (const part of [secret.slice(0, 8), secret.slice(-8)]) expect(text).not.toContain(part)
    }
  })
})
