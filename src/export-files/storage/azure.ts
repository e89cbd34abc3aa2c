/**
 * Azure Blob Storage through `@azure/storage-blob`: the container is the bucket's name, the account the one
 * of the bucket's `serviceUrl` (`https://<account>.blob.core.windows.net/…`) unless a service URL is
 * configured (Azurite). Credentials: a connection string (`AZURE_STORAGE_CONNECTION_STRING`), else
 * `AZURE_STORAGE_ACCOUNT` and `AZURE_STORAGE_KEY`, else none. The SDK is loaded on the first write to an
 * Azure-stored bucket.
 */
import type { BlobServiceClient, StoragePipelineOptions } from '@azure/storage-blob';
import type { ExportBucket } from '../../store/model.js';
import { loadAzureBlob } from '../libs.js';
import type { AzureOptions } from '../options.js';
import { describe, isNetworkError, StorageError, type ObjectStorage, type StoredObject } from './types.js';

type AzureBlob = typeof import('@azure/storage-blob');

/** `scheme://host[:port]` of a URL, or undefined when it is none. */
function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export function azureStorage(options: AzureOptions = {}, env: Readonly<Record<string, string | undefined>> = process.env): ObjectStorage {
  let sdk: AzureBlob | undefined;
  const services = new Map<string, BlobServiceClient>();
  const connectionString = options.connectionString ?? env.AZURE_STORAGE_CONNECTION_STRING;
  // Atlas does not retry a failed export; a request may be tried twice (a dropped connection).
  const pipeline: StoragePipelineOptions = { retryOptions: { maxTries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 1_000, tryTimeoutInMs: 60_000 } };

  const accountUrl = (bucket: ExportBucket): string => {
    const url = options.serviceUrl?.replace(/\/+$/, '') ?? originOf(bucket.serviceUrl);
    if (!url) throw new StorageError('no-bucket', `bucket ${bucket.bucketName} has no Azure service URL (configure one: --export-azure-url)`);
    return url;
  };
  const serviceFor = async (bucket: ExportBucket): Promise<BlobServiceClient> => {
    const az = (sdk ??= loadAzureBlob());
    // With a connection string and no service URL, its own endpoint (Azurite's development string has one).
    const key = connectionString && !options.serviceUrl ? 'connection-string' : accountUrl(bucket);
    let service = services.get(key);
    if (!service) {
      if (connectionString && !options.serviceUrl) {
        service = az.BlobServiceClient.fromConnectionString(connectionString, pipeline);
      } else {
        const account = connectionString ? /AccountName=([^;]+)/i.exec(connectionString)?.[1] : env.AZURE_STORAGE_ACCOUNT;
        const secret = connectionString ? /AccountKey=([^;]+)/i.exec(connectionString)?.[1] : env.AZURE_STORAGE_KEY;
        const credential = account && secret ? new az.StorageSharedKeyCredential(account, secret) : new az.AnonymousCredential();
        service = new az.BlobServiceClient(key, credential, pipeline);
      }
      services.set(key, service);
    }
    return service;
  };
  const fail = (e: unknown, bucket: ExportBucket): never => {
    if (e instanceof StorageError) throw e;
    const err = e as { statusCode?: number; code?: string };
    if (err.statusCode === 404) throw new StorageError('no-bucket', `container ${bucket.bucketName}: ${describe(e)}`, { cause: e });
    if (err.statusCode === 403 || err.statusCode === 401) throw new StorageError('denied', `container ${bucket.bucketName}: ${describe(e)}`, { cause: e });
    if (isNetworkError(e) || err.code === 'REQUEST_SEND_ERROR' || err.statusCode === undefined || err.statusCode >= 500) throw new StorageError('unreachable', `Azure Blob Storage: ${describe(e)}`, { cause: e });
    throw new StorageError('denied', `container ${bucket.bucketName}: ${describe(e)}`, { cause: e });
  };

  return {
    kind: 'azure',
    async put(bucket, key, body, contentType) {
      try {
        const container = (await serviceFor(bucket)).getContainerClient(bucket.bucketName);
        await container.getBlockBlobClient(key).uploadData(body, { blobHTTPHeaders: { blobContentType: contentType } });
      } catch (e) {
        fail(e, bucket);
      }
    },
    async list(bucket, prefix) {
      const out: StoredObject[] = [];
      try {
        const container = (await serviceFor(bucket)).getContainerClient(bucket.bucketName);
        for await (const blob of container.listBlobsFlat({ prefix })) out.push({ key: blob.name, size: blob.properties.contentLength ?? 0 });
      } catch (e) {
        fail(e, bucket);
      }
      return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    location(bucket, key) {
      let base: string;
      try {
        base = connectionString && !options.serviceUrl ? (/BlobEndpoint=([^;]+)/i.exec(connectionString)?.[1] ?? accountUrl(bucket)) : accountUrl(bucket);
      } catch {
        base = 'azure:';
      }
      return `${base.replace(/\/+$/, '')}/${bucket.bucketName}/${key.split('/').map(encodeURIComponent).join('/')}`;
    },
  };
}
