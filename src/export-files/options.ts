/**
 * Where and how the mock writes the files of export jobs (`AppOptions.exportFiles`, CLI `--export-*`). The
 * storage of each export bucket is chosen here, by the mock's configuration, never by the Atlas API: by
 * default every bucket is a folder `DIR/<bucketName>/`, and a cloud provider's buckets (or one bucket by
 * name) can be sent to a real object store instead (S3 through the AWS SDK, Azure Blob Storage, Google
 * Cloud Storage), emulator or real.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudProvider, ExportBucket } from '../store/model.js';

export const STORAGE_KINDS = ['folder', 's3', 'azure', 'gcs'] as const;
export type StorageKind = (typeof STORAGE_KINDS)[number];

/**
 * The object store each provider's buckets are in, in Atlas. The mock lets any bucket be written to any
 * storage (a GCP bucket into an S3 emulator, say), so one emulator can serve a test of every provider.
 */
export const NATIVE_KIND: Record<CloudProvider, StorageKind> = { AWS: 's3', AZURE: 'azure', GCP: 'gcs' };

export interface S3Options {
  /** An S3-compatible endpoint (moto, MinIO, LocalStack); default: AWS itself. */
  endpoint?: string;
  /** Region of the requests (default: the bucket's `region`, else us-east-1). */
  region?: string;
  /** Path-style URLs (`endpoint/bucket/key`); default: on with an `endpoint`, off for AWS. */
  forcePathStyle?: boolean;
}

export interface AzureOptions {
  /**
   * The Blob service URL to write to instead of the one in the bucket's `serviceUrl` (Azurite:
   * `http://127.0.0.1:10000/devstoreaccount1`). The container is the bucket's name.
   */
  serviceUrl?: string;
  /**
   * A storage connection string (default: `AZURE_STORAGE_CONNECTION_STRING`); it names the account and its
   * key, and its endpoint unless `serviceUrl` is given. Without one, `AZURE_STORAGE_ACCOUNT` and
   * `AZURE_STORAGE_KEY`, else anonymous requests.
   */
  connectionString?: string;
}

export interface GcsOptions {
  /** A Cloud Storage endpoint (fake-gcs-server: `http://127.0.0.1:4443`); with it, requests carry no credentials. */
  endpoint?: string;
  /** Project of the client (default: from the credentials, or `atlas-export-mock` with an endpoint). */
  projectId?: string;
}

export interface ExportFilesOptions {
  /** false: no files are written (default true). */
  enabled?: boolean;
  /** Root of the folder storage: objects at `dir/<bucketName>/<key>` (default: `defaultExportDir()`). */
  dir?: string;
  /** Storage per cloud provider (`AWS`, `AZURE`, `GCP`) and per bucket name (wins); default `folder`. */
  storage?: { providers?: Partial<Record<CloudProvider, StorageKind>>; buckets?: Record<string, StorageKind> };
  s3?: S3Options;
  azure?: AzureOptions;
  gcs?: GcsOptions;
  /** Uncompressed bytes of Extended JSON per `.json.gz` file before the next increment (default 16 MiB). */
  chunkBytes?: number;
  /** Documents generated per collection when its fixture gives no count (default 100). */
  documentsPerCollection?: number;
}

export const DEFAULT_CHUNK_BYTES = 16 * 1024 * 1024;
export const MAX_CHUNK_BYTES = 256 * 1024 * 1024;
export const DEFAULT_DOCUMENTS_PER_COLLECTION = 100;

/**
 * The folder of `npm start` when no `--export-dir` is given: `<temp>/atlas-export-mock/exports`. In the
 * system's temporary folder rather than the working directory [I]: it is writable wherever the mock runs
 * (an installed package, a read-only container image, CI), it never litters the project a test runs in, it
 * is the same path after a restart (a `--state-file` restart finds what it wrote) and the system clears it.
 * The start-up banner prints it.
 */
export function defaultExportDir(): string {
  return join(tmpdir(), 'atlas-export-mock', 'exports');
}

/** The storage kind of one bucket: by its name first, then by its cloud provider, else the folder. */
export function storageKindOf(options: ExportFilesOptions, bucket: Pick<ExportBucket, 'bucketName' | 'cloudProvider'>): StorageKind {
  return options.storage?.buckets?.[bucket.bucketName] ?? options.storage?.providers?.[bucket.cloudProvider] ?? 'folder';
}

/**
 * Parses `--export-storage`: `folder`, or a comma list of `PROVIDER=KIND` (`aws=s3,azure=azure,gcp=gcs`) and
 * `bucket:NAME=KIND`. Throws a RangeError naming what is wrong.
 */
export function parseStorageSpec(spec: string): NonNullable<ExportFilesOptions['storage']> {
  const out: { providers: Partial<Record<CloudProvider, StorageKind>>; buckets: Record<string, StorageKind> } = { providers: {}, buckets: {} };
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    if (part === 'folder') continue;
    const eq = part.lastIndexOf('=');
    if (eq <= 0) throw new RangeError(`'${part}' is not PROVIDER=KIND or bucket:NAME=KIND`);
    const target = part.slice(0, eq).trim();
    const kind = part.slice(eq + 1).trim() as StorageKind;
    if (!STORAGE_KINDS.includes(kind)) throw new RangeError(`unknown storage '${kind}' (one of ${STORAGE_KINDS.join(', ')})`);
    if (target.startsWith('bucket:')) {
      const name = target.slice('bucket:'.length);
      if (!name) throw new RangeError(`'${part}' names no bucket`);
      out.buckets[name] = kind;
      continue;
    }
    const provider = target.toUpperCase() as CloudProvider;
    if (!(provider in NATIVE_KIND)) throw new RangeError(`unknown cloud provider '${target}' (aws, azure, gcp, or bucket:NAME)`);
    out.providers[provider] = kind;
  }
  return out;
}
