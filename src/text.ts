/**
 * Every way the action makes text from others (branch names, commit messages, service messages, bad
 * input) safe to show, and keeps what it shows within GitHub's bounds. Each function says what it
 * guarantees; messages.ts and report.ts use nothing else.
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

/** Quoted and shortened to `max` characters, for lists that name many targets in one line. */
export function shortQuote(text: string, max = 60): string {
  return logQuote(shortened(text, max))
}

/** At most `max` characters (code units), ending in … when cut; never splits a surrogate pair. */
export function shortened(text: string, max: number): string {
  if (text.length <= max) return text
  let end = max - 1
  if (/[\ud800-\udbff]/.test(text.charAt(end - 1))) end--
  return `${text.slice(0, end)}…`
}

// JSON.stringify escapes C0 controls only; these it leaves raw: DEL, C1 controls and the line separators.
const UNESCAPED_BY_JSON = /[\u007f-\u009f\u2028\u2029]/g
const MAX_QUOTED = 80

/**
 * A value the user gave, quoted for an error message: shortened, every control character escaped as
 * `\uXXXX` rather than dropped, so the user sees exactly what was wrong with it.
 */
export function quoteValue(value: string): string {
  return JSON.stringify(shortened(value, MAX_QUOTED + 1)).replace(
    UNESCAPED_BY_JSON,
    c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

const MAX_SERVICE_MESSAGE = 300

/**
 * What a service said, as one short inert line with no credentials in it: white space and control
 * characters become one space, and an Authorization header, signature or session token the message echoes
 * is replaced by [redacted] (AWS's IncompleteSignatureException quotes the request's whole Authorization
 * header). Redacted before it is shortened, so a cut can never leave part of a secret.
 */
export function redactedServiceMessage(text: string, max = MAX_SERVICE_MESSAGE): string {
  const redacted = text
    .replace(/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ') // eslint-disable-line no-control-regex
    .replace(
      /\b(Authorization\s*[=:]\s*)AWS4-HMAC-SHA256\b(?:[ ,]+(?:Credential|SignedHeaders|Signature)=[^\s,]*)*/gi,
      '$1[redacted]'
    )
    .replace(/\b(Signature|X-Amz-Signature|X-Amz-Security-Token)(\s*[=:]\s*)[^\s,;&]+/gi, '$1$2[redacted]')
    .trim()
  return shortened(redacted, max)
}

/** True when the text has a character that could break a line: for validating names, not for showing them. */
export function hasLineBreaking(text: string): boolean {
  return LINE_BREAKING.test(text)
}

const MAX_FIRST_LINE = 100

/** The first line of a commit message, shortened, for one log line or one table cell. */
export function firstLine(text: string): string {
  return shortened(text.split(/\r\n|\r|\n/, 1)[0] ?? '', MAX_FIRST_LINE)
}

/** The most one line of the log may hold (a whole error: each of its lines). */
export const MAX_LINE = 1000

/** Every line of `text` at most MAX_LINE characters: the last guard before anything reaches the log. */
export function boundedLines(text: string): string {
  return text
    .split('\n')
    .map(line => shortened(line, MAX_LINE))
    .join('\n')
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
