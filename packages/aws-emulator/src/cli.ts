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

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateFleet, MAX_GENERATED_CLUSTERS } from './fleet/generateFleet';
import { loadFleetFile } from './fleet/fleetFile';
import { Fleet } from './fleet/types';
import { FaultChange, parseFaultChange } from './state/faults';

export const USAGE = `Usage: aws-emulator [options]

Serves AWS Config, EKS, STS, CloudWatch, Cost Explorer and Security Hub for a
fleet of EKS clusters on one endpoint (set AWS_ENDPOINT_URL to it).

Fleet (one of):
  --fleet <file>            fleet file (default: the demo fleet, fleets/demo.yaml)
  --generate <n>            a generated fleet of n clusters (up to ${MAX_GENERATED_CLUSTERS})
  --seed <n>                seed for --generate (default 1)
  --accounts <n>            accounts of a generated fleet (default 1 per 40 clusters, at most 50)
  --regions <n>             regions of a generated fleet (default 3)
  --addons <n>              add-ons per generated cluster (default 5)
  --nodegroups <n>          node groups per generated cluster (default 2)

Server:
  --port <n>                default 4566, or AWS_EMULATOR_PORT
  --host <address>          default 127.0.0.1
  --update-delay <ms>       how long an EKS update stays InProgress (default 30000)
  --log-requests            print one line per AWS call

Faults (also switchable at run time: PUT /_emulator/faults):
  --latency <ms>            added to every call
  --throttle-rate <0..1>    share of calls throttled
  --error-rate <0..1>       share of calls answered with a 5xx
  --hang-rate <0..1>        share of calls that take effect but answer only after --hang
  --hang <ms>               how long a hung call's answer is held back (default 120000)
  --fault-services <list>   limit the faults above to these services (comma-separated)
  --malformed <names>       clusters whose AWS Config items are malformed ("*": all)
  --failing-source <acct[:region]>  an aggregator source that fails (repeatable)
  --firing-alarm <names>    clusters whose CloudWatch alarms fire
`;

export interface CliOptions {
  help: boolean;
  fleet: Fleet;
  fleetSource: string;
  port: number;
  host: string;
  updateDelayMs: number;
  logRequests: boolean;
  faults: FaultChange;
}

/** Thrown for a bad command line; the message says what to fix. */
export class CliError extends Error {}

function numberOption(
  name: string,
  value: string | undefined,
  check: (n: number) => boolean,
  expected: string,
): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !check(n)) {
    throw new CliError(`--${name}: expected ${expected}, got "${value}"`);
  }
  return n;
}

const list = (value: string | undefined) =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map(s => s.trim())
        .filter(Boolean);

/**
 * Reads the command line (and AWS_EMULATOR_PORT). Loads or generates the
 * fleet, so a bad fleet file fails here with its problems listed.
 */
export function parseCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  // The emulator runs from its sources (tsx), never from a bundle.
  // eslint-disable-next-line no-restricted-syntax
  packageDir: string = resolve(__dirname, '..'),
): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        fleet: { type: 'string' },
        generate: { type: 'string' },
        seed: { type: 'string' },
        accounts: { type: 'string' },
        regions: { type: 'string' },
        addons: { type: 'string' },
        nodegroups: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'update-delay': { type: 'string' },
        'log-requests': { type: 'boolean' },
        latency: { type: 'string' },
        'throttle-rate': { type: 'string' },
        'error-rate': { type: 'string' },
        'hang-rate': { type: 'string' },
        hang: { type: 'string' },
        'fault-services': { type: 'string' },
        malformed: { type: 'string' },
        'failing-source': { type: 'string', multiple: true },
        'firing-alarm': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new CliError((error as Error).message);
  }

  const integer = (n: number) => Number.isInteger(n);
  const port =
    numberOption(
      'port',
      values.port ?? env.AWS_EMULATOR_PORT,
      n => integer(n) && n >= 0 && n <= 65535,
      'a port number',
    ) ?? 4566;
  const updateDelayMs =
    numberOption(
      'update-delay',
      values['update-delay'],
      n => integer(n) && n >= 0,
      'milliseconds',
    ) ?? 30_000;

  if (values.fleet && values.generate) {
    throw new CliError('--fleet and --generate exclude each other');
  }
  let fleet: Fleet;
  let fleetSource: string;
  if (values.generate !== undefined) {
    const clusters = numberOption(
      'generate',
      values.generate,
      n => integer(n) && n >= 0 && n <= MAX_GENERATED_CLUSTERS,
      `a cluster count from 0 to ${MAX_GENERATED_CLUSTERS}`,
    )!;
    const seed = numberOption('seed', values.seed, integer, 'an integer') ?? 1;
    const count = (name: 'accounts' | 'regions' | 'addons' | 'nodegroups') =>
      numberOption(
        name,
        values[name],
        n => integer(n) && n >= 0,
        'a whole number',
      );
    try {
      fleet = generateFleet({
        clusters,
        seed,
        accounts: count('accounts'),
        regions: count('regions'),
        addonsPerCluster: count('addons'),
        nodegroupsPerCluster: count('nodegroups'),
      });
    } catch (error) {
      throw new CliError((error as Error).message);
    }
    fleetSource = `generated (${clusters} clusters, seed ${seed})`;
  } else {
    for (const option of [
      'seed',
      'accounts',
      'regions',
      'addons',
      'nodegroups',
    ] as const) {
      if (values[option] !== undefined) {
        throw new CliError(`--${option} only applies to --generate`);
      }
    }
    fleetSource = values.fleet ?? resolve(packageDir, 'fleets/demo.yaml');
    fleet = loadFleetFile(fleetSource);
  }

  const raw: Record<string, unknown> = {
    latencyMs: numberOption('latency', values.latency, () => true, 'a number'),
    throttleRate: numberOption(
      'throttle-rate',
      values['throttle-rate'],
      () => true,
      'a number',
    ),
    errorRate: numberOption(
      'error-rate',
      values['error-rate'],
      () => true,
      'a number',
    ),
    hangRate: numberOption(
      'hang-rate',
      values['hang-rate'],
      () => true,
      'a number',
    ),
    hangMs: numberOption('hang', values.hang, () => true, 'a number'),
    services: list(values['fault-services']),
    malformedConfigItems: list(values.malformed),
    firingAlarms: list(values['firing-alarm']),
    failingAggregatorSources: values['failing-source']?.map(source => {
      const [accountId, region] = source.split(':');
      return region ? { accountId, region } : { accountId };
    }),
  };
  const defined = Object.fromEntries(
    Object.entries(raw).filter(([, v]) => v !== undefined),
  );
  let faults: FaultChange;
  try {
    faults = parseFaultChange(defined);
  } catch (error) {
    throw new CliError((error as Error).message);
  }

  return {
    help: values.help ?? false,
    fleet,
    fleetSource,
    port,
    host: values.host ?? '127.0.0.1',
    updateDelayMs,
    logRequests: values['log-requests'] ?? false,
    faults,
  };
}
