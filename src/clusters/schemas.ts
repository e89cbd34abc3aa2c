/**
 * zod schemas of the cluster reads (getGroupCluster, listGroupClusters) per resource version, for validation
 * and the mock's OpenAPI document. The bodies are built by `view.ts`; these describe what they hold (the
 * official schemas — LegacyAtlasCluster, AdvancedClusterDescription, ClusterDescription20240805 — are checked
 * against them by the contract tests).
 */
import { z } from 'zod';
import { CLUSTER_STATES } from '../store/model.js';
import { clusterNameParam, groupIdParam, linkSchema, listQuery, queryFlag } from '../http/schemas.js';
import { pageSchema } from '../http/pagination.js';
import { lazyFields, schemaFamily } from '../core/lazy-schema.js';

export const clustersParams = z.object({ groupId: groupIdParam });
export const clusterParams = clustersParams.extend({ clusterName: clusterNameParam });
/** The list's query: the Go SDK sends `includeDeletedWithRetainedBackups=false` on every list (the mock holds no deleted clusters). */
export const clusterListQuery = listQuery.extend({
  includeDeletedWithRetainedBackups: queryFlag('Flag that indicates whether to return Clusters with retain backups. The mock holds no deleted clusters: it changes nothing.'),
});

/**
 * The response schemas document the answers only (the views build the bodies; plugins/openapi.ts drops them
 * from the answering routes): built with the OpenAPI document (core/lazy-schema.ts), not at every start.
 */
export const clusterViews = schemaFamily(
  () => {
    const hardwareSpec = z
      .object({
        instanceSize: z.string(),
        diskIOPS: z.number().int().optional().meta({ description: 'AWS only.' }),
        diskSizeGB: z.number().optional().meta({ description: 'Written as a Java double (10.0). 2024-08-05 for AWS; always for Azure and GCP.' }),
        ebsVolumeType: z.string().optional().meta({ description: 'AWS only.' }),
        nodeCount: z.number().int(),
      })
      .meta({ id: 'DedicatedHardwareSpec', description: 'Of either version: 2024-08-05 adds diskSizeGB for AWS.' });

    const autoScaling = z.object({ compute: z.object({ enabled: z.boolean(), scaleDownEnabled: z.boolean() }), diskGB: z.object({ enabled: z.boolean() }) });

    const regionConfig = z
      .object({
        analyticsSpecs: hardwareSpec,
        autoScaling,
        effectiveAnalyticsSpecs: hardwareSpec.optional(),
        effectiveElectableSpecs: hardwareSpec.optional(),
        effectiveReadOnlySpecs: hardwareSpec.optional(),
        electableSpecs: hardwareSpec,
        priority: z.number().int(),
        providerName: z.enum(['AWS', 'AZURE', 'GCP']),
        readOnlySpecs: hardwareSpec,
        regionName: z.string(),
      })
      .meta({ id: 'CloudRegionConfig', description: 'Of either version: 2024-08-05 adds the effective*Specs in replicationSpecs.' });

    const connectionStrings = z
      .object({ standard: z.string().optional(), standardSrv: z.string().optional() })
      .meta({ description: 'Empty while the cluster is CREATING.' });

    const base = {
      advancedConfiguration: z.object({
        customOpensslCipherConfigTls12: z.array(z.string()),
        customOpensslCipherConfigTls13: z.array(z.string()),
        minimumEnabledTlsProtocol: z.string(),
        tlsCipherConfigMode: z.string(),
      }),
      backupEnabled: z.boolean(),
      biConnector: z.object({ enabled: z.boolean(), readPreference: z.string() }),
      clusterType: z.enum(['REPLICASET', 'SHARDED']),
      connectionStrings,
      createDate: z.string().meta({ format: 'date-time' }),
      diskWarmingMode: z.string(),
      encryptionAtRestProvider: z.string(),
      globalClusterSelfManagedSharding: z.boolean(),
      groupId: z.string(),
      id: z.string(),
      labels: z.array(z.object({ key: z.string(), value: z.string() })),
      links: z.array(linkSchema),
      mongoDBMajorVersion: z.string(),
      mongoDBVersion: z.string(),
      name: z.string(),
      paused: z.boolean(),
      pitEnabled: z.boolean(),
      rootCertType: z.string(),
      stateName: z.enum(CLUSTER_STATES),
      tags: z.array(z.object({ key: z.string(), value: z.string() })),
      terminationProtectionEnabled: z.boolean(),
      versionReleaseSystem: z.string(),
    };

    const clusterSchema2024 = z
      .object({
        adaptiveCapacity: z.null(),
        ...base,
        effectiveDatabaseEdition: z.string(),
        effectiveReplicationSpecs: z.array(z.object({ id: z.string(), regionConfigs: z.array(regionConfig), zoneId: z.string(), zoneName: z.string() })),
        featureCompatibilityVersion: z.string(),
        internalClusterRole: z.string(),
        redactClientLogData: z.boolean(),
        replicationSpecs: z.array(z.object({ id: z.string(), regionConfigs: z.array(regionConfig), zoneId: z.string(), zoneName: z.string() })).meta({ description: 'One per shard.' }),
        retainBackups: z.boolean(),
        useAwsTimeBasedSnapshotCopyForFastInitialSync: z.boolean(),
      })
      .meta({ id: 'ClusterDescription20240805' });

    const clusterSchema2023Advanced = z
      .object({
        ...base,
        diskSizeGB: z.number(),
        replicationSpecs: z.array(z.object({ id: z.string(), numShards: z.number().int(), regionConfigs: z.array(regionConfig), zoneId: z.string(), zoneName: z.string() })),
      })
      .meta({ id: 'AdvancedClusterDescription' });

    const clusterSchema2023Legacy = z
      .object({
        ...base,
        autoScaling: z.object({ compute: z.object({ enabled: z.boolean(), scaleDownEnabled: z.boolean() }), diskGBEnabled: z.boolean() }),
        diskSizeGB: z.number(),
        mongoURI: z.string().optional().meta({ description: 'Once the cluster runs.' }),
        mongoURIUpdated: z.string().optional().meta({ format: 'date-time' }),
        mongoURIWithOptions: z.string().optional(),
        numShards: z.number().int(),
        providerBackupEnabled: z.boolean(),
        providerSettings: z.object({ providerName: z.string(), instanceSizeName: z.string(), regionName: z.string() }).loose(),
        replicationFactor: z.number().int(),
        replicationSpecs: z.array(z.object({ id: z.string(), numShards: z.number().int(), regionsConfig: z.record(z.string(), z.object({ analyticsNodes: z.number().int(), electableNodes: z.number().int(), priority: z.number().int(), readOnlyNodes: z.number().int() })), zoneName: z.string() })),
        srvAddress: z.string().optional(),
      })
      .meta({ id: 'LegacyAtlasCluster' });

    return {
      clusterSchema2024,
      clusterSchema2023Advanced,
      clusterSchema2023Legacy,
      clusterPage2023Legacy: pageSchema(clusterSchema2023Legacy, 'PaginatedLegacyClusterView'),
      clusterPage2023Advanced: pageSchema(clusterSchema2023Advanced, 'PaginatedAdvancedClusterDescriptionView'),
      clusterPage2024: pageSchema(clusterSchema2024, 'PaginatedClusterDescription20240805'),
    };
  },
  [
    'DedicatedHardwareSpec',
    'CloudRegionConfig',
    'ClusterDescription20240805',
    'AdvancedClusterDescription',
    'LegacyAtlasCluster',
    'PaginatedLegacyClusterView',
    'PaginatedAdvancedClusterDescriptionView',
    'PaginatedClusterDescription20240805',
  ],
);
const views = lazyFields(clusterViews);

export const CLUSTER_RESPONSES = { '2023-01-01': views.clusterSchema2023Legacy, '2023-02-01': views.clusterSchema2023Advanced, '2024-08-05': views.clusterSchema2024 } as const;
export const CLUSTER_PAGE_RESPONSES = { '2023-01-01': views.clusterPage2023Legacy, '2023-02-01': views.clusterPage2023Advanced, '2024-08-05': views.clusterPage2024 } as const;
