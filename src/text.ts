// C0 and C1 controls, DEL, and the Unicode line and paragraph separators: all could end or rewrite a line.
// eslint-disable-next-line no-control-regex
const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g

/** Untrusted text as part of one log line: no control characters, so it can never start a line of its own. */
export function inertLine(text: string): string {
  return text.replace(LINE_BREAKING, ' ')
}
