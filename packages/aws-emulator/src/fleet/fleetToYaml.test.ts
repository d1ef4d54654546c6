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

import { join } from 'path';
import { parse } from 'yaml';
import { loadFleetFile, parseFleetFile } from './fleetFile';
import { fleetToYaml } from './fleetToYaml';
import { generateFleet } from './generateFleet';

describe('fleetToYaml', () => {
  it('writes a generated fleet that reads back the same', () => {
    const fleet = generateFleet({ clusters: 150, seed: 21, regions: 3 });
    const text = fleetToYaml(fleet);
    expect(parseFleetFile(text, 'generated.yaml')).toEqual(fleet);
  });

  it('writes the demo fleet so that it reads back the same', () => {
    const demo = loadFleetFile(join(__dirname, '../../fleets/demo.yaml'));
    expect(parseFleetFile(fleetToYaml(demo), 'demo-copy.yaml')).toEqual(demo);
  });

  it('leaves out what the reader derives again', () => {
    const fleet = generateFleet({ clusters: 20, seed: 4 });
    const file = parse(fleetToYaml(fleet));
    expect(file.kubernetesVersions).toBeUndefined();
    expect(file.addonVersions).toBeUndefined();
    const plain = file.clusters.filter(
      (c: { insights?: unknown }) => c.insights === undefined,
    );
    expect(plain.length).toBeGreaterThan(10);
    expect(file.clusters[0].account).toBe(fleet.accounts[0].name);
    expect(typeof file.clusters[0].version).toBe('string');
  });

  it('writes catalog changes and read-back keeps them', () => {
    const fleet = generateFleet({ clusters: 3, seed: 4 });
    fleet.kubernetesVersions.push({
      version: '1.37',
      releaseDate: '2026-10-20',
      endOfStandardSupportDate: '2027-12-20',
      endOfExtendedSupportDate: '2028-12-20',
      defaultPlatformVersion: 'eks.2',
    });
    fleet.addonVersions = fleet.addonVersions.map(a =>
      a.addonName === 'coredns' ? { ...a, type: 'dns' } : a,
    );
    const back = parseFleetFile(fleetToYaml(fleet), 'catalog.yaml');
    expect(back.kubernetesVersions).toEqual(fleet.kubernetesVersions);
    expect(back.addonVersions).toEqual(fleet.addonVersions);
    // 1.36 clusters now have a next minor, so their insights were written.
    expect(back.clusters).toEqual(fleet.clusters);
  });
});
