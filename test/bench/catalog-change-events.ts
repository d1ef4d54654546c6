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

/* eslint-disable no-console */

/**
 * Change events end to end: how long an upgrade takes to reach the catalog
 * after EKS reports it done, and how many AWS Config calls were made in
 * between.
 *
 *   yarn bench:ingestion --events [clusters=300]
 *
 * The AWS emulator serves a generated fleet and, when an EKS change lands,
 * puts AWS Config's configuration-item change notification (as EventBridge
 * delivers it) on its SQS queue. A Backstage backend runs the catalog with
 * the EKS Fleet module (`changeEvents.topic` set, its full and delta reads
 * an hour apart, so polling cannot be what brings a change in), and
 * Backstage's events backend with its AWS SQS module long-polling that
 * queue. After the first read, clusters are upgraded through the EKS API;
 * for each, the time from EKS answering ACTIVE at the new version to the
 * catalog serving that version (target: 5 s), and the Config calls made
 * from the first update to the last cluster seen (target: 0).
 */

import {
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListNodegroupsCommand,
  UpdateClusterVersionCommand,
} from '@aws-sdk/client-eks';
import {
  ConfigServiceClient,
  SelectAggregateResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import eventsPlugin from '@backstage/plugin-events-backend';
import eventsModuleAwsSqs from '@backstage/plugin-events-backend-module-aws-sqs';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import catalogModuleEksFleet from '@eks-fleet/backstage-plugin-catalog-backend-module-eks-fleet';
import request from 'supertest';
import {
  CallCounter,
  callsBetween,
  callsOf,
  startEmulatorProcess,
} from './ingestionHarness';

const args = process.argv.slice(2).filter(a => a !== '--events');
const CLUSTERS = Number(args.find(a => /^\d+$/.test(a)) ?? 300);
const UPGRADES = 10;
const UPDATE_DELAY_MS = 3_000;
const TARGET_MS = 5_000;
const TOPIC = 'eks-fleet-config-changes';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function main() {
  const counter = new CallCounter();
  const emulator = await startEmulatorProcess(
    [
      '--update-delay',
      String(UPDATE_DELAY_MS),
      '--generate',
      String(CLUSTERS),
      '--seed',
      '7',
      '--accounts',
      '20',
      '--regions',
      '3',
      '--addons',
      '2',
      '--nodegroups',
      '1',
      '--latency',
      '20',
    ],
    counter,
  );
  console.log(emulator.banner);
  // The emulator holds the terminal: stop it however this run ends.
  process.once('exit', () => emulator.child.kill());
  const endpoint = emulator.url;
  process.env.AWS_ENDPOINT_URL = endpoint;
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  process.env.AWS_REGION = 'us-east-1';
  const health = await (await fetch(`${endpoint}/_emulator/health`)).json();
  const management: string = health.managementAccountId;
  const clusters: number = health.clusters;

  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleEksFleet,
      eventsPlugin,
      eventsModuleAwsSqs,
      // One events service for the whole backend, as in a real one (the
      // test backend's default gives each plugin a mock of its own).
      eventsServiceFactory,
      schedulerServiceFactory,
      mockServices.rootLogger.factory({
        level:
          (process.env.EKS_FLEET_BENCH_LOG as 'info' | undefined) ?? 'error',
      }),
      mockServices.rootConfig.factory({
        data: {
          aws: { accountDefaults: { roleName: 'EksFleetReader' } },
          events: {
            modules: {
              awsSqs: {
                awsSqsConsumingEventPublisher: {
                  topics: {
                    [TOPIC]: {
                      queue: {
                        url: `${endpoint}/${management}/${TOPIC}`,
                        region: 'us-east-1',
                        endpoint,
                        waitTime: { seconds: 20 },
                      },
                      waitTimeAfterEmptyReceive: { seconds: 0 },
                      timeout: { seconds: 60 },
                    },
                  },
                },
              },
            },
          },
          catalog: {
            providers: {
              eksFleet: {
                bench: {
                  aggregator: {
                    name: 'org-aggregator',
                    region: 'us-east-1',
                    accountId: management,
                  },
                  changeEvents: { topic: TOPIC },
                  schedule: {
                    frequency: { hours: 1 },
                    timeout: { minutes: 10 },
                    initialDelay: { seconds: 1 },
                  },
                  deltaRefresh: {
                    schedule: {
                      frequency: { hours: 1 },
                      timeout: { minutes: 5 },
                      initialDelay: { hours: 1 },
                    },
                  },
                  ownership: { defaultOwner: 'group:default/platform-team' },
                },
              },
            },
          },
        },
      }),
    ],
  });

  const query = async (params: Record<string, string | number>) => {
    const res = await request(backend.server)
      .get('/api/catalog/entities/by-query')
      .query(params)
      .set('Authorization', mockCredentials.user.header());
    if (res.status !== 200) {
      throw new Error(`catalog API answered ${res.status}: ${res.text}`);
    }
    return res.body as { items: any[]; totalItems: number };
  };

  // The first read: every cluster in the catalog, then no more Config or
  // EKS calls for a few seconds.
  const firstStarted = Date.now();
  for (;;) {
    const { totalItems } = await query({
      filter: 'kind=resource,spec.type=kubernetes-cluster',
      fields: 'metadata.name',
      limit: 1,
    });
    if (totalItems === clusters) break;
    if (Date.now() - firstStarted > 10 * 60_000) {
      throw new Error(`only ${totalItems} of ${clusters} clusters arrived`);
    }
    await sleep(1_000);
  }
  let settled = counter.snapshot();
  for (let i = 0; i < 20; i++) {
    await sleep(3_000);
    const now = counter.snapshot();
    const moved = callsBetween(settled, now);
    if (callsOf(moved, 'config') + callsOf(moved, 'eks') === 0) break;
    if (process.env.EKS_FLEET_BENCH_LOG) {
      console.log(`still reading: ${JSON.stringify(moved)}`);
    }
    settled = now;
  }
  console.log(
    `first read: ${clusters} clusters in the catalog ${seconds(
      Date.now() - firstStarted,
    )} after backend start`,
  );

  // Upgrade clusters through the EKS API, as a person or the rollout engine would.
  const eks = (c: any) =>
    new EKSClient({
      endpoint,
      region: c.awsRegion,
      credentials: { accessKeyId: `AKIA${c.accountId}`, secretAccessKey: 't' },
    });
  const candidates = (
    await new ConfigServiceClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: `AKIA${management}`, secretAccessKey: 't' },
    }).send(
      new SelectAggregateResourceConfigCommand({
        ConfigurationAggregatorName: 'org-aggregator',
        Expression:
          "SELECT resourceName, accountId, awsRegion, configuration.Version WHERE resourceType = 'AWS::EKS::Cluster' AND configuration.Version IN ('1.32', '1.33', '1.34') AND configurationItemStatus = 'OK'",
        MaxResults: 100,
      }),
    )
  ).Results!.map(row => JSON.parse(row));
  // EKS upgrades a control plane only when its node groups run its version.
  const picked: any[] = [];
  for (const c of candidates) {
    if (picked.length === UPGRADES) break;
    const client = eks(c);
    const { nodegroups = [] } = await client.send(
      new ListNodegroupsCommand({ clusterName: c.resourceName }),
    );
    const versions = await Promise.all(
      nodegroups.map(
        async nodegroupName =>
          (
            await client.send(
              new DescribeNodegroupCommand({
                clusterName: c.resourceName,
                nodegroupName,
              }),
            )
          ).nodegroup?.version,
      ),
    );
    if (versions.every(v => v === c.configuration.Version)) {
      picked.push(c);
    }
  }
  const before = counter.snapshot();
  const results = await Promise.all(
    picked.map(async c => {
      const next = `1.${Number(c.configuration.Version.split('.')[1]) + 1}`;
      const client = eks(c);
      await client.send(
        new UpdateClusterVersionCommand({
          name: c.resourceName,
          version: next,
        }),
      );
      // EKS reports it done: the cluster ACTIVE at the new version.
      let doneAt = 0;
      const updateStarted = Date.now();
      while (!doneAt) {
        if (Date.now() - updateStarted > 120_000) {
          return { name: c.resourceName, ms: Infinity, eksDone: false };
        }
        const { cluster } = await client.send(
          new DescribeClusterCommand({ name: c.resourceName }),
        );
        if (cluster?.status === 'ACTIVE' && cluster.version === next) {
          doneAt = Date.now();
        } else {
          await sleep(100);
        }
      }
      // The catalog serves the new version.
      for (;;) {
        const { items } = await query({
          filter: `kind=resource,spec.type=kubernetes-cluster,metadata.title=${c.resourceName}`,
          fields: 'metadata.title,metadata.annotations',
          limit: 10,
        });
        const seen = items.some(
          e =>
            e.metadata.annotations?.['eks-fleet.io/account-id'] ===
              c.accountId &&
            e.metadata.annotations?.['eks-fleet.io/kubernetes-version'] ===
              next,
        );
        if (seen) {
          return {
            name: c.resourceName,
            ms: Date.now() - doneAt,
            eksDone: true,
          };
        }
        if (Date.now() - doneAt > 120_000) {
          return { name: c.resourceName, ms: Infinity, eksDone: true };
        }
        await sleep(100);
      }
    }),
  );
  const between = callsBetween(before, counter.snapshot());
  await backend.stop();
  emulator.child.kill();

  const times = results.map(r => r.ms).sort((a, b) => a - b);
  const p50 = times[Math.floor((times.length - 1) / 2)];
  const max = times[times.length - 1];
  const configCalls = callsOf(between, 'config');
  console.log('');
  console.log(
    `change events: ${
      results.length
    } clusters upgraded through the EKS API (EKS takes ${seconds(
      UPDATE_DELAY_MS,
    )} per update) on a ${clusters}-cluster fleet`,
  );
  for (const r of results) {
    console.log(
      `  ${r.name}: in the catalog ${
        Number.isFinite(r.ms)
          ? `${seconds(r.ms)} after EKS reported it done`
          : r.eksDone
          ? 'NEVER (2 minutes after EKS reported it done)'
          : 'EKS did not finish the update within 2 minutes'
      }`,
    );
  }
  console.log(
    `  EKS done to catalog: p50 ${seconds(p50)}, max ${seconds(
      max,
    )} (target ${seconds(TARGET_MS)}: ${max <= TARGET_MS ? 'met' : 'MISSED'})`,
  );
  console.log(
    `  AWS Config calls from the first update to the last cluster seen: ${configCalls} (target 0: ${
      configCalls === 0 ? 'met' : 'MISSED'
    }); other calls by API: ${JSON.stringify(between)}`,
  );
  process.exit(max <= TARGET_MS && configCalls === 0 ? 0 : 1);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
