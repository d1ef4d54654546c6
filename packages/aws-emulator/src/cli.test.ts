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
import { CliError, parseCli } from './cli';
import { FleetFileError } from './fleet/fleetFile';

const packageDir = resolve(__dirname, '..');

describe('parseCli', () => {
  it('defaults to the demo fleet on 127.0.0.1:4566 without faults', () => {
    const options = parseCli([], {}, packageDir);
    expect(options).toMatchObject({
      port: 4566,
      host: '127.0.0.1',
      updateDelayMs: 30000,
      faults: {},
    });
    expect(options.fleetSource).toMatch(/fleets\/demo\.yaml$/);
    expect(options.fleet.clusters.length).toBeGreaterThanOrEqual(40);
  });

  it('generates a fleet, takes the port from the environment and reads every fault flag', () => {
    const options = parseCli(
      [
        '--generate',
        '25',
        '--seed',
        '9',
        '--latency',
        '20',
        '--throttle-rate',
        '0.1',
        '--error-rate',
        '0.05',
        '--fault-services',
        'eks,config',
        '--malformed',
        'a,b',
        '--firing-alarm',
        'c',
        '--failing-source',
        '222222222222:eu-west-1',
        '--failing-source',
        '333333333333',
      ],
      { AWS_EMULATOR_PORT: '4599' },
      packageDir,
    );
    expect(options.fleet.clusters).toHaveLength(25);
    const big = parseCli(
      [
        '--generate',
        '200',
        '--accounts',
        '100',
        '--regions',
        '5',
        '--addons',
        '8',
        '--nodegroups',
        '2',
      ],
      {},
      packageDir,
    );
    expect(big.fleet.accounts).toHaveLength(100);
    expect(new Set(big.fleet.clusters.map(c => c.region)).size).toBe(5);
    expect(big.fleet.clusters[0].addons).toHaveLength(8);
    expect(big.fleet.clusters[0].nodegroups).toHaveLength(2);
    expect(options.port).toBe(4599);
    expect(options.faults).toEqual({
      latencyMs: 20,
      throttleRate: 0.1,
      errorRate: 0.05,
      services: ['eks', 'config'],
      malformedConfigItems: ['a', 'b'],
      firingAlarms: ['c'],
      failingAggregatorSources: [
        { accountId: '222222222222', region: 'eu-west-1' },
        { accountId: '333333333333' },
      ],
    });
  });

  it.each([
    [['--port', 'http'], /--port: expected a port number, got "http"/],
    [
      ['--generate', '10001'],
      /--generate: expected a cluster count from 0 to 10000/,
    ],
    [['--throttle-rate', '3'], /throttleRate/],
    [['--fault-services', 's3'], /services/],
    [['--failing-source', 'abc'], /failingAggregatorSources\.0\.accountId/],
    [['--fleet', 'x.yaml', '--generate', '3'], /exclude each other/],
    [['--seed', '3'], /only applies to --generate/],
    [['--addons', '3'], /--addons only applies to --generate/],
    [['--generate', '5', '--addons', '99'], /addonsPerCluster/],
    [['--surprise'], /surprise/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCli(argv, {}, packageDir)).toThrow(CliError);
    expect(() => parseCli(argv, {}, packageDir)).toThrow(message);
  });

  it('reports a missing fleet file as a fleet file error', () => {
    expect(() =>
      parseCli(['--fleet', '/nonexistent.yaml'], {}, packageDir),
    ).toThrow(FleetFileError);
  });
});
