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

import { ConfigReader } from '@backstage/config';
import fc from 'fast-check';
import { requestBranchName } from '../actions/renderedFiles';
import { readScaffolderConfig } from '../config/readScaffolderConfig';
import { namespaceEntityName } from '../render/namespaceManifests';
import { checkBranchName } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import {
  FleetRepository,
  localFleetFileUrl,
  parseLocalFleetFileUrl,
} from './FleetRepository';

const ENTITY_NAME = /^[a-zA-Z0-9]([a-zA-Z0-9\-_.]{0,61}[a-zA-Z0-9])?$/;

describe('the fleet repository as the templates see it', () => {
  it('gives a GitHub repository as publish:github:pull-request takes it, and its files as GitHub shows them', async () => {
    const repository = FleetRepository.fromConfig(
      readScaffolderConfig(
        new ConfigReader({
          eksFleet: {
            scaffolder: {
              fleetRepository: {
                github: {
                  repoUrl: 'github.com?owner=acme&repo=fleet',
                  targetBranch: 'trunk',
                },
              },
            },
          },
        }),
      ).fleetRepository!,
    );
    expect(repository.target()).toEqual({
      type: 'github',
      repoUrl: 'github.com?owner=acme&repo=fleet',
      targetBranch: 'trunk',
    });
    expect(
      repository.fileUrl(
        'eks-fleet/namespace-api-pay-1234abcd',
        'clusters/1/eu-west-1/pay/namespaces/api/catalog-info.yaml',
      ),
    ).toBe(
      'https://github.com/acme/fleet/blob/eks-fleet/namespace-api-pay-1234abcd/clusters/1/eu-west-1/pay/namespaces/api/catalog-info.yaml',
    );
    // Files are read from a local repository only.
    await expect(
      repository.readFolder('clusters/1/eu-west-1/pay/karpenter'),
    ).rejects.toThrow(
      'the fleet repository is on GitHub (github.com?owner=acme&repo=fleet), where EKS Fleet reads no files',
    );
  });

  it('writes and reads back local file URLs, whatever the branch and path', () => {
    fc.assert(
      fc.property(
        // Absolute and resolved, as config gives it: no "." or ".." segment.
        fc.stringMatching(/^(\/[a-z0-9 _%#?-][a-z0-9 ._%#?-]{0,19}){1,4}$/),
        fc.stringMatching(/^[a-z0-9][a-z0-9._/-]{0,40}$/),
        fc.stringMatching(/^[a-z0-9][a-z0-9._/ -]{0,60}$/),
        (repositoryPath, ref, path) => {
          const url = localFleetFileUrl(repositoryPath, ref, path);
          expect(url.startsWith('git+file:///')).toBe(true);
          expect(parseLocalFleetFileUrl(url)).toEqual({
            repositoryPath,
            ref,
            path,
          });
        },
      ),
    );
    expect(parseLocalFleetFileUrl('https://github.com/a/b')).toBeUndefined();
    expect(
      parseLocalFleetFileUrl('git+file:///srv/fleet.git?ref=main'),
    ).toBeUndefined();
  });

  it('names branches validly and apart per task', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 80 }), { minLength: 1, maxLength: 4 }),
        fc.uuid(),
        (parts, taskId) => {
          const branch = requestBranchName('cluster', parts, taskId);
          expect(checkBranchName(branch)).toBe(branch);
          expect(branch.endsWith(taskId.replace(/-/g, '').slice(0, 8))).toBe(
            true,
          );
        },
      ),
    );
    expect(
      requestBranchName(
        'cluster',
        ['Checkout_Prod', 'eu-west-1', '268413095734'],
        'c0ffee12-aaaa',
      ),
    ).toBe('eks-fleet/cluster-checkout-prod-eu-west-1-268413095734-c0ffee12');
  });

  it('names namespace entities within the catalog rules, apart for every namespace and cluster', () => {
    const seen = new Map<string, string>();
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/),
        fc.stringMatching(/^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/),
        (namespace, cluster) => {
          const name = namespaceEntityName(namespace, cluster);
          expect(name).toMatch(ENTITY_NAME);
          const key = `${namespace}/${cluster}`;
          const other = seen.get(name);
          expect(other === undefined || other === key).toBe(true);
          seen.set(name, key);
        },
      ),
    );
    expect(
      namespaceEntityName(
        'payments-api',
        'payments-prod-use1-us-east-1-735260918427',
      ),
    ).toBe('payments-api.payments-prod-use1-us-east-1-735260918427');
    expect(
      namespaceEntityName(
        'a-rather-long-namespace-name',
        'payments-prod-use1-us-east-1-735260918427',
      ),
    ).toMatch(
      /^a-rather-long-namespace-name\.payments-prod-use1-us-e[a-z0-9.-]*-[0-9a-f]{8}$/,
    );
  });
});
