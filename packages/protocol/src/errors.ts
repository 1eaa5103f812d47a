/**
 * Kafka protocol error codes the broker answers with, and the typed errors it throws internally.
 * Codes are those of Kafka's `Errors.java`; kafkajs maps them back to its own error classes.
 */
export const ErrorCode = {
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  INVALID_FETCH_SIZE: 4,
  NOT_LEADER_OR_FOLLOWER: 6,
  REQUEST_TIMED_OUT: 7,
  MESSAGE_TOO_LARGE: 10,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  INVALID_TOPIC_EXCEPTION: 17,
  RECORD_LIST_TOO_LARGE: 18,
  INVALID_REQUIRED_ACKS: 21,
  ILLEGAL_GENERATION: 22,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  INVALID_GROUP_ID: 24,
  UNKNOWN_MEMBER_ID: 25,
  INVALID_SESSION_TIMEOUT: 26,
  REBALANCE_IN_PROGRESS: 27,
  INVALID_COMMIT_OFFSET_SIZE: 28,
  UNSUPPORTED_VERSION: 35,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_REQUEST: 42,
  UNSUPPORTED_FOR_MESSAGE_FORMAT: 43,
  POLICY_VIOLATION: 44,
  OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
  DUPLICATE_SEQUENCE_NUMBER: 46,
  INVALID_PRODUCER_EPOCH: 47,
  INVALID_TXN_STATE: 48,
  INVALID_PRODUCER_ID_MAPPING: 49,
  INVALID_TRANSACTION_TIMEOUT: 50,
  CONCURRENT_TRANSACTIONS: 51,
  TRANSACTION_COORDINATOR_FENCED: 52,
  INVALID_CONFIG: 40,
  KAFKA_STORAGE_ERROR: 56,
  UNKNOWN_PRODUCER_ID: 59,
  NON_EMPTY_GROUP: 68,
  GROUP_ID_NOT_FOUND: 69,
  MEMBER_ID_REQUIRED: 79,
  INVALID_RECORD: 87,
  PRODUCER_FENCED: 90,
  UNSTABLE_OFFSET_COMMIT: 88,
  GROUP_SUBSCRIBED_TO_TOPIC: 86,
  UNKNOWN_TOPIC_ID: 100,
  FENCED_MEMBER_EPOCH: 110,
  UNRELEASED_INSTANCE_ID: 111,
  UNSUPPORTED_ASSIGNOR: 112,
  COORDINATOR_LOAD_IN_PROGRESS: 14,
  GROUP_AUTHORIZATION_FAILED: 30,
  TRANSACTIONAL_ID_NOT_FOUND: 105,
  FENCED_INSTANCE_ID: 82,
  INVALID_GROUP_TYPE: 124,
  GROUP_MAX_SIZE_REACHED: 81,
  LOG_DIR_NOT_FOUND: 57,
  UNKNOWN_LEADER_EPOCH: 74,
  UNKNOWN_SERVER_ERROR: -1,
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A request that cannot be decoded: the connection that sent it is closed, others carry on. */
export class MalformedRequestError extends Error {
  override readonly name = 'MalformedRequestError';
}

/** A frame whose declared size is negative or above `maxRequestBytes`. */
export class FrameTooLargeError extends Error {
  override readonly name = 'FrameTooLargeError';
}

/** A request for an API key or version this broker does not serve. */
export class UnsupportedApiError extends Error {
  override readonly name = 'UnsupportedApiError';
  constructor(
    readonly apiKey: number,
    readonly apiVersion: number,
    message: string,
  ) {
    super(message);
  }
}

/** A record batch that fails validation; answered with CORRUPT_MESSAGE or another code. */
export class InvalidRecordBatchError extends Error {
  override readonly name = 'InvalidRecordBatchError';
  constructor(
    readonly code: ErrorCodeValue,
    message: string,
  ) {
    super(message);
  }
}

/** A failure of the broker's own storage (segment files, state logs) named with its path. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
}
