/**
 * The example consumer (examples/export-consumer/consumer.ts) against a mock whose exports land in a
 * bucket it reads: it waits while the export runs, then loads every collection's documents once `.complete`
 * is there. Run on the folder storage (main suite) and on S3 (storage suite).
 */
import { expect } from 'vitest';
import { loadExport, waitForComplete, type Bucket } from '../../examples/export-consumer/consumer.js';
import type { AtlasMock } from '../../src/testing/start.js';
import { COLLECTIONS, createJob, FILES } from './export-files.js';

export async function consumerScenario(mock: AtlasMock, bucket: Bucket): Promise<void> {
  const customData = [{ key: 'destination', value: 'warehouse' }];
  const job = await createJob(mock, FILES.cluster, FILES.snapshot, FILES.bucket, customData);
  let done = false;
  const waiting = waitForComplete(bucket, job.prefix, { pollMs: 20, timeoutMs: 30_000 }).then((c) => {
    done = true;
    return c;
  });

  // Halfway: data files are there, `.complete` is not, and the consumer is still waiting.
  await mock.clock.advanceBy('PT8M');
  expect((await bucket.list(`${job.prefix}/`)).length).toBeGreaterThan(0);
  expect(await bucket.get(`${job.prefix}/.complete`)).toBeUndefined();
  await new Promise((r) => setTimeout(r, 100));
  expect(done).toBe(false);

  await mock.clock.advanceBy('PT8M');
  const complete = await waiting;
  expect(complete.customData).toEqual(customData);
  const loaded = await loadExport(bucket, job.prefix, complete);
  expect(Object.fromEntries([...loaded.collections].map(([ns, docs]) => [ns, docs.length]))).toEqual(Object.fromEntries(COLLECTIONS.map((c) => [`${c.db}.${c.collection}`, c.documents])));
  // Canonical Extended JSON: the documents come back with their bson types.
  const order = loaded.collections.get('app.orders')![0]!;
  expect(order._id?._bsontype).toBe('ObjectId');
  expect((order.total as { _bsontype?: string })._bsontype).toBe('Decimal128');
  expect(order.orderedAt).toBeInstanceOf(Date);
}
