/** The storage of each export bucket, by the mock's configuration (`options.ts`); one adapter per kind, made on first use. */
import type { ExportBucket } from '../store/model.js';
import { defaultExportDir, storageKindOf, type ExportFilesOptions, type StorageKind } from './options.js';
import { azureStorage } from './storage/azure.js';
import { folderStorage } from './storage/folder.js';
import { gcsStorage } from './storage/gcs.js';
import { s3Storage } from './storage/s3.js';
import type { ObjectStorage } from './storage/types.js';

export class Storages {
  private readonly made = new Map<StorageKind, ObjectStorage>();
  readonly dir: string;

  constructor(private readonly options: ExportFilesOptions) {
    this.dir = options.dir ?? defaultExportDir();
  }

  kindOf(bucket: Pick<ExportBucket, 'bucketName' | 'cloudProvider'>): StorageKind {
    return storageKindOf(this.options, bucket);
  }

  of(bucket: Pick<ExportBucket, 'bucketName' | 'cloudProvider'>): ObjectStorage {
    const kind = this.kindOf(bucket);
    let s = this.made.get(kind);
    if (!s) {
      s = kind === 's3' ? s3Storage(this.options.s3) : kind === 'azure' ? azureStorage(this.options.azure) : kind === 'gcs' ? gcsStorage(this.options.gcs) : folderStorage(this.dir);
      this.made.set(kind, s);
    }
    return s;
  }
}
