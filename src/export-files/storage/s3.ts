/**
 * Amazon S3, or any S3-compatible store (moto, MinIO, LocalStack), through the AWS SDK for JavaScript v3:
 * the SDK's standard credential chain (environment, shared config and credentials files, SSO, container and
 * instance roles), the bucket's region unless one is configured, an `endpoint` and path-style URLs for
 * emulators. The SDK is loaded on the first write to an S3 bucket (a mock without S3 buckets never loads it).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { ExportBucket } from '../../store/model.js';
import { loadS3 } from '../libs.js';
import type { S3Options } from '../options.js';
import { describe, isNetworkError, StorageError, type ObjectStorage, type StoredObject } from './types.js';

type S3 = typeof import('@aws-sdk/client-s3');

export function s3Storage(options: S3Options = {}): ObjectStorage {
  let sdk: S3 | undefined;
  const clients = new Map<string, S3Client>();
  const clientFor = async (bucket: ExportBucket): Promise<{ s3: S3; client: S3Client }> => {
    const s3 = (sdk ??= loadS3());
    const region = options.region ?? bucket.region ?? 'us-east-1';
    let client = clients.get(region);
    if (!client) {
      client = new s3.S3Client({
        region,
        ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
        forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
        // Atlas does not retry a failed export; the SDK may retry a request once (a dropped connection).
        maxAttempts: 2,
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
      });
      clients.set(region, client);
    }
    return { s3, client };
  };
  const fail = (e: unknown, bucket: ExportBucket): never => {
    const err = e as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
    const status = err.$metadata?.httpStatusCode;
    const code = err.Code ?? err.name ?? '';
    if (code === 'NoSuchBucket' || (status === 404 && code !== 'NoSuchKey')) throw new StorageError('no-bucket', `bucket ${bucket.bucketName}: ${describe(e)}`, { cause: e });
    if (status === 403 || status === 401 || /AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch|ExpiredToken|CredentialsProviderError/.test(code)) throw new StorageError('denied', `bucket ${bucket.bucketName}: ${describe(e)}`, { cause: e });
    if (isNetworkError(e) || status === undefined || status >= 500) throw new StorageError('unreachable', `${options.endpoint ?? 'S3'}: ${describe(e)}`, { cause: e });
    throw new StorageError('denied', `bucket ${bucket.bucketName}: ${describe(e)}`, { cause: e });
  };

  return {
    kind: 's3',
    async put(bucket, key, body, contentType) {
      const { s3, client } = await clientFor(bucket);
      try {
        await client.send(new s3.PutObjectCommand({ Bucket: bucket.bucketName, Key: key, Body: body, ContentType: contentType, ContentLength: body.length }));
      } catch (e) {
        fail(e, bucket);
      }
    },
    async list(bucket, prefix) {
      const { s3, client } = await clientFor(bucket);
      const out: StoredObject[] = [];
      let token: string | undefined;
      try {
        do {
          const page = await client.send(new s3.ListObjectsV2Command({ Bucket: bucket.bucketName, Prefix: prefix, ...(token && { ContinuationToken: token }) }));
          for (const o of page.Contents ?? []) if (o.Key !== undefined) out.push({ key: o.Key, size: o.Size ?? 0 });
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
      } catch (e) {
        fail(e, bucket);
      }
      return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    location: (bucket, key) => `s3://${bucket.bucketName}/${key}`,
  };
}
