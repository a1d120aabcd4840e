/**
 * Every failure the action reports is an ActionError: its message says what went wrong and what to do next,
 * and main.ts turns it into the step's one error. The kind lets code tell failures apart where that changes
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
  | 'stop-failed' // one or more stops failed; the message lists them
  | 'several-failed' // requests for several apps, branches or jobs failed; the message lists each
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

/** A failed Amplify request, kept with what the service said, so the planner can decide what it means. */
export class AmplifyRequestError extends ActionError {
  constructor(
    kind: ErrorKind,
    message: string,
    readonly operation: Operation,
    /** The service's exception name, e.g. BadRequestException; undefined for network failures. */
    readonly errorName: string | undefined,
    readonly missing?: Missing
  ) {
    super(kind, message)
    this.name = 'AmplifyRequestError'
  }
}
