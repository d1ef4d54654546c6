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

import { EKSClient, UpdateClusterVersionCommand } from '@aws-sdk/client-eks';
import { TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import {
  credentialsFor,
  generateFleet,
  RunningEmulator,
  startEmulator,
  testFleet,
} from '@internal/aws-emulator';
import { EksClusterEntityTransformer } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { Knex } from 'knex';
import { emulatorClients } from '../__testUtils__/emulatorClients';
import {
  recordingConnection,
  recordingLogger,
} from '../__testUtils__/recorders';
import { ProviderStateStore } from '../database/ProviderStateStore';
import { ClusterNameIndex } from '../processor/ClusterNameIndex';
import { readProviderConfig } from './config';
import { EksFleetEntityProvider } from './EksFleetEntityProvider';
import { validateResourceEntity } from './validateEntity';

jest.setTimeout(60_000);

const PLATFORM = '111111111111';
const PAYMENTS = '222222222222';
const LIVE = ['edge', 'pay-apac', 'pay-dev', 'pay-prod', 'tools'];

const databases = TestDatabases.create();

const titles = (clusters: Map<string, Entity>) => [...clusters.keys()].sort();

describe.each(databases.eachSupportedId())(
  'EksFleetEntityProvider against the emulator, on %p',
  databaseId => {
    let knex: Knex;
    let store: ProviderStateStore;
    let emulator: RunningEmulator;
    let now: Date;
    let connection: ReturnType<typeof recordingConnection>;
    let logger: ReturnType<typeof recordingLogger>;
    let groups: string[];

    const providerConfig = (extra: Record<string, unknown> = {}) =>
      readProviderConfig(
        'org',
        new ConfigReader({
          aggregator: { name: 'org-aggregator', region: 'us-east-1' },
          ownership: { defaultOwner: 'group:default/platform-team' },
          enrichment: { fullRefresh: '1d' },
          // A fleet of five: one deletion is 20% of it.
          deletionGuard: { maxShare: 0.5 },
          ...extra,
        }),
      );

    function provider(
      options: {
        transformers?: EksClusterEntityTransformer[];
        config?: Record<string, unknown>;
        retries?: { maxAttempts: number; retryMode: 'standard' };
        url?: string;
        clusterIndex?: ClusterNameIndex;
        clustersInCatalog?: (providerId: string) => Promise<number>;
      } = {},
    ) {
      return new EksFleetEntityProvider(providerConfig(options.config), {
        clients: emulatorClients(
          options.url ?? emulator.url,
          emulator.state.fleet,
          options.retries,
        ),
        logger,
        store,
        catalog: {
          knownRefs: async () => ({
            groups,
            systems: ['system:default/payments'],
          }),
          // What the catalog holds is what the recorded mutations left.
          existingRefs: async refs =>
            new Set(refs.filter(ref => connection.entities.has(ref))),
          // The recorded catalog serves what the mutations left at once.
          clustersInCatalog:
            options.clustersInCatalog ??
            (async () => connection.clusters().size),
        },
        transformers: options.transformers ?? [],
        clusterIndex: options.clusterIndex,
        clock: () => now,
      });
    }

    async function connected(p: EksFleetEntityProvider) {
      await p.connect(connection);
      return p;
    }

    const cluster = (accountId: string, region: string, name: string) =>
      emulator.state.findCluster(accountId, region, name)!;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      store = await ProviderStateStore.create({ getClient: async () => knex });
    });

    beforeEach(async () => {
      await knex('eks_fleet_cluster_records').delete();
      await knex('eks_fleet_provider_state').delete();
      now = new Date();
      groups = ['group:default/payments', 'group:default/platform-team'];
      connection = recordingConnection();
      logger = recordingLogger();
      emulator = await startEmulator({
        fleet: testFleet(),
        port: 0,
        updateDelayMs: 0,
      });
    });
    afterEach(() => emulator.stop());

    describe('the full read', () => {
      it('emits every live cluster and its infrastructure, all valid, as a full mutation; a second read asks EKS nothing', async () => {
        const p = await connected(provider());
        const first = await p.refresh();
        expect(titles(connection.clusters())).toEqual(LIVE);
        // The full mutation has every cluster; the VPCs, roles and keys new
        // to the catalog follow it, so the catalog processes clusters first.
        const [full, infra] = connection.mutations.slice(-2);
        expect(full.type).toBe('full');
        expect(
          full.type === 'full' &&
            full.entities.every(
              e => e.entity.spec?.type === 'kubernetes-cluster',
            ),
        ).toBe(true);
        expect(infra).toMatchObject({ type: 'delta', removed: [] });
        expect(
          infra.type === 'delta' &&
            infra.added.every(
              e => e.entity.spec?.type !== 'kubernetes-cluster',
            ),
        ).toBe(true);
        for (const entity of connection.entities.values()) {
          await validateResourceEntity(entity);
        }
        expect(first).toMatchObject({
          kind: 'full',
          mutation: 'full',
          clusters: 5,
          configCalls: 3,
          enriched: 5,
          removed: 0,
          partial: false,
        });
        // DescribeCluster, ListNodegroups, DescribeNodegroup per node group
        // (at most two here); add-on versions come from Config.
        expect(first.eksCalls).toBeGreaterThanOrEqual(5 * 3);
        expect(first.eksCalls).toBeLessThanOrEqual(5 * 4);

        const prod = connection.clusters().get('pay-prod')!;
        expect(prod.spec).toMatchObject({
          owner: 'group:default/payments',
          system: 'system:default/payments',
          eks: expect.objectContaining({
            platformVersion: expect.stringMatching(/^eks\./),
            supportType: 'EXTENDED',
          }),
        });
        expect(prod.spec?.dependsOn).toHaveLength(3);
        expect(
          [...connection.entities.values()].filter(
            e => e.spec?.type === 'aws-vpc',
          ),
        ).toHaveLength(5);

        const before = new Map(connection.entities);
        const second = await p.refresh();
        expect(second).toMatchObject({
          eksCalls: 0,
          enriched: 0,
          configCalls: 3,
          clusters: 5,
        });
        expect(connection.entities).toEqual(before);
      });

      it('hands new VPCs, roles and keys over once the catalog serves the clusters, asking for its own clusters, with the records saved first', async () => {
        const asked: Array<{
          providerId: string;
          mutations: number;
          records: number;
        }> = [];
        const p = await connected(
          provider({
            // The catalog serves 3 of the 5 clusters, then all.
            clustersInCatalog: async providerId => {
              asked.push({
                providerId,
                mutations: connection.mutations.length,
                records: await store.countRecords('org'),
              });
              return asked.length < 2 ? 3 : 5;
            },
          }),
        );
        await p.refresh();
        expect(asked.map(a => a.providerId)).toEqual(['org', 'org']);
        // A backend that stops while it waits does not ask EKS again.
        expect(asked.map(a => a.records)).toEqual([5, 5]);
        // Every cluster is in before the infrastructure's mutation, the last.
        const infraAt = connection.mutations.findIndex(
          m =>
            m.type === 'delta' &&
            m.added.some(e => e.entity.spec?.type === 'aws-vpc'),
        );
        expect(infraAt).toBe(connection.mutations.length - 1);
        expect(asked.every(a => a.mutations === infraAt)).toBe(true);

        // A second read has no new infrastructure: it does not ask.
        await p.refresh();
        expect(asked).toHaveLength(2);
      });
      it('after a backend stops while the infrastructure waits, the next full read asks EKS nothing and hands the VPCs, roles and keys over with the clusters', async () => {
        // The first backend stops where the infrastructure would go in.
        const first = recordingConnection();
        const stopping = provider({
          clustersInCatalog: async () => first.clusters().size,
        });
        await stopping.connect({
          ...first,
          applyMutation: async mutation => {
            if (
              mutation.type === 'delta' &&
              mutation.added.some(e => e.entity.spec?.type === 'aws-vpc')
            ) {
              throw new Error('the backend stopped');
            }
            await first.applyMutation(mutation);
          },
        });
        await expect(stopping.refresh()).rejects.toThrow('the backend stopped');
        expect(first.clusters().size).toBe(5);
        expect(
          [...first.entities.values()].some(e => e.spec?.type === 'aws-vpc'),
        ).toBe(false);

        // The next backend's first full read.
        const run = await (await connected(provider())).refresh();
        expect(run).toMatchObject({ eksCalls: 0, enriched: 0, clusters: 5 });
        expect(connection.mutations).toHaveLength(1);
        expect(connection.mutations[0].type).toBe('full');
        expect(
          [...connection.entities.values()].filter(
            e => e.spec?.type === 'aws-vpc',
          ).length,
        ).toBeGreaterThan(0);
      });
      it('enriches only the cluster whose Config item moved, and every cluster after the full-enrichment period', async () => {
        const p = await connected(provider());
        await p.refresh();
        emulator.state.changeCluster(
          cluster(PAYMENTS, 'eu-west-1', 'pay-prod'),
          c => {
            c.platformVersion = 'eks.99';
          },
        );
        const run = await p.refresh();
        expect(run.enriched).toBe(1);
        expect(
          connection.clusters().get('pay-prod')!.metadata.labels,
        ).toMatchObject({ 'eks-fleet.io/platform-version': 'eks.99' });
        now = new Date(now.getTime() + 25 * 3600_000);
        expect((await p.refresh()).enriched).toBe(5);
      });

      it('on a partial read (a failing source, a malformed item) what it could not see stays exactly as it was, and nothing of those accounts and regions is removed', async () => {
        const p = await connected(provider());
        await p.refresh();
        const before = connection.clusters();

        emulator.state.changeCluster(
          cluster(PAYMENTS, 'ap-southeast-2', 'pay-apac'),
          c => {
            c.platformVersion = 'eks.98';
          },
        );
        emulator.state.changeCluster(
          cluster(PAYMENTS, 'eu-west-1', 'pay-dev'),
          c => {
            c.deleted = true;
          },
        );
        emulator.state.changeCluster(
          cluster(PLATFORM, 'eu-west-1', 'edge'),
          c => {
            c.platformVersion = 'eks.97';
          },
        );
        emulator.state.setFaults({
          failingAggregatorSources: [
            { accountId: PAYMENTS, region: 'ap-southeast-2' },
          ],
          malformedConfigItems: ['pay-prod'],
        });
        const partial = await p.refresh();
        // pay-apac (its source failed) and pay-dev (deleted, but in the
        // account and region of the unreadable pay-prod) are kept unseen.
        expect(partial).toMatchObject({
          partial: true,
          mutation: 'full',
          removed: 0,
          keptFromPreviousRun: 2,
        });
        const during = connection.clusters();
        expect(titles(during)).toEqual(LIVE);
        // The failing source's cluster, the unreadable one and the deleted
        // one are exactly as before; the readable change went through.
        for (const name of ['pay-apac', 'pay-prod', 'pay-dev']) {
          expect(during.get(name)).toEqual(before.get(name));
        }
        expect(during.get('edge')!.spec?.eks).toMatchObject({
          platformVersion: 'eks.97',
        });

        const warnings = logger.lines.filter(l => l.level === 'warn');
        expect(warnings).toContainEqual(
          expect.objectContaining({
            message: expect.stringContaining(
              `AWS::EKS::Cluster item arn:aws:eks:eu-west-1:${PAYMENTS}:cluster/pay-prod`,
            ),
            meta: expect.objectContaining({
              providerId: 'org',
              arn: `arn:aws:eks:eu-west-1:${PAYMENTS}:cluster/pay-prod`,
            }),
          }),
        );
        expect(warnings).toContainEqual(
          expect.objectContaining({
            message: expect.stringContaining(
              `account ${PAYMENTS}, region ap-southeast-2 failed`,
            ),
            meta: expect.objectContaining({
              providerId: 'org',
              accountId: PAYMENTS,
              region: 'ap-southeast-2',
            }),
          }),
        );

        emulator.state.resetFaults();
        const complete = await p.refresh();
        expect(complete).toMatchObject({
          partial: false,
          mutation: 'full',
          removed: 1,
        });
        const after = connection.clusters();
        expect(titles(after)).toEqual(LIVE.filter(name => name !== 'pay-dev'));
        expect(after.get('pay-apac')!.spec?.eks).toMatchObject({
          platformVersion: 'eks.98',
        });
      });

      it('applies nothing when AWS Config fails, and logs the account, region and provider', async () => {
        const p = await connected(provider());
        await p.refresh();
        const state = await store.getState('org');
        emulator.state.setFaults({ throttleRate: 1, services: ['config'] });
        await expect(p.refresh()).rejects.toThrow(
          /aggregator org-aggregator \(account main, region us-east-1\) failed: .*Rate exceeded/,
        );
        await expect(p.deltaRefresh()).rejects.toThrow(/Rate exceeded/);
        expect(
          connection.mutations.filter(m => m.type === 'full'),
        ).toHaveLength(1);
        expect(titles(connection.clusters())).toEqual(LIVE);
        expect(await store.getState('org')).toEqual(state);
        expect(logger.lines).toContainEqual(
          expect.objectContaining({
            level: 'error',
            meta: expect.objectContaining({
              providerId: 'org',
              target: 'eks-fleet:org',
              accountId: 'main',
              region: 'us-east-1',
            }),
          }),
        );
      });

      it("asks EKS about the clusters while Config's add-on query still runs, and builds each with its add-ons", async () => {
        const order: string[] = [];
        const slowConfig = await startEmulator({
          fleet: testFleet(),
          port: 0,
          faults: {
            latencyMs: 300,
            services: ['config'],
            operations: ['SelectAggregateResourceConfig'],
          },
          onRequest: entry => order.push(`${entry.service}.${entry.operation}`),
        });
        try {
          const p = await connected(provider({ url: slowConfig.url }));
          const run = await p.refresh();
          expect(run).toMatchObject({
            partial: false,
            clusters: 5,
            enriched: 5,
          });
          // The clusters' query, then the add-ons' (one page each here).
          const queries = order.filter(
            o => o === 'config.SelectAggregateResourceConfig',
          );
          expect(queries).toHaveLength(2);
          const firstEks = order.indexOf('eks.DescribeCluster');
          expect(firstEks).toBeGreaterThan(
            order.indexOf('config.SelectAggregateResourceConfig'),
          );
          expect(firstEks).toBeLessThan(
            order.lastIndexOf('config.SelectAggregateResourceConfig'),
          );
          for (const live of slowConfig.state
            .allClusters()
            .filter(c => LIVE.includes(c.name))) {
            const entity = connection.clusters().get(live.name)!;
            const addons = (
              entity.spec?.eks as {
                addons: { name: string; version: string }[];
              }
            ).addons;
            expect(addons.map(a => `${a.name}@${a.version}`).sort()).toEqual(
              live.addons.map(a => `${a.addonName}@${a.addonVersion}`).sort(),
            );
          }
        } finally {
          await slowConfig.stop();
        }
      });

      it('applies and saves nothing when Config fails after the clusters were read, while EKS is asked', async () => {
        let queries = 0;
        let eksCalls = 0;
        const failing = await startEmulator({
          fleet: testFleet(),
          port: 0,
          onRequest: entry => {
            eksCalls += entry.service === 'eks' ? 1 : 0;
            if (
              entry.operation === 'SelectAggregateResourceConfig' &&
              ++queries === 1
            ) {
              // The clusters' query answered: the add-ons' query fails.
              failing.state.setFaults({ errorRate: 1, services: ['config'] });
            }
          },
        });
        try {
          const p = await connected(provider({ url: failing.url }));
          await expect(p.refresh()).rejects.toThrow(
            /aggregator org-aggregator .* failed/,
          );
          expect(eksCalls).toBeGreaterThan(0);
          expect(connection.mutations).toEqual([]);
          expect(await store.listRecords('org')).toEqual(new Map());
          expect(await store.getState('org')).toEqual({
            watermark: undefined,
            lastFullReadAt: undefined,
          });
        } finally {
          await failing.stop();
        }
      });

      it('retries throttling and 5xx with backoff until the whole fleet is read', async () => {
        const failures: string[] = [];
        const flaky = await startEmulator({
          fleet: testFleet(),
          port: 0,
          faults: {
            throttleRate: 0.2,
            errorRate: 0.15,
            services: ['config', 'eks'],
          },
          onRequest: entry => {
            if (entry.errorCode) {
              failures.push(`${entry.status} ${entry.errorCode}`);
            }
          },
        });
        try {
          const p = await connected(
            provider({
              url: flaky.url,
              retries: { maxAttempts: 12, retryMode: 'standard' },
            }),
          );
          const run = await p.refresh();
          expect(run).toMatchObject({
            partial: false,
            clusters: 5,
            enriched: 5,
            enrichmentFailures: 0,
          });
          expect(titles(connection.clusters())).toEqual(LIVE);
          // Config throttles with a 400, EKS with a 429; both fail with 5xx.
          expect(failures).toContain('429 ThrottlingException');
          expect(failures).toContain('500 ServerException');
          expect(failures.length).toBeGreaterThan(5);
        } finally {
          await flaky.stop();
        }
      }, 180_000);

      it('keeps going when EKS fails for a cluster, with what it knew', async () => {
        const p = await connected(provider());
        await p.refresh();
        emulator.state.changeCluster(
          cluster(PAYMENTS, 'eu-west-1', 'pay-prod'),
          () => {},
        );
        emulator.state.setFaults({ errorRate: 1, services: ['eks'] });
        const run = await p.refresh();
        expect(run).toMatchObject({ enrichmentFailures: 1, clusters: 5 });
        expect(connection.clusters().get('pay-prod')!.spec?.eks).toMatchObject({
          platformVersion: expect.stringMatching(/^eks\./),
        });
        expect(logger.lines).toContainEqual(
          expect.objectContaining({
            level: 'warn',
            message: expect.stringContaining(
              `Could not read cluster ${PAYMENTS}/eu-west-1/pay-prod from EKS`,
            ),
            meta: expect.objectContaining({
              accountId: PAYMENTS,
              region: 'eu-west-1',
            }),
          }),
        );
      });

      it('falls back to the default owner for an unknown team, and says so on the entity', async () => {
        const p = await connected(provider());
        const run = await p.refresh();
        // "tools" is tagged team=platform, which is no group here.
        const tools = connection.clusters().get('tools')!;
        expect(tools.spec?.owner).toBe('group:default/platform-team');
        expect(
          tools.metadata.annotations?.['eks-fleet.io/owner-warning'],
        ).toContain('team="platform"');
        expect(run.ownershipWarnings).toBeGreaterThan(0);
      });

      it('runs transformers in order, skips one that throws, and leaves out a cluster one drops', async () => {
        const p = await connected(
          provider({
            transformers: [
              (entity, { cluster: c }) => ({
                ...entity,
                metadata: {
                  ...entity.metadata,
                  labels: {
                    ...entity.metadata.labels,
                    'cost-center': c.tags.environment ?? 'none',
                  },
                },
              }),
              () => {
                throw new Error('boom');
              },
              (entity, { cluster: c }) =>
                c.name === 'edge' ? undefined : entity,
            ],
          }),
        );
        await p.refresh();
        expect(titles(connection.clusters())).toEqual(
          LIVE.filter(name => name !== 'edge'),
        );
        expect(
          connection.clusters().get('pay-prod')!.metadata.labels?.[
            'cost-center'
          ],
        ).toBe('prod');
      });

      it('describes at most concurrencyPerRegion clusters at once per account and region, and maxConcurrency in all', async () => {
        const fleet = generateFleet({
          clusters: 48,
          accounts: 2,
          regions: 2,
          addonsPerCluster: 1,
          nodegroupsPerCluster: 1,
          seed: 11,
        });
        // When each EKS request was in the emulator, by account and region.
        const spans: Array<{ key: string; start: number; end: number }> = [];
        const slow = await startEmulator({
          fleet,
          port: 0,
          faults: { latencyMs: 20, services: ['eks'] },
          onRequest: entry => {
            if (entry.service === 'eks') {
              const end = performance.now();
              spans.push({
                key: `${entry.accountId}/${entry.region}`,
                start: end - entry.durationMs,
                end,
              });
            }
          },
        });
        try {
          const [aggregator] = fleet.aggregators;
          const p = await connected(
            new EksFleetEntityProvider(
              readProviderConfig(
                'generated',
                new ConfigReader({
                  aggregator: {
                    name: aggregator.name,
                    region: aggregator.region,
                  },
                  ownership: { defaultOwner: 'group:default/platform-team' },
                  enrichment: { concurrencyPerRegion: 2, maxConcurrency: 3 },
                }),
              ),
              {
                clients: emulatorClients(slow.url, fleet),
                logger,
                store,
                catalog: {
                  knownRefs: async () => ({ groups, systems: [] }),
                  existingRefs: async () => new Set(),
                },
                transformers: [],
                clock: () => now,
              },
            ),
          );
          const run = await p.refresh();
          expect(run).toMatchObject({ clusters: 48, enriched: 48 });
          // Each cluster's calls go one after another, so requests at once
          // are clusters at once.
          const most = (key?: string) => {
            const events = spans
              .filter(span => key === undefined || span.key === key)
              .flatMap(span => [
                { at: span.start, delta: 1 },
                { at: span.end, delta: -1 },
              ])
              .sort((a, b) => a.at - b.at || a.delta - b.delta);
            let open = 0;
            let peak = 0;
            for (const event of events) {
              open += event.delta;
              peak = Math.max(peak, open);
            }
            return peak;
          };
          const keys = [...new Set(spans.map(span => span.key))];
          expect(keys).toHaveLength(4);
          expect(keys.map(key => [key, most(key) <= 2])).toEqual(
            keys.map(key => [key, true]),
          );
          expect(most()).toBeLessThanOrEqual(3);
          // And the bound is used: clusters are described side by side.
          expect(most()).toBeGreaterThan(1);
        } finally {
          await slow.stop();
        }
      });

      it('names entities with the configured template', async () => {
        const index = new ClusterNameIndex({
          load: () => store.listClusterNames(),
        });
        const p = await connected(
          provider({
            config: {
              entityNameTemplate: 'eks-{accountId}-{region}-{clusterName}',
            },
            clusterIndex: index,
          }),
        );
        await p.refresh();
        expect(connection.clusters().get('pay-prod')!.metadata.name).toBe(
          `eks-${PAYMENTS}-eu-west-1-pay-prod`,
        );
        await index.ensureFresh();
        expect(
          index.entityNameOfArn(
            `arn:aws:eks:eu-west-1:${PAYMENTS}:cluster/pay-prod`,
          ),
        ).toBe(`eks-${PAYMENTS}-eu-west-1-pay-prod`);
        expect(index.entityNamesOf('tools')).toEqual([
          `eks-${PLATFORM}-us-east-1-tools`,
        ]);
      });
    });

    describe('the delta read', () => {
      const eks = (accountId: string, region: string) =>
        new EKSClient({
          endpoint: emulator.url,
          region,
          credentials: credentialsFor(accountId),
          maxAttempts: 1,
        });

      it('does nothing before a full read was applied', async () => {
        const p = await connected(provider());
        expect(await p.deltaRefresh()).toMatchObject({
          skipped: 'no full read was applied yet',
          configCalls: 0,
        });
        expect(connection.mutations).toEqual([]);
      });

      it('asks Config only for items captured since the watermark and applies the changed clusters as a delta', async () => {
        const p = await connected(provider());
        const full = await p.refresh();
        expect(full.watermark).toBeDefined();
        const quiet = await p.deltaRefresh();
        expect(quiet).toMatchObject({
          kind: 'delta',
          mutation: undefined,
          configCalls: 3,
          eksCalls: 0,
        });

        // An upgrade through the EKS API: UPDATING, then 1.33 (the update
        // finishes at once here).
        await eks(PAYMENTS, 'eu-west-1').send(
          new UpdateClusterVersionCommand({
            name: 'pay-prod',
            version: '1.33',
          }),
        );
        const mutations = connection.mutations.length;
        const run = await p.deltaRefresh();
        expect(run).toMatchObject({
          kind: 'delta',
          mutation: 'delta',
          clusters: 1,
          entities: 1,
          enriched: 1,
          configCalls: 3,
          removed: 0,
          partial: false,
        });
        expect(run.eksCalls).toBeGreaterThan(0);
        const applied = connection.mutations.slice(mutations);
        expect(applied).toHaveLength(1);
        expect(applied[0]).toMatchObject({ type: 'delta', removed: [] });
        const prod = connection.clusters().get('pay-prod')!;
        expect(prod.metadata.labels).toMatchObject({
          'eks-fleet.io/kubernetes-version': '1.33',
        });
        expect(Date.parse(run.watermark!)).toBeGreaterThan(
          Date.parse(full.watermark!),
        );

        // Read again inside the lookback: seen, unchanged, nothing applied.
        const again = await p.deltaRefresh();
        expect(again).toMatchObject({ mutation: undefined, eksCalls: 0 });
        expect(connection.mutations).toHaveLength(mutations + 1);
      });

      it('removes a cluster Config reports deleted once its account and region were read completely', async () => {
        const p = await connected(provider());
        await p.refresh();
        emulator.state.changeCluster(
          cluster(PAYMENTS, 'eu-west-1', 'pay-dev'),
          c => {
            c.deleted = true;
          },
        );
        // An unreadable item in the same account and region holds it back.
        emulator.state.changeCluster(
          cluster(PAYMENTS, 'eu-west-1', 'pay-prod'),
          () => {},
        );
        emulator.state.setFaults({ malformedConfigItems: ['pay-prod'] });
        const held = await p.deltaRefresh();
        expect(held).toMatchObject({ removed: 0, partial: true });
        expect(titles(connection.clusters())).toEqual(LIVE);
        expect(logger.lines).toContainEqual(
          expect.objectContaining({
            message: expect.stringContaining(
              'pay-dev was deleted in AWS; it leaves at the next read that sees its account and region completely',
            ),
          }),
        );
        emulator.state.resetFaults();
        const run = await p.deltaRefresh();
        expect(run).toMatchObject({ removed: 1, mutation: 'delta' });
        expect(connection.mutations[connection.mutations.length - 1]).toEqual(
          expect.objectContaining({
            type: 'delta',
            removed: [
              expect.objectContaining({
                entityRef: expect.stringContaining(
                  'resource:default/pay-dev-eu-west-1-',
                ),
              }),
            ],
          }),
        );
        expect(titles(connection.clusters())).not.toContain('pay-dev');
        expect(await p.refresh()).toMatchObject({ removed: 0, clusters: 4 });
      });

      it('holds the watermark while an aggregator source fails, so that source’s changes arrive once it recovers', async () => {
        const p = await connected(provider());
        await p.refresh();
        const { watermark } = await store.getState('org');
        const apac = cluster(PAYMENTS, 'ap-southeast-2', 'pay-apac');
        emulator.state.changeCluster(apac, c => {
          c.platformVersion = 'eks.96';
        });
        emulator.state.changeCluster(
          cluster(PLATFORM, 'eu-west-1', 'edge'),
          c => {
            c.platformVersion = 'eks.95';
          },
        );
        emulator.state.setFaults({
          failingAggregatorSources: [
            { accountId: PAYMENTS, region: 'ap-southeast-2' },
          ],
        });
        const during = await p.deltaRefresh();
        expect(during).toMatchObject({ partial: true, clusters: 1 });
        expect(connection.clusters().get('edge')!.spec?.eks).toMatchObject({
          platformVersion: 'eks.95',
        });
        expect(
          connection.clusters().get('pay-apac')!.spec?.eks,
        ).not.toMatchObject({ platformVersion: 'eks.96' });
        expect(await store.getState('org')).toMatchObject({ watermark });

        emulator.state.resetFaults();
        const after = await p.deltaRefresh();
        expect(after).toMatchObject({ partial: false, clusters: 1 });
        expect(connection.clusters().get('pay-apac')!.spec?.eks).toMatchObject({
          platformVersion: 'eks.96',
        });
      });

      it('skips a malformed item with a warning naming its ARN and applies the other changes', async () => {
        const p = await connected(provider());
        await p.refresh();
        const before = connection.clusters().get('pay-prod');
        emulator.state.changeCluster(
          cluster(PAYMENTS, 'eu-west-1', 'pay-prod'),
          c => {
            c.platformVersion = 'eks.94';
          },
        );
        emulator.state.changeCluster(
          cluster(PLATFORM, 'us-east-1', 'tools'),
          c => {
            c.platformVersion = 'eks.93';
          },
        );
        emulator.state.setFaults({ malformedConfigItems: ['pay-prod'] });
        const run = await p.deltaRefresh();
        expect(run).toMatchObject({ clusters: 1, partial: true });
        expect(connection.clusters().get('tools')!.spec?.eks).toMatchObject({
          platformVersion: 'eks.93',
        });
        expect(connection.clusters().get('pay-prod')).toEqual(before);
        expect(logger.lines).toContainEqual(
          expect.objectContaining({
            level: 'warn',
            message: expect.stringMatching(
              new RegExp(
                `^Skipped an unreadable AWS::EKS::(Cluster|Addon) item arn:aws:eks:eu-west-1:${PAYMENTS}:`,
              ),
            ),
          }),
        );
      });

      it('resolves owners again, with no AWS call, once the catalog has the groups their tags name', async () => {
        // At start the catalog may not have read the teams yet.
        groups = ['group:default/platform-team'];
        const p = await connected(provider());
        await p.refresh();
        expect(connection.clusters().get('pay-prod')!.spec?.owner).toBe(
          'group:default/platform-team',
        );
        expect((await p.deltaRefresh()).mutation).toBeUndefined();

        groups = ['group:default/platform-team', 'group:default/payments'];
        const run = await p.deltaRefresh();
        expect(run).toMatchObject({
          mutation: 'delta',
          eksCalls: 0,
          configCalls: 3,
        });
        const prod = connection.clusters().get('pay-prod')!;
        expect(prod.spec?.owner).toBe('group:default/payments');
        expect(
          prod.metadata.annotations?.['eks-fleet.io/owner-warning'],
        ).toBeUndefined();
        // "tools" names team=platform, still no group: not emitted again.
        const mutation = connection.mutations[connection.mutations.length - 1];
        expect(
          mutation.type === 'delta' &&
            mutation.added.map(a => a.entity.metadata.title),
        ).not.toContain('tools');
        // Resolved is resolved: the next delta has nothing to do.
        expect((await p.deltaRefresh()).mutation).toBeUndefined();
      });

      it('brings in a cluster the catalog does not have yet, with its add-ons and infrastructure', async () => {
        emulator.state.setFaults({ malformedConfigItems: ['pay-apac'] });
        const p = await connected(provider());
        await p.refresh();
        expect(titles(connection.clusters())).not.toContain('pay-apac');
        emulator.state.resetFaults();
        emulator.state.changeCluster(
          cluster(PAYMENTS, 'ap-southeast-2', 'pay-apac'),
          () => {},
        );
        const run = await p.deltaRefresh();
        expect(run).toMatchObject({ clusters: 1, entities: 3 });
        const apac = connection.clusters().get('pay-apac')!;
        expect(
          (apac.spec?.eks as { addons: unknown[] }).addons.length,
        ).toBeGreaterThanOrEqual(4);
        for (const ref of apac.spec?.dependsOn as string[]) {
          expect(connection.entities.has(ref)).toBe(true);
        }
      });

      it('skips while another read holds the provider, and a full read waits for a running delta', async () => {
        const p = await connected(provider());
        await p.refresh();
        expect(await store.acquireLease('org', 'other-replica', 60_000)).toBe(
          true,
        );
        expect(await p.deltaRefresh()).toMatchObject({
          skipped: 'another read is running',
        });
        let finished = false;
        const full = p.refresh().then(stats => {
          finished = true;
          return stats;
        });
        await new Promise(resolve => setTimeout(resolve, 1_500));
        expect(finished).toBe(false);
        await store.releaseLease('org', 'other-replica');
        expect(await full).toMatchObject({ kind: 'full', partial: false });
      });

      it('keeps the lease through a read that outlasts it', async () => {
        // A 3-second lease, renewed every second, and a read of over 4.
        const config = {
          schedule: {
            frequency: { minutes: 30 },
            timeout: { seconds: 3 },
          },
        };
        const p = await connected(provider({ config }));
        const replica = await connected(provider({ config }));
        emulator.state.setFaults({ latencyMs: 1_500, services: ['config'] });
        const full = p.refresh();
        await new Promise(resolve => setTimeout(resolve, 4_000));
        expect(await replica.deltaRefresh()).toMatchObject({
          skipped: 'another read is running',
        });
        expect(await full).toMatchObject({ kind: 'full', clusters: 5 });
      });

      it('carries on from the database on another replica or after a restart: no EKS call for what did not change', async () => {
        const first = await connected(provider());
        await first.refresh();
        // A second instance: another replica, or this one restarted.
        const replica = await connected(provider());
        emulator.state.changeCluster(
          cluster(PLATFORM, 'eu-west-1', 'edge'),
          c => {
            c.platformVersion = 'eks.92';
          },
        );
        const delta = await replica.deltaRefresh();
        expect(delta).toMatchObject({ clusters: 1, enriched: 1 });
        const full = await replica.refresh();
        expect(full).toMatchObject({ eksCalls: 0, enriched: 0, clusters: 5 });
        expect(connection.clusters().get('edge')!.spec?.eks).toMatchObject({
          platformVersion: 'eks.92',
        });
        const back = await first.deltaRefresh();
        expect(back).toMatchObject({ eksCalls: 0, mutation: undefined });
      });
    });
  },
);
