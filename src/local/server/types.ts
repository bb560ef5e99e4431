/**
 * The contract between the HTTP/protocol layer (src/local/server) and the operations (src/local/ops).
 * Protocols (RDS Query → XML, CloudWatch JSON 1.0 / Query) decode a request into Params, call the
 * handler registered for (service, action), and encode its result or AwsFault.
 */

export type ServiceName = 'rds' | 'monitoring' | 'iam';

/** Decoded Query parameters, flat as on the wire: { 'Filters.Filter.1.Name': 'engine', … }. */
export type FlatParams = Record<string, string>;

export interface OpRequest {
  service: ServiceName;
  action: string;
  /** Query protocol: flat form params. JSON protocol: the parsed JSON body (then `flat` is {}). */
  flat: FlatParams;
  json?: Record<string, unknown>;
  requestId: string;
  accessKeyId: string;
  region: string;
}

/**
 * A handler returns the *Result* element's content as a plain object, e.g.
 * { DBInstance: { DBInstanceIdentifier: 'shop', … } }. Lists are arrays under their *member* name
 * wrapped by the list name: { DBInstances: { DBInstance: [ … ] } } — exactly the XML shape.
 * Booleans/numbers/Date are fine; undefined/null fields are omitted.
 */
export type OpResult = Record<string, unknown>;

export type OpHandler = (req: OpRequest) => Promise<OpResult>;

/** An error answered the AWS way: `code` is the wire code (DBInstanceNotFound), status the HTTP status. */
export class AwsFault extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = 400,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
    this.name = 'AwsFault';
  }
}

/** service → action → handler. ops modules add to it; the server only dispatches. */
export type OpRegistry = Record<ServiceName, Record<string, OpHandler>>;
