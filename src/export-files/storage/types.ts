/**
 * The one interface every storage of export files implements (a folder, S3, Azure Blob Storage, Google
 * Cloud Storage): put an object, list objects under a prefix, say where an object is. Errors come back as
 * `StorageError` with the reason an export fails for — what the job's `stateReason` then says.
 */
import type { ExportBucket } from '../../store/model.js';
import type { StorageKind } from '../options.js';

export interface StoredObject {
  key: string;
  size: number;
}

export interface ObjectStorage {
  readonly kind: StorageKind;
  /** Writes one whole object (it appears at once, or not at all). */
  put(bucket: ExportBucket, key: string, body: Buffer, contentType: string): Promise<void>;
  /** Objects whose key starts with `prefix`, sorted by key. */
  list(bucket: ExportBucket, prefix: string): Promise<StoredObject[]>;
  /** Where a reader finds the object: a file path, `s3://bucket/key`, a blob URL, `gs://bucket/key`. */
  location(bucket: ExportBucket, key: string): string;
}

/**
 * Why a write failed, as the job's `stateReason` tells it: `denied` (no permission), `no-bucket` (it does
 * not exist, or its name cannot be one), `unreachable` (no answer from the store).
 */
export type StorageFailure = 'denied' | 'no-bucket' | 'unreachable';

export class StorageError extends Error {
  override name = 'StorageError';
  constructor(
    readonly reason: StorageFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Node's network error codes: the store could not be reached. */
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

/** Whether an error (or one of its causes) is a failure to reach the other end. */
export function isNetworkError(e: unknown): boolean {
  for (let err = e as { code?: unknown; cause?: unknown; name?: unknown; errors?: unknown[] } | undefined, depth = 0; err && depth < 5; err = err.cause as typeof err, depth++) {
    if (typeof err.code === 'string' && NETWORK.has(err.code)) return true;
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return true;
    if (Array.isArray(err.errors) && err.errors.some(isNetworkError)) return true;
  }
  return false;
}

/** A short description of an error for messages: its code and first line. */
export function describe(e: unknown): string {
  const err = e as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
  const code = typeof err?.code === 'string' ? err.code : typeof err?.name === 'string' && err.name !== 'Error' ? err.name : '';
  const message = typeof err?.message === 'string' && err.message ? err.message.split('\n')[0]! : String(e);
  const inner = err?.cause && !message.includes(String((err.cause as { code?: unknown }).code ?? '')) ? ` (${describe(err.cause)})` : '';
  return `${code && !message.includes(code) ? `${code}: ` : ''}${message}${inner}`.slice(0, 300);
}
