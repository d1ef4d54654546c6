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
 * How fast the AWS emulator answers AWS Config advanced queries over a large
 * fleet: SelectAggregateResourceConfig, 100 rows a page, through the
 * organization aggregator, over HTTP with the real SDK client.
 *
 *   yarn bench:emulator [clusters=10000] [passes=3]
 *
 * Prints the generator's time for 10,000 clusters, the first (cold) page,
 * then the median and p95 of every later page over full passes through the
 * EKS clusters and their add-ons. Target: a 100-row page in under 50 ms over
 * 10,000 clusters.
 */

import {
  ConfigServiceClient,
  SelectAggregateResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import { generateFleet, startEmulator } from '@internal/aws-emulator';

const TARGET_MS = 50;

function percentile(sorted: number[], p: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

async function main() {
  const clusters = Number(process.argv[2] ?? 10_000);
  const passes = Number(process.argv[3] ?? 3);
  const generatedAt = performance.now();
  const fleet = generateFleet({ clusters, seed: 7 });
  console.log(
    `fleet: ${clusters} clusters, ${
      fleet.accounts.length
    } accounts, generated in ${Math.round(performance.now() - generatedAt)} ms`,
  );
  // The generator's own time over the largest fleet it makes with the shape
  // the ingestion bench reads (8 add-ons and 2 node groups a cluster).
  const largeAt = performance.now();
  const large = generateFleet({
    clusters: 10_000,
    addonsPerCluster: 8,
    nodegroupsPerCluster: 2,
    seed: 7,
  });
  console.log(
    `generator: ${
      large.clusters.length
    } clusters with 8 add-ons and 2 node groups each in ${Math.round(
      performance.now() - largeAt,
    )} ms`,
  );
  const emulator = await startEmulator({ fleet, port: 0 });
  const client = new ConfigServiceClient({
    endpoint: emulator.url,
    region: fleet.aggregators[0].region,
    credentials: {
      accessKeyId: `AKIA${fleet.managementAccountId}`,
      secretAccessKey: 'bench',
    },
  });
  const queries = {
    clusters:
      'SELECT resourceId, resourceName, arn, accountId, awsRegion, configurationItemStatus, configurationItemCaptureTime, ' +
      'configurationStateId, tags, relationships, configuration.Version, configuration.Endpoint, configuration.RoleArn ' +
      "WHERE resourceType = 'AWS::EKS::Cluster'",
    addons:
      'SELECT resourceName, accountId, awsRegion, configuration.ClusterName, configuration.AddonName, configuration.AddonVersion ' +
      "WHERE resourceType = 'AWS::EKS::Addon'",
  };
  const send = (expression: string, token?: string) =>
    client.send(
      new SelectAggregateResourceConfigCommand({
        ConfigurationAggregatorName: fleet.aggregators[0].name,
        Expression: expression,
        Limit: 100,
        NextToken: token,
      }),
    );
  // The client's first call resolves credentials and opens a connection:
  // not the emulator's time.
  await send("SELECT resourceId WHERE resourceType = 'AWS::KMS::Key'");
  let failed = false;
  try {
    for (const [name, expression] of Object.entries(queries)) {
      const timings: number[] = [];
      let cold = 0;
      let rows = 0;
      let pages = 0;
      for (let pass = 0; pass < passes; pass++) {
        let token: string | undefined;
        rows = 0;
        pages = 0;
        do {
          const started = performance.now();
          const page = await send(expression, token);
          const elapsed = performance.now() - started;
          if (pass === 0 && pages === 0) {
            cold = elapsed;
          } else {
            timings.push(elapsed);
          }
          rows += page.Results?.length ?? 0;
          pages += 1;
          token = page.NextToken;
        } while (token);
      }
      timings.sort((a, b) => a - b);
      const median = percentile(timings, 50);
      const p95 = percentile(timings, 95);
      const ok = p95 < TARGET_MS;
      failed ||= !ok;
      console.log(
        `${name}: ${rows} rows in ${pages} pages of 100; first page of a new query ${cold.toFixed(
          1,
        )} ms; ` +
          `page median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms over ${
            timings.length
          } pages ` +
          `(target < ${TARGET_MS} ms: ${ok ? 'met' : 'MISSED'})`,
      );
    }
    // A cluster changes (an EKS update): the next query sees it.
    const changed = emulator.state.allClusters()[0];
    emulator.state.changeCluster(changed, c => {
      c.status = 'UPDATING';
    });
    const started = performance.now();
    await send(queries.clusters);
    const afterChange = performance.now() - started;
    failed ||= afterChange >= TARGET_MS;
    console.log(
      `first page after a cluster changed: ${afterChange.toFixed(
        1,
      )} ms (target < ${TARGET_MS} ms: ${
        afterChange < TARGET_MS ? 'met' : 'MISSED'
      })`,
    );
  } finally {
    await emulator.stop();
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
