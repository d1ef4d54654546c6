/*
 * Copyright 2026 The EKS Fleet Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

import {
  AuthService,
  BackstageCredentials,
  DatabaseService,
  HttpAuthService,
  LifecycleService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  rolloutApprovePermission,
  rolloutControlPermission,
  rolloutCreatePermission,
  rolloutReadPermission,
  UpgradeBlocker,
  rolloutFreezePermission,
  rolloutStrategyManagePermission,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  AwsClientFactory,
  CloudWatchAlarmGateSource,
  eksClusterPermissionResourceRef,
  eksClusterPermissionRules,
  EksClusterResource,
  EksClusterTarget,
  EksReleaseCatalog,
  EksKubernetesClient,
  EksRolloutExecutor,
  rateLimitedClient,
  RolloutExecutor,
  RolloutGateSource,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import express from 'express';
import { EksClusterInspector } from './ClusterInspector';
import { GitOpsFleet } from './gitops/GitOpsFleet';
import { FleetManifests } from './gitops/FleetManifests';
import { RolloutAuthorizer } from './RolloutAuthorizer';
import {
  CANDIDATE_FIELDS,
  candidateFromEntity,
  clusterResourceOf,
} from './rolloutCandidates';
import { RolloutControls } from './RolloutControls';
import { RolloutEngine } from './RolloutEngine';
import { createRolloutsRouter } from './rolloutsRouter';
import { RolloutService } from './RolloutService';
import { RolloutStore } from './RolloutStore';
import { RolloutFreezes } from './RolloutFreezes';
import { RolloutStrategies } from './RolloutStrategies';
import { RolloutsSettings } from './rolloutsSettings';
import { RolloutWindows } from './rolloutWindows';

/**
 * The rollouts' EKS clients: every request waits for the process's one
 * rollout budget (`eksRequestsPerSecond`, shared by every engine of this
 * process through the root AWS service's limiter), whoever sends it: the
 * engine's steps, its inspector, and the pre-check's blocker reads.
 */
export function rolloutEksClients(
  clients: Pick<AwsClientFactory, 'eks' | 'rateLimiter'>,
  eksRequestsPerSecond: number,
): Pick<AwsClientFactory, 'eks'> {
  const limiter = clients.rateLimiter(
    'eks-fleet.rollouts.eks',
    eksRequestsPerSecond,
  );
  return {
    eks: async target =>
      rateLimitedClient(
        await clients.eks(target),
        limiter,
        'eksFleetRolloutRateLimit',
      ),
  };
}

/**
 * The rollout engine, its service and routes: tables migrated, the EKS
 * cluster registered as a permission resource type, the engine ticking on
 * the scheduler on every replica (their claims in the database keep them
 * from running the same step twice).
 */
export async function setupRollouts(deps: {
  /** eksFleet.rollouts, read at start-up (readRolloutsSettings). */
  settings: RolloutsSettings;
  logger: LoggerService;
  database: DatabaseService;
  scheduler: SchedulerService;
  lifecycle: LifecycleService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  httpAuth: HttpAuthService;
  auth: AuthService;
  catalog: CatalogService;
  clients: AwsClientFactory;
  /** What EKS offers per region, shared with the cluster page and the fleet summary. */
  releases: EksReleaseCatalog;
  addedGates: RolloutGateSource[];
  addedExecutors: RolloutExecutor[];
  /** A wave's upgrade, for the rollout page's estimates (eksFleet.blockers.waveUpgradeEstimate). */
  upgradeEstimateMs?: number;
  /** The upgrade blockers of a cluster, for the pre-check. */
  blockersOf?: (entityRef: string) => Promise<UpgradeBlocker[]>;
  /** The fleet repository (eksFleet.rollouts.gitops), shared with the fleet page. */
  gitops?: GitOpsFleet;
  /** Its manifests, for the pre-check's and the dry run's "Git vs live". */
  manifests?: FleetManifests;
  /** The upgrade blockers of clusters as the caller sees them, for the plan. */
  planBlockersOf?: (
    clusterRefs: string[],
    credentials: BackstageCredentials,
  ) => Promise<UpgradeBlocker[]>;
}): Promise<{
  router: express.Router;
  engine: RolloutEngine;
  service: RolloutService;
  controls: RolloutControls;
  store: RolloutStore;
  windows: RolloutWindows;
  freezes: RolloutFreezes;
}> {
  const { settings } = deps;
  const logger = deps.logger.child({ component: 'rollouts' });
  deps.permissionsRegistry.addPermissions([
    rolloutReadPermission,
    rolloutFreezePermission,
    rolloutStrategyManagePermission,
  ]);
  deps.permissionsRegistry.addResourceType({
    resourceRef: eksClusterPermissionResourceRef,
    permissions: [
      rolloutCreatePermission,
      rolloutControlPermission,
      rolloutApprovePermission,
    ],
    rules: Object.values(eksClusterPermissionRules),
    // For a decision asked with a resourceRef (a cluster entity's ref).
    getResources: async refs => {
      const { items } = await deps.catalog.getEntitiesByRefs(
        { entityRefs: refs, fields: CANDIDATE_FIELDS },
        { credentials: await deps.auth.getOwnServiceCredentials() },
      );
      return items.map((entity): EksClusterResource | undefined => {
        if (!entity) return undefined;
        const candidate = candidateFromEntity(entity);
        return 'rejected' in candidate
          ? undefined
          : clusterResourceOf(candidate);
      });
    },
  });
  const authorizer = new RolloutAuthorizer(
    deps.permissions,
    deps.permissionsRegistry.getPermissionRuleset(
      eksClusterPermissionResourceRef,
    ),
  );
  const store = await RolloutStore.create({ database: deps.database });
  const freezes = new RolloutFreezes({
    db: await deps.database.getClient(),
    configured: settings.freezes,
    permissions: deps.permissions,
    authorizer,
  });
  const strategies = new RolloutStrategies({
    db: await deps.database.getClient(),
    configured: settings.strategies,
    permissions: deps.permissions,
    authorizer,
  });
  const gitops =
    deps.gitops ??
    (settings.gitops ? new GitOpsFleet(settings.gitops) : undefined);
  const manifests =
    deps.manifests ?? (gitops ? new FleetManifests(gitops) : undefined);
  const rolloutEks = rolloutEksClients(
    deps.clients,
    settings.eksRequestsPerSecond,
  );
  const eks = (cluster: EksClusterTarget) =>
    rolloutEks.eks({ accountId: cluster.accountId, region: cluster.region });
  const kubernetes = settings.kubernetesApi
    ? new EksKubernetesClient({
        eks,
        credentials: accountId => deps.clients.credentials(accountId),
        endpoint: settings.kubernetesApi.endpoint,
        requestTimeoutMs: settings.kubernetesApi.requestTimeoutMs,
      })
    : undefined;
  const eksExecutor = new EksRolloutExecutor(eks, {
    kubernetes,
    nodeClassTimeoutMs: settings.kubernetesApi?.nodeClassTimeoutMs,
  });
  const executors = [eksExecutor, ...deps.addedExecutors];
  const executor = executors.find(e => e.id === settings.executor);
  if (!executor) {
    throw new InputError(
      `Invalid config at eksFleet.rollouts.executor: no executor "${
        settings.executor
      }"; known: ${executors.map(e => e.id).join(', ')}`,
    );
  }
  const allGates = [
    new CloudWatchAlarmGateSource(
      deps.clients,
      settings.alarmNamePrefix,
      deps.clients.rateLimiter(
        'eks-fleet.rollouts.cloudwatch',
        settings.cloudWatchRequestsPerSecond,
      ),
    ),
    ...deps.addedGates,
  ];
  const gates = settings.gates
    ? settings.gates.map(id => {
        const gate = allGates.find(g => g.id === id);
        if (!gate) {
          throw new InputError(
            `Invalid config at eksFleet.rollouts.gates: no gate source "${id}"; known: ${allGates
              .map(g => g.id)
              .join(', ')}`,
          );
        }
        return gate;
      })
    : allGates;
  // Read and parsed once per rollout, for the engine and the page alike.
  const windows = new RolloutWindows(store);
  const inspector = new EksClusterInspector(
    eks,
    deps.releases,
    cluster =>
      deps.clients.ssm({
        accountId: cluster.accountId,
        region: cluster.region,
      }),
    kubernetes,
  );
  const engine = new RolloutEngine({
    store,
    inspector,
    executor,
    gates,
    logger,
    settings: settings.engine,
    blockersOf: deps.blockersOf,
    freezes: () => freezes.all(),
    windows,
    gitops: gitops && { fleet: gitops, updates: eksExecutor, manifests },
  });
  // On every replica, whatever schedule is configured: the claims in the
  // database decide who runs what, and a replica that dies leaves leases
  // the others take over when they run out.
  await deps.scheduler.scheduleTask({
    ...settings.schedule,
    id: 'eks-fleet-rollout-engine',
    scope: 'local',
    fn: abortSignal => engine.pulse(abortSignal),
  });
  deps.lifecycle.addShutdownHook(() => engine.stop());
  logger.info(
    `Rollout engine ${engine.instanceId} runs on this replica (lease ${settings.engine.leaseMs} ms)`,
  );
  const offeredVersions = async (cluster: {
    accountId: string;
    region: string;
  }) => (await deps.releases.versions(cluster)).data.map(v => v.version);
  const service = new RolloutService({
    store,
    gitops,
    manifests,
    inspector,
    catalog: deps.catalog,
    authorizer,
    logger,
    allowSelfApproval: settings.allowSelfApproval,
    offeredVersions,
    blockersOf: deps.planBlockersOf,
    upgradeEstimateMs: deps.upgradeEstimateMs,
    freezes: () => freezes.all(),
    windows,
    strategies,
  });
  const controls = new RolloutControls({
    store,
    authorizer,
    logger,
    allowSelfApproval: settings.allowSelfApproval,
    startTimeoutMs: settings.engine.startTimeoutMs,
  });
  return {
    router: createRolloutsRouter({
      httpAuth: deps.httpAuth,
      rollouts: service,
      controls,
      freezes,
      strategies,
    }),
    engine,
    service,
    controls,
    store,
    windows,
    freezes,
  };
}
