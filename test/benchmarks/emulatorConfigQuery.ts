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

/*
 * How fast the emulator's AWS Config answers an organization-wide advanced
 * query: SelectAggregateResourceConfig over a generated fleet, 100-row pages,
 * through the real AWS SDK v3 client over HTTP.
 *
 *   yarn bench:emulator-config [clusters=10000]
 */

import {
  ConfigServiceClient,
  SelectAggregateResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import { startEmulator } from '../../packages/aws-emulator/src';
import { generateFleet } from '../../packages/aws-emulator/src/fleet/generateFleet';

function percentile(sorted: number[], p: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

async function main() {
  const clusters = Number(process.argv[2] ?? 10_000);
  const fleet = generateFleet({
    clusters,
    accounts: 100,
    regions: 5,
    addonsPerCluster: 8,
    nodegroupsPerCluster: 2,
    seed: 42,
  });
  const emulator = await startEmulator({ fleet, port: 0 });
  const client = new ConfigServiceClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: {
      accessKeyId: `AKIA${fleet.managementAccountId}`,
      secretAccessKey: 'benchmark',
    },
    maxAttempts: 1,
  });
  const aggregator =
    fleet.aggregators.find(a => a.organization) ?? fleet.aggregators[0];
  const expression =
    "SELECT resourceId, resourceName, accountId, awsRegion, arn, configurationItemCaptureTime, configurationStateId, configuration.Version, configuration.Endpoint, tags WHERE resourceType = 'AWS::EKS::Cluster'";

  const page = async (nextToken?: string) => {
    const started = process.hrtime.bigint();
    const out = await client.send(
      new SelectAggregateResourceConfigCommand({
        ConfigurationAggregatorName: aggregator.name,
        Expression: expression,
        Limit: 100,
        NextToken: nextToken,
      }),
    );
    return { out, ms: Number(process.hrtime.bigint() - started) / 1e6 };
  };

  // Warm-up: the first query builds the items and the result list.
  const first = await page();
  const times: number[] = [];
  let rows = first.out.Results?.length ?? 0;
  let token = first.out.NextToken;
  while (token) {
    const { out, ms } = await page(token);
    times.push(ms);
    rows += out.Results?.length ?? 0;
    token = out.NextToken;
  }
  // And the first page again, now warm.
  for (let i = 0; i < 20; i++) times.push((await page()).ms);

  times.sort((a, b) => a - b);
  client.destroy();
  await emulator.close();

  console.log(
    `fleet: ${clusters} clusters (${
      fleet.accounts.length
    } accounts), ${rows} rows read in ${Math.ceil(rows / 100)} pages`,
  );
  console.log(`first page (cold): ${first.ms.toFixed(1)} ms`);
  console.log(
    `100-row page, warm: median ${percentile(times, 50).toFixed(
      1,
    )} ms, p95 ${percentile(times, 95).toFixed(1)} ms, max ${times[
      times.length - 1
    ].toFixed(1)} ms over ${times.length} pages`,
  );
  const target = 50;
  const ok = percentile(times, 50) < target;
  console.log(`target: median under ${target} ms: ${ok ? 'met' : 'NOT met'}`);
  process.exitCode = ok ? 0 : 1;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
