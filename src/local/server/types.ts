/**
 * The contract between the HTTP/protocol layer (src/local/server) and the operations (src/local/ops).
 * Protocols (RDS Query → XML, CloudWatch JSON 1.0 / Query, Secrets Manager JSON 1.1) decode a request into Params, call the
 * handler registered for (service, action), and encode its result or AwsFault.
 */

export type ServiceName = 'rds' | 'monitoring' | 'iam' | 'sts' | 'secretsmanager';

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
  /** Who signed the request (an IAM user's key, or an STS session); absent = the endpoint's root key. */
  caller?: Caller;
}

/** A principal the endpoint knows: `root` is the home's own key pair and may do everything. */
export interface Caller {
  kind: 'root' | 'user' | 'assumed-role';
  arn: string;
}

/** What SigV4 needs to check a request signed with one access key id (undefined: unknown key). */
export interface KnownKey {
  secretAccessKey: string;
  /** STS sessions: the X-Amz-Security-Token the request must carry. */
  sessionToken?: string;
  caller: Caller;
}

export type KeyLookup = (accessKeyId: string) => KnownKey | undefined;

/** Decides whether a non-root caller may call (service, action): undefined = allowed, else AccessDenied. */
export type Authorizer = (caller: Caller, service: ServiceName, action: string) => AwsFault | undefined;

/**
 * A handler returns the operation's typed output, in the SDK's shapes (e.g. DBInstanceMessage:
 * { DBInstances: [ … ], Marker }): lists are arrays, timestamps Dates, undefined fields are omitted.
 * The protocol layer encodes it — Query → XML with the model's member names (xml.ts + shapes.ts),
 * JSON 1.0 as is with timestamps in epoch seconds — so one op serves either protocol.
 */
export type OpResult = object;

/** R: the operation's output type from the SDK (DBInstanceMessage, EventsMessage …). */
export type OpHandler<R extends OpResult = OpResult> = (req: OpRequest) => Promise<R>;

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
