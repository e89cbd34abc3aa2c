/**
 * The packages of export files, loaded on first use: bson and zlib at the first data file, a cloud SDK at
 * the first write to a bucket stored there (a mock that writes none of them never loads them; start-up).
 * Through `require` (as faker and Swagger are): the CLI bundle runs from V8's code cache, and there a
 * dynamic `import()` of an external package finds no loader on Node 20 (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING
 * once the cache is used; measured).
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export const loadBson = (): typeof import('bson') => load('bson') as typeof import('bson');
export const loadZlib = (): typeof import('node:zlib') => load('node:zlib') as typeof import('node:zlib');
export const loadS3 = (): typeof import('@aws-sdk/client-s3') => load('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
export const loadAzureBlob = (): typeof import('@azure/storage-blob') => load('@azure/storage-blob') as typeof import('@azure/storage-blob');
export const loadGcs = (): typeof import('@google-cloud/storage') => load('@google-cloud/storage') as typeof import('@google-cloud/storage');
