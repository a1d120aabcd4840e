/**
 * Every failure the action reports is an ActionError: its message says what went wrong and what to do next,
 * and the step ends with it as its one error. The kind lets code tell failures apart where that changes
 * what to do (waiting goes on through throttling and passing service or network failures).
 */
export type ErrorKind =
  | 'input' // an input or the event context is not usable; no request was sent
  | 'credentials' // no usable AWS credentials, or the signature was refused
  | 'permission' // IAM refused an Amplify action
  | 'not-found' // the app, branch or job does not exist
  | 'throttled' // Amplify kept throttling after every retry
  | 'service' // Amplify failed in a way retries did not fix
  | 'network' // Amplify could not be reached or did not answer in time
  | 'no-job' // discovery found nothing and if-no-job is `fail`
  | 'stop-failed' // a stop failed; the message says why
  | 'several-failed' // requests for several apps, branches or jobs failed; the message groups them
  | 'wait-timeout' // wait-timeout passed before every job ended

export class ActionError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string
  ) {
    super(message)
    this.name = 'ActionError'
  }
}

/** A named input did not have its accepted form. */
export class InputError extends ActionError {
  constructor(
    readonly input: string,
    message: string
  ) {
    super('input', message)
    this.name = 'InputError'
  }
}

/** The Amplify operations the action sends. */
export type Operation = 'ListApps' | 'ListBranches' | 'ListJobs' | 'StopJob' | 'GetJob'

/** Which resource a NotFoundException named, when the service said. */
export type Missing = 'app' | 'branch' | 'job' | 'app-or-branch'

/** What a failed request says beyond its message: enough for the planner to decide and to group failures. */
export interface RequestFailure {
  operation: Operation
  /** The service's exception name (AccessDeniedException), or the network error code; '' when neither. */
  errorName: string
  /** What failed, in a few words, for grouping: "denied (AccessDeniedException)". */
  reason: string
  /** What to do about it, the same for every target that failed this way. */
  advice: string
  missing?: Missing
  /** Every attempt timed out: the request may still have reached Amplify and taken effect. */
  timedOut?: boolean
}

/** A failed Amplify request, kept with what the service said, so the planner can decide what it means. */
export class AmplifyRequestError extends ActionError {
  readonly operation: Operation
  readonly errorName: string
  readonly reason: string
  readonly advice: string
  readonly missing?: Missing
  readonly timedOut: boolean
  constructor(kind: ErrorKind, message: string, failure: RequestFailure) {
    super(kind, message)
    this.name = 'AmplifyRequestError'
    this.operation = failure.operation
    this.errorName = failure.errorName
    this.reason = failure.reason
    this.advice = failure.advice
    this.missing = failure.missing
    this.timedOut = failure.timedOut ?? false
  }
}
