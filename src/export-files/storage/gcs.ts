/**
 * Google Cloud Storage through `@google-cloud/storage`: Application Default Credentials against Google, or
 * an `endpoint` (fake-gcs-server) that is sent no credentials. The client library is loaded on the first
 * write to a GCS-stored bucket.
 */
import type { Storage } from '@google-cloud/storage';
import type { ExportBucket } from '../../store/model.js';
import { loadGcs } from '../libs.js';
import type { GcsOptions } from '../options.js';
import { describe, isNetworkError, StorageError, type ObjectStorage, type StoredObject } from './types.js';

export function gcsStorage(options: GcsOptions = {}): ObjectStorage {
  let client: Storage | undefined;
  const storage = async (): Promise<Storage> =>
    (client ??= new (loadGcs().Storage)({
      ...(options.endpoint !== undefined && { apiEndpoint: options.endpoint.replace(/\/+$/, ''), useAuthWithCustomEndpoint: false }),
      ...(options.projectId !== undefined ? { projectId: options.projectId } : options.endpoint !== undefined ? { projectId: 'atlas-export-mock' } : {}),
      // Atlas does not retry a failed export; a request may be tried twice (a dropped connection).
      retryOptions: { autoRetry: true, maxRetries: 1, retryDelayMultiplier: 1, totalTimeout: 60 },
    }));
  const fail = (e: unknown, bucket: ExportBucket): never => {
    const err = e as { code?: unknown };
    const status = typeof err.code === 'number' ? err.code : undefined;
    if (status === 404) throw new StorageError('no-bucket', `bucket ${bucket.bucketName}: ${describe(e)}`, { cause: e });
    if (status === 401 || status === 403) throw new StorageError('denied', `bucket ${bucket.bucketName}: ${describe(e)}`, { cause: e });
    if (isNetworkError(e) || status === undefined || status >= 500) throw new StorageError('unreachable', `${options.endpoint ?? 'Cloud Storage'}: ${describe(e)}`, { cause: e });
    throw new StorageError('denied', `bucket ${bucket.bucketName}: ${describe(e)}`, { cause: e });
  };

  return {
    kind: 'gcs',
    async put(bucket, key, body, contentType) {
      try {
        await (await storage()).bucket(bucket.bucketName).file(key).save(body, { contentType, resumable: false, validation: false });
      } catch (e) {
        fail(e, bucket);
      }
    },
    async list(bucket, prefix) {
      const out: StoredObject[] = [];
      try {
        const [files] = await (await storage()).bucket(bucket.bucketName).getFiles({ prefix, autoPaginate: true });
        for (const f of files) out.push({ key: f.name, size: Number(f.metadata.size ?? 0) });
      } catch (e) {
        fail(e, bucket);
      }
      return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    location: (bucket, key) => `gs://${bucket.bucketName}/${key}`,
  };
}
