/**
 * Every way the action makes text from others (branch names, commit messages, service messages, bad
 * input) safe to show. Each function says what it guarantees; report.ts and messages.ts use nothing else.
 */

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators: all could end or rewrite a line.
// eslint-disable-next-line no-control-regex
const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/
const LINE_BREAKING_RUNS = new RegExp(`${LINE_BREAKING.source}+`, 'g')

/** Part of one log line: no control character survives, so the text can never start a line of its own. */
export function inertLine(text: string): string {
  return text.replace(LINE_BREAKING_RUNS, ' ')
}

/** Quoted for a log line; JSON escapes keep quotes and backslashes unambiguous. */
export function logQuote(text: string): string {
  return JSON.stringify(inertLine(text))
}

// JSON.stringify escapes C0 controls only; these it leaves raw: DEL, C1 controls and the line separators.
const UNESCAPED_BY_JSON = /[\u007f-\u009f\u2028\u2029]/g
const MAX_QUOTED = 80

/**
 * A value the user gave, quoted for an error message: shortened, every control character escaped as
 * `\uXXXX` rather than dropped, so the user sees exactly what was wrong with it.
 */
export function quoteValue(value: string): string {
  return JSON.stringify(value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value).replace(
    UNESCAPED_BY_JSON,
    c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

/**
 * What a service said, as one inert line with no credentials in it: white space and control characters
 * become one space, and an Authorization header, signature or session token the message echoes is
 * replaced by [redacted] (AWS's IncompleteSignatureException quotes the request's whole Authorization header).
 */
export function redactedServiceMessage(text: string): string {
  return text
    .replace(/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ') // eslint-disable-line no-control-regex
    .replace(
      /\b(Authorization\s*[=:]\s*)AWS4-HMAC-SHA256\b(?:[ ,]+(?:Credential|SignedHeaders|Signature)=[^\s,]*)*/gi,
      '$1[redacted]'
    )
    .replace(/\b(Signature|X-Amz-Signature|X-Amz-Security-Token)(\s*[=:]\s*)[^\s,;&]+/gi, '$1$2[redacted]')
    .trim()
}

/** True when the text has a character that could break a line: for validating names, not for showing them. */
export function hasLineBreaking(text: string): boolean {
  return LINE_BREAKING.test(text)
}

const MAX_FIRST_LINE = 100

/** The first line of a commit message, shortened, for one log line or one table cell. */
export function firstLine(text: string): string {
  const line = text.split(/\r\n|\r|\n/, 1)[0] ?? ''
  return line.length > MAX_FIRST_LINE ? `${line.slice(0, MAX_FIRST_LINE - 1)}…` : line
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;'
}

/**
 * For the step summary: inert, HTML-escaped, and Markdown's punctuation written as character references,
 * so the text can neither open a tag nor form a link, emphasis or table cell wherever it lands.
 */
export function html(text: string): string {
  return inertLine(text).replace(/[&<>"'`|[\]()*_~\\!#]/g, c => HTML_ESCAPES[c] ?? `&#${c.charCodeAt(0)};`)
}
