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
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { InputError } from '@backstage/errors';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  AwsClientFactory,
  CloudWatchSloProvider,
  CostExplorerCostProvider,
  EksCostProvider,
  EksFindingsProvider,
  eksFleetAwsServiceRef,
  eksFleetInsightsExtensionPoint,
  eksFleetRolloutsExtensionPoint,
  EksReleaseCatalog,
  EksSloProvider,
  FetchedCache,
  OpenCostCostProvider,
  PrometheusSloProvider,
  RolloutExecutor,
  RolloutGateSource,
  SecurityHubFindingsProvider,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { EntityCostService } from './service/EntityCostService';
import { WorkloadSloService } from './service/WorkloadSloService';
import { createEntityInsightsRouter } from './service/entityInsightsRouter';
import { readEksFleetBackendConfig } from './config/readBackendConfig';
import { rolloutEksClients, setupRollouts } from './rollouts/setupRollouts';
import { setupRolloutFeed } from './rollouts/setupRolloutFeed';
import { InsightsService } from './service/InsightsService';
import { createRouter } from './service/router';
import { createFleetRouter } from './fleet/createFleetRouter';
import { createApiRouter } from './service/apiRouter';
import { BlockersService } from './blockers/BlockersService';
import { createBlockersRouter } from './blockers/blockersRouter';
import { createTemplateFormRouter } from './templateForm/templateFormRouter';
import { readScheduledWaves } from './blockers/scheduledWaves';
import { UpgradeWorkService } from './blockers/UpgradeWorkService';
import { BlockerNotifier } from './blockers/BlockerNotifier';
import { BlockersWarmUp } from './blockers/BlockersWarmUp';
import { registerFleetActions } from './actions/fleetActions';
import {
  blockerFindingsSource,
  fleetCostSource,
  fleetFindingsSource,
} from './fleet/fleetSources';
import { FleetSummaryService } from './fleet/FleetSummaryService';
import { createGitOpsFleet } from './rollouts/gitops/createGitOpsFleet';
import { FleetManifests } from './rollouts/gitops/FleetManifests';

/**
 * The EKS Fleet backend: a cluster page's insights under /api/eks-fleet.
 *
 * @public
 */
export const eksFleetPlugin = createBackendPlugin({
  pluginId: 'eks-fleet',
  register(env) {
    const added = {
      slo: [] as EksSloProvider[],
      cost: [] as EksCostProvider[],
      findings: [] as EksFindingsProvider[],
    };
    env.registerExtensionPoint(eksFleetInsightsExtensionPoint, {
      addSloProvider: p => added.slo.push(p),
      addCostProvider: p => added.cost.push(p),
      addFindingsProvider: p => added.findings.push(p),
    });
    const rolloutExtensions = {
      gates: [] as RolloutGateSource[],
      executors: [] as RolloutExecutor[],
    };
    env.registerExtensionPoint(eksFleetRolloutsExtensionPoint, {
      addGateSource: g => rolloutExtensions.gates.push(g),
      addExecutor: e => rolloutExtensions.executors.push(e),
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        cache: coreServices.cache,
        catalog: catalogServiceRef,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auth: coreServices.auth,
        lifecycle: coreServices.lifecycle,
        notifications: notificationService,
        signals: signalsServiceRef,
        clients: eksFleetAwsServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init({
        config,
        logger,
        httpRouter,
        httpAuth,
        cache,
        catalog,
        database,
        scheduler,
        permissions,
        permissionsRegistry,
        auth,
        lifecycle,
        notifications,
        signals,
        clients,
        actionsRegistry,
      }) {
        // Every key under eksFleet, read and checked once, here.
        const settings = readEksFleetBackendConfig(config);
        const {
          insights: insightsConfig,
          fleet: fleetSettings,
          openCost: openCostConfig,
          prometheus: prometheusConfig,
          blockers: blockersConfig,
        } = settings;
        const openCost =
          openCostConfig && new OpenCostCostProvider(openCostConfig);
        const prometheus =
          prometheusConfig &&
          new PrometheusSloProvider(prometheusConfig, {
            credentials: accountId => clients.credentials(accountId),
          });
        const builtIn = {
          slo: [new CloudWatchSloProvider(clients), prometheus],
          cost: [new CostExplorerCostProvider(clients), openCost],
          findings: [new SecurityHubFindingsProvider(clients)],
        };
        const configuredUnder: Record<string, string> = {
          opencost: 'eksFleet.insights.cost.opencost',
          prometheus: 'eksFleet.insights.slo.prometheus',
        };
        const pick = <T extends { id: string }>(
          kind: 'slo' | 'cost' | 'findings',
          builtInProviders: Array<T | undefined>,
          extra: T[],
        ) => {
          const wanted = insightsConfig.providers[kind];
          if (wanted === 'none') {
            return undefined;
          }
          const [aws] = builtInProviders;
          if (wanted === 'aws') {
            return aws;
          }
          const found =
            builtInProviders.find(p => p?.id === wanted) ??
            extra.find(p => p.id === wanted);
          if (!found) {
            if (configuredUnder[wanted]) {
              throw new InputError(
                `Invalid config at eksFleet.insights.${kind}.provider: "${wanted}" needs ${configuredUnder[wanted]}`,
              );
            }
            throw new InputError(
              `Invalid config at eksFleet.insights.${kind}.provider: no ${kind} provider "${wanted}"; known: aws, none${[
                ...builtInProviders.slice(1),
                ...extra,
              ]
                .filter(Boolean)
                .map(p => `, ${p!.id}`)
                .join('')}`,
            );
          }
          return found;
        };
        // DescribeClusterVersions and DescribeAddonVersions, once per region
        // (and version) for the cluster page, the fleet page and rollouts.
        const releases = new EksReleaseCatalog({
          clients,
          cache: new FetchedCache({ cache, ttlMs: insightsConfig.cacheTtlMs }),
        });
        // The fleet repository, when configured: its manifests feed the
        // fleet page's and the cluster page's "Git vs live", and rollouts.
        const gitOpsSettings = settings.rollouts.gitops;
        const gitops =
          gitOpsSettings &&
          createGitOpsFleet(gitOpsSettings, {
            rootConfig: config,
            catalog,
            auth,
          });
        const manifests = gitops && new FleetManifests(gitops);
        const insights = new InsightsService({
          manifests,
          clients,
          releases,
          cache,
          logger,
          config: insightsConfig,
          slo: pick<EksSloProvider>('slo', builtIn.slo, added.slo),
          cost: pick<EksCostProvider>('cost', builtIn.cost, added.cost),
          findings: pick<EksFindingsProvider>(
            'findings',
            builtIn.findings,
            added.findings,
          ),
        });
        // Built once the rollout store exists (the blockers read its waves).
        const late: {
          work?: UpgradeWorkService;
          preCheck?: UpgradeWorkService;
        } = {};
        const rollouts = await setupRollouts({
          gitops,
          manifests,
          upgradeEstimateMs: blockersConfig.waveUpgradeEstimateMs,
          settings: settings.rollouts,
          logger,
          database,
          scheduler,
          lifecycle,
          permissions,
          permissionsRegistry,
          httpAuth,
          auth,
          catalog,
          clients,
          releases,
          addedGates: rolloutExtensions.gates,
          addedExecutors: rolloutExtensions.executors,
          // The pre-check stops a cluster on the blockers its owners see,
          // read within the rollouts' EKS budget.
          blockersOf: async entityRef =>
            late.preCheck!.clusterBlockers(
              entityRef,
              await auth.getOwnServiceCredentials(),
            ),
          planBlockersOf: (clusterRefs, credentials) =>
            late.work!.clusterBlockers(clusterRefs, credentials),
        });
        const blockersFetched = new FetchedCache({
          cache,
          ttlMs: insightsConfig.cacheTtlMs,
        });
        const blockerFindings = blockerFindingsSource(
          pick('findings', builtIn.findings, added.findings),
          { clients },
        );
        const blockersReading = (eks: Pick<AwsClientFactory, 'eks'>) =>
          new BlockersService({
            clients: eks,
            releases,
            findings: blockerFindings,
            fetched: blockersFetched,
            logger: logger.child({ service: 'upgrade-blockers' }),
            policies: blockersConfig.policies,
            concurrency: fleetSettings.concurrency,
            scheduledWaves: () =>
              readScheduledWaves(rollouts.store, {
                now: new Date(),
                upgradeMs: blockersConfig.waveUpgradeEstimateMs,
              }),
          });
        const blockers = blockersReading(clients);
        // The engine's pre-checks read the same answers (one cache), and
        // what they ask EKS waits for the rollouts' request budget.
        late.preCheck = new UpgradeWorkService({
          catalog,
          blockers: blockersReading(
            rolloutEksClients(clients, settings.rollouts.eksRequestsPerSecond),
          ),
        });
        const upgradeWork = new UpgradeWorkService({ catalog, blockers });
        late.work = upgradeWork;
        if (blockersConfig.warmUp) {
          const warmUp = new BlockersWarmUp({
            blockers,
            readClusters: async () =>
              upgradeWork.fleetClusters(await auth.getOwnServiceCredentials()),
            // A card needing AWS meanwhile waits for one batch at most.
            batchSize: fleetSettings.concurrency * 4,
            logger: logger.child({ task: 'eks-fleet-blockers-warm-up' }),
          });
          const { schedule } = blockersConfig.warmUp;
          await scheduler.scheduleTask({
            id: 'eks-fleet-blockers-warm-up',
            ...schedule,
            // Each replica keeps its own cache, unless told otherwise.
            scope: schedule.scope ?? 'local',
            fn: async signal => {
              await warmUp.run(signal);
            },
          });
        }
        if (blockersConfig.notifications) {
          const notifier = new BlockerNotifier({
            db: await database.getClient(),
            notifications,
            logger: logger.child({ task: 'eks-fleet-blocker-notices' }),
            daysBeforeDeadline: blockersConfig.notifications.daysBeforeDeadline,
            readBlockers: async () =>
              upgradeWork.allBlockers(await auth.getOwnServiceCredentials()),
          });
          await scheduler.scheduleTask({
            id: 'eks-fleet-blocker-notices',
            ...blockersConfig.notifications.schedule,
            fn: async () => {
              const sent = await notifier.run();
              logger.info(
                `Upgrade blocker notices: ${sent.appeared} new, ${sent.deadlines} before a deadline`,
              );
            },
          });
        }
        const routers = [
          await createRouter({ httpAuth, catalog, insights, logger }),
        ];
        // Cost inside clusters and workloads' SLOs, where teams look.
        const fetched = new FetchedCache({
          cache,
          ttlMs: insightsConfig.cacheTtlMs,
        });
        routers.push(
          createEntityInsightsRouter({
            httpAuth,
            catalog,
            cost: new EntityCostService({
              provider: openCost,
              fetched,
              logger,
              days: insightsConfig.costDays,
              teamLabel: openCostConfig?.teamLabel ?? 'team',
            }),
            slo: new WorkloadSloService({
              // Prometheus whenever it is configured, whatever answers the
              // control plane's card; else the card's own if it measures
              // workloads.
              provider: prometheus ?? insights.sloProvider,
              fetched,
              logger,
              objective: insightsConfig.sloObjective,
            }),
          }),
        );
        routers.push(
          await createFleetRouter({
            logger,
            httpAuth,
            catalog,
            summary: new FleetSummaryService({
              manifests,
              clients,
              releases,
              cache,
              cacheTtlMs: fleetSettings.cacheTtlMs,
              logger: logger.child({ service: 'fleet-summary' }),
              // The cards' own providers, read in bulk where AWS can.
              cost: fleetCostSource(
                pick<EksCostProvider>('cost', builtIn.cost, added.cost),
                { clients, days: insightsConfig.costDays },
              ),
              findings: fleetFindingsSource(
                pick<EksFindingsProvider>(
                  'findings',
                  builtIn.findings,
                  added.findings,
                ),
                { clients },
              ),
              costDays: insightsConfig.costDays,
              concurrency: fleetSettings.concurrency,
              controlPlanePrice: insightsConfig.controlPlanePrice,
            }),
            blockers: credentials => upgradeWork.fleetBlockers(credentials),
          }),
        );
        routers.push(rollouts.router);
        // Live rollout pages (signals) and rollout notifications.
        await setupRolloutFeed({
          settings: settings.rolloutFeed,
          logger,
          database,
          scheduler,
          lifecycle,
          auth,
          catalog,
          signals,
          notifications,
          store: rollouts.store,
          upgradeEstimateMs: blockersConfig.waveUpgradeEstimateMs,
          windows: rollouts.windows,
          freezes: rollouts.freezes,
        });
        // The cluster template's form fields: versions and landing zones.
        routers.push(
          createTemplateFormRouter({
            httpAuth,
            releases,
            landingZones: settings.landingZones,
            logger,
          }),
        );
        routers.push(
          createBlockersRouter({
            httpAuth,
            work: upgradeWork,
          }),
        );
        // The same reads and the rollout dry run and start, for agents (MCP).
        registerFleetActions({
          actionsRegistry,
          catalog,
          insights,
          rollouts: rollouts.service,
        });
        // Validated against src/schema/openapi.yaml; one error handler after
        // every route.
        httpRouter.use(createApiRouter({ routers, logger }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
