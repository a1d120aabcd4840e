// Each sanitiser's guarantee: text from others (branch names, commit messages, service messages, bad input)
// can never start a log line, leak a credential, or become markup.
import { describe, it, expect } from '@jest/globals'
import fc from 'fast-check'
import {
  firstLine,
  hasLineBreaking,
  html,
  inertLine,
  logQuote,
  quoteValue,
  redactedServiceMessage
} from '../../src/text.js'

// eslint-disable-next-line no-control-regex
const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/** Every character that can end or rewrite a line: C0, DEL, C1, and the Unicode line and paragraph separators. */
const BREAKERS = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)),
  ...Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i)),
  '\u2028',
  '\u2029'
]

/** Text of every kind: any code point, every breaker, lone surrogates, and workflow-command payloads. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: fc.constantFrom(...BREAKERS, 'a', ' ', ':', '\ud800', '\udc00', 'é', '"', '\\') }),
  fc.constantFrom('::error::x', '\n::add-mask::secret', '\r\n::stop-commands::tok', '\u2028::warning::y')
)

describe('hasLineBreaking', () => {
  it.each(BREAKERS.map(c => [c.charCodeAt(0).toString(16).padStart(4, '0'), c]))(
    'U+%s breaks a line',
    (_, c) => {
      expect(hasLineBreaking(`a${c}b`)).toBe(true)
    }
  )

  it.each(['main', 'feature/é → 世界 🚀', '\u00a0', '\u200b', ' ', ''])('%j does not', text => {
    expect(hasLineBreaking(text)).toBe(false)
  })
})

describe('inertLine: part of one log line', () => {
  it.each(BREAKERS.map(c => [c.charCodeAt(0).toString(16).padStart(4, '0'), c]))(
    'U+%s becomes a space',
    (_, c) => {
      expect(inertLine(`a${c}::error::x`)).toBe('a ::error::x')
    }
  )

  it('turns each run of breakers into one space, and keeps everything else', () => {
    expect(inertLine('a\r\n\u2028\u0085b\n\nc')).toBe('a b c')
    expect(inertLine('\u001b[31mred')).toBe(' [31mred')
    expect(inertLine('héllo → 世界 🚀 \u00a0"\\')).toBe('héllo → 世界 🚀 \u00a0"\\')
  })

  it('no breaker survives any text', () => {
    fc.assert(
      fc.property(anyText, text => {
        const inert = inertLine(text)
        expect(inert).not.toMatch(LINE_BREAKING)
        expect(hasLineBreaking(inert)).toBe(false)
        // only breakers are touched: the rest is there, in order
        expect(inert.replace(/ /g, '')).toBe(text.replace(new RegExp(`${LINE_BREAKING.source}| `, 'g'), ''))
      })
    )
  })
})

describe('logQuote: quoted for a log line', () => {
  it.each([
    ['main', '"main"'],
    ['say "hi" \\ bye', '"say \\"hi\\" \\\\ bye"'],
    ['a\n::error::x', '"a ::error::x"'],
    ['a\u2028b\u0085c', '"a b c"'],
    ['', '""']
  ])('%j → %s', (text, quoted) => {
    expect(logQuote(text)).toBe(quoted)
  })

  it('is always one JSON string of the inert text, with no breaker', () => {
    fc.assert(
      fc.property(anyText, text => {
        const quoted = logQuote(text)
        expect(quoted).not.toMatch(LINE_BREAKING)
        expect(JSON.parse(quoted)).toBe(inertLine(text))
      })
    )
  })
})

describe('quoteValue: a value the user gave, for an error message', () => {
  it.each([
    ['d1', '"d1"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['\u0000', '"\\u0000"'],
    ['\u001b[0m', '"\\u001b[0m"'],
    ['\u007f', '"\\u007f"'],
    ['\u0085', '"\\u0085"'],
    ['\u009f', '"\\u009f"'],
    ['a\u2028b\u2029c', '"a\\u2028b\\u2029c"'],
    // JSON's own short escapes for these: still escaped, never dropped
    ['a\nb', '"a\\nb"'],
    ['\r\t', '"\\r\\t"'],
    ['é 世界', '"é 世界"']
  ])('%j → %s', (value, quoted) => {
    expect(quoteValue(value)).toBe(quoted)
  })

  it('shortens at 80 characters with an ellipsis, after which escapes apply', () => {
    expect(quoteValue('x'.repeat(80))).toBe(`"${'x'.repeat(80)}"`)
    expect(quoteValue('x'.repeat(81))).toBe(`"${'x'.repeat(80)}…"`)
    expect(quoteValue(`${'\u0085'.repeat(81)}`)).toBe(`"${'\\u0085'.repeat(80)}…"`)
  })

  it('leaves no raw breaker, and says exactly what the value was', () => {
    fc.assert(
      fc.property(anyText, value => {
        const quoted = quoteValue(value)
        expect(quoted).not.toMatch(LINE_BREAKING)
        const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value
        expect(JSON.parse(quoted)).toBe(shown)
      })
    )
  })
})

describe('redactedServiceMessage: what a service said, inert and without credentials', () => {
  const KEY = 'AKIAIOSFODNN7EXAMPLE'
  const SIGNATURE = 'fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024'
  const TOKEN = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+abc/def=='
  const HEADER = `AWS4-HMAC-SHA256 Credential=${KEY}/20300101/eu-west-1/amplify/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=${SIGNATURE}`

  it.each([
    [
      'the Authorization header IncompleteSignatureException quotes',
      `Authorization header requires 'Signature' parameter. Authorization=${HEADER}, X-Amz-Security-Token=${TOKEN}`,
      "Authorization header requires 'Signature' parameter. Authorization=[redacted], X-Amz-Security-Token=[redacted]"
    ],
    [
      'a header written with a colon, any case',
      `authorization: ${HEADER.replace('AWS4', 'aws4')}\nnext`,
      'authorization: [redacted] next'
    ],
    [
      'a signature and token in a query string',
      `GET /apps?X-Amz-Signature=${SIGNATURE}&X-Amz-Security-Token=${TOKEN}&x=1`,
      'GET /apps?X-Amz-Signature=[redacted]&X-Amz-Security-Token=[redacted]&x=1'
    ],
    ['a bare signature', `bad Signature=${SIGNATURE}; retry`, 'bad Signature=[redacted]; retry'],
    ['a lower-case token', `x-amz-security-token=${TOKEN}`, 'x-amz-security-token=[redacted]']
  ])('%s', (_, said, redacted) => {
    const text = redactedServiceMessage(said)
    expect(text).toBe(redacted)
    expect(text).not.toContain(SIGNATURE)
    expect(text).not.toContain(TOKEN)
  })

  it('the access key id goes with the header it is in', () => {
    expect(redactedServiceMessage(`Authorization=${HEADER}`)).not.toContain(KEY)
  })

  it('white space and control characters become one space, trimmed', () => {
    expect(
      redactedServiceMessage('  The security token\r\n\tincluded\u2028in the request\u0000is invalid.\n')
    ).toBe('The security token included in the request is invalid.')
  })

  it('leaves an ordinary message as it is', () => {
    const said =
      'User: arn:aws:sts::123456789012:assumed-role/ci/gh is not authorized to perform: amplify:StopJob'
    expect(redactedServiceMessage(said)).toBe(said)
  })

  // A SigV4 canonical request, which signature errors may quote, writes headers as `name:value`.
  it('a session token in a quoted canonical request (header:value)', () => {
    const said = `The Canonical String for this request should have been 'POST\n/apps\n\nhost:amplify.eu-west-1.amazonaws.com\nx-amz-security-token:${TOKEN}\n'`
    expect(redactedServiceMessage(said)).not.toContain(TOKEN)
  })

  it('no breaker survives any text', () => {
    fc.assert(fc.property(anyText, said => expect(redactedServiceMessage(said)).not.toMatch(LINE_BREAKING)))
  })
})

describe('firstLine', () => {
  it.each([
    ['one line', 'one line'],
    ['subject\nbody', 'subject'],
    ['subject\r\nbody', 'subject'],
    ['subject\rbody', 'subject'],
    ['\nbody', ''],
    ['', '']
  ])('%j → %j', (text, expected) => {
    expect(firstLine(text)).toBe(expected)
  })

  it('shortens a long line to 100 characters with an ellipsis', () => {
    const line = firstLine('x'.repeat(150))
    expect(line).toBe(`${'x'.repeat(99)}…`)
    expect(firstLine('z'.repeat(101))).toBe(`${'z'.repeat(99)}…`)
    expect(firstLine('y'.repeat(100))).toBe('y'.repeat(100))
  })
})

describe('html: for the step summary', () => {
  it.each([
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert&#40;1&#41;&gt;'],
    ['<script>alert(1)</script>', '&lt;script&gt;alert&#40;1&#41;&lt;/script&gt;'],
    ['](javascript:alert(1))', '&#93;&#40;javascript:alert&#40;1&#41;&#41;'],
    ['[click](https://evil.example)', '&#91;click&#93;&#40;https://evil.example&#41;'],
    ['![img](x)', '&#33;&#91;img&#93;&#40;x&#41;'],
    ['a | b', 'a &#124; b'],
    ['`code`', '&#96;code&#96;'],
    ['line1\nline2\u2028line3', 'line1 line2 line3'],
    ['"\'&', '&quot;&#39;&amp;'],
    ['&lt;', '&amp;lt;'],
    [
      '**bold** _em_ ~~s~~ # h !x \\',
      '&#42;&#42;bold&#42;&#42; &#95;em&#95; &#126;&#126;s&#126;&#126; &#35; h &#33;x &#92;'
    ],
    ['plain text 123 é/-.', 'plain text 123 é/-.']
  ])('%j → %j', (text, expected) => {
    expect(html(text)).toBe(expected)
  })

  it('leaves no character that HTML or Markdown would act on, in any text', () => {
    fc.assert(
      fc.property(anyText, text => {
        const escaped = html(text)
        expect(escaped).not.toMatch(LINE_BREAKING)
        // once the character references themselves are set aside, nothing active is left
        expect(escaped.replace(/&(#[0-9]+|[a-z]+);/g, '')).not.toMatch(/[<>"'`|[\]()*_~\\!#&]/)
      })
    )
  })
})
