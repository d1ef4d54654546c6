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
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { ConfigReader } from '@backstage/config';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import request from 'supertest';
import yaml from 'yaml';
import { localFleetFileUrl } from './FleetRepository';
import { LocalGitRepository } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import {
  fleetRepositoryUrlReader,
  LocalFleetRepositoryUrlReader,
} from './LocalFleetRepositoryUrlReader';

const author = { name: 'EKS Fleet', email: 'eks-fleet@localhost' };
const ENTITY_PATH =
  'clusters/222222222222/eu-west-1/pay-prod/namespaces/api/catalog-info.yaml';

// Nothing here is timed: these are ceilings for a busy machine, where the
// git writes of beforeEach take many times what they take on an idle one
// (and a catalog backend's start-up more: its test has three minutes).
jest.setTimeout(60_000);

describe('LocalFleetRepositoryUrlReader', () => {
  const mockDir = createMockDirectory();
  let repositoryPath: string;

  beforeEach(async () => {
    mockDir.clear();
    repositoryPath = mockDir.resolve('fleet.git');
    const { repository } = await LocalGitRepository.createIfMissing(
      repositoryPath,
      {
        branch: 'main',
        files: [{ path: 'README.md', content: '# Fleet\n' }],
        message: 'init',
        author,
      },
    );
    await repository.commitOnNewBranch({
      branch: 'eks-fleet/namespace-api',
      baseBranch: 'main',
      message: 'Namespace api',
      author,
      files: [
        {
          path: ENTITY_PATH,
          content: yaml.stringify({
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Resource',
            metadata: { name: 'api.pay-prod-eu-west-1-222222222222' },
            spec: {
              type: 'kubernetes-namespace',
              owner: 'group:default/payments-team',
              dependsOn: ['resource:default/pay-prod-eu-west-1-222222222222'],
            },
          }),
        },
        {
          path: 'clusters/222222222222/eu-west-1/pay-prod/namespaces/api/namespace.yaml',
          content: 'kind: Namespace\n',
        },
      ],
    });
  });

  function readers() {
    const config = new ConfigReader({
      eksFleet: {
        scaffolder: { fleetRepository: { local: { path: repositoryPath } } },
      },
    });
    return UrlReaders.create({
      config,
      logger: mockServices.logger.mock(),
      factories: [LocalFleetRepositoryUrlReader.factory],
    });
  }

  it('reads a file of a branch, with an etag', async () => {
    const reader = readers();
    const url = localFleetFileUrl(
      repositoryPath,
      'eks-fleet/namespace-api',
      ENTITY_PATH,
    );
    const response = await reader.readUrl(url);
    expect(yaml.parse((await response.buffer()).toString()).metadata.name).toBe(
      'api.pay-prod-eu-west-1-222222222222',
    );
    await expect(
      reader.readUrl(url, { etag: response.etag }),
    ).rejects.toMatchObject({
      name: 'NotModifiedError',
    });
    await expect(
      reader.readUrl(localFleetFileUrl(repositoryPath, 'main', ENTITY_PATH)),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('reads a tree and searches a branch', async () => {
    const reader = readers();
    const tree = await reader.readTree(
      localFleetFileUrl(
        repositoryPath,
        'eks-fleet/namespace-api',
        'clusters/222222222222/eu-west-1/pay-prod/namespaces/api',
      ),
    );
    const files = await tree.files();
    expect(files.map(f => f.path).sort()).toEqual([
      'catalog-info.yaml',
      'namespace.yaml',
    ]);
    expect(
      (
        await files.find(f => f.path === 'namespace.yaml')!.content()
      ).toString(),
    ).toBe('kind: Namespace\n');
    const found = await reader.search(
      localFleetFileUrl(
        repositoryPath,
        'eks-fleet/namespace-api',
        'clusters/**/catalog-info.yaml',
      ),
    );
    expect(found.files.map(f => f.url)).toEqual([
      localFleetFileUrl(repositoryPath, 'eks-fleet/namespace-api', ENTITY_PATH),
    ]);
  });

  it('reads no other repository, and nothing when the fleet repository is not local', async () => {
    const reader = readers();
    await expect(
      reader.readUrl(localFleetFileUrl('/etc', 'main', 'passwd')),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    const none = UrlReaders.create({
      config: new ConfigReader({}),
      logger: mockServices.logger.mock(),
      factories: [LocalFleetRepositoryUrlReader.factory],
    });
    await expect(
      none.readUrl(
        localFleetFileUrl(
          repositoryPath,
          'eks-fleet/namespace-api',
          ENTITY_PATH,
        ),
      ),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
  });

  it('lets the catalog register an entity from a branch', async () => {
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        fleetRepositoryUrlReader,
        mockServices.rootConfig.factory({
          data: {
            eksFleet: {
              scaffolder: {
                fleetRepository: { local: { path: repositoryPath } },
              },
            },
            catalog: { rules: [{ allow: ['Resource', 'Location'] }] },
          },
        }),
      ],
    });
    const target = localFleetFileUrl(
      repositoryPath,
      'eks-fleet/namespace-api',
      ENTITY_PATH,
    );

    const dryRun = await request(server)
      .post('/api/catalog/locations?dryRun=true')
      .set('Authorization', mockCredentials.user.header())
      .send({ type: 'url', target });

    // Status and body together, so a refusal shows the catalog's reason.
    expect({ status: dryRun.status, body: dryRun.body }).toMatchObject({
      status: 201,
      body: {
        entities: expect.arrayContaining([
          expect.objectContaining({
            kind: 'Resource',
            metadata: expect.objectContaining({
              name: 'api.pay-prod-eu-west-1-222222222222',
            }),
          }),
        ]),
      },
    });
  }, 180_000);
});
