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

import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EKS_FLEET_ANNOTATIONS,
  isAwsAccountId,
  KUBERNETES_CLUSTER_RESOURCE_TYPE,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { InstanceTypeCatalog } from '../capacity/clusterCapacity';
import { EksFleetScaffolderConfig } from '../config/readScaffolderConfig';
import { FleetRepository } from '../fleet/FleetRepository';
import {
  architectureOf,
  CapacityType,
  ClusterRequest,
} from '../render/clusterManifests';
import { clusterFolder } from '../render/namespaceManifests';
import { FieldProblems } from './FieldProblems';
import { EksReleaseCatalog } from '@eks-fleet/backstage-plugin-eks-fleet-node';

/** A cluster request as the action's input carries it (quantities parsed). */
export interface ClusterRequestInput {
  name: string;
  accountId: string;
  region: string;
  kubernetesVersion: string;
  environment: string;
  owner: string;
  system?: string;
  nodePools: Array<{
    name: string;
    instanceFamilies: string[];
    capacityType: CapacityType;
    limits: { cpuMillis: number; memoryBytes: number };
  }>;
  addons: string[];
}

const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const MINOR_VERSION = /^1\.\d{1,3}$/;
const ENVIRONMENT = /^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const INSTANCE_FAMILY = /^[a-z]+\d+[a-z0-9-]*$/;
const GIB = 2 ** 30;

/**
 * Validates a cluster request: EKS's name rules, a landing zone for the
 * account and region, a Kubernetes version EKS has in standard support
 * there, owner and system in the catalog, no cluster of that name in that
 * account and region (per the catalog, and per the fleet repository's
 * target branch when it is local), node pools of instance families EC2
 * has, add-ons EKS offers for the version.
 */
export class ClusterRequestService {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      releases: EksReleaseCatalog;
      instanceTypes: InstanceTypeCatalog;
      config: EksFleetScaffolderConfig;
      fleetRepository?: FleetRepository;
    },
  ) {}

  async validate(
    input: ClusterRequestInput,
    context: { credentials: BackstageCredentials; requestedBy?: string },
  ): Promise<ClusterRequest> {
    const { catalog, config } = this.options;
    const { credentials } = context;
    const problems = new FieldProblems();

    if (!EKS_CLUSTER_NAME.test(input.name)) {
      problems.add(
        'name',
        `${JSON.stringify(
          input.name,
        )} is not an EKS cluster name: 1 to 100 letters, digits, "-" and "_", starting with a letter or digit`,
      );
    }
    if (!isAwsAccountId(input.accountId)) {
      problems.add(
        'accountId',
        `${JSON.stringify(input.accountId)} is not a 12-digit AWS account id`,
      );
    }
    if (!REGION.test(input.region)) {
      problems.add(
        'region',
        `${JSON.stringify(
          input.region,
        )} is not an AWS region such as eu-west-1`,
      );
    }
    if (!ENVIRONMENT.test(input.environment)) {
      problems.add(
        'environment',
        `${JSON.stringify(
          input.environment,
        )} is not an environment name: 1 to 32 lowercase letters, digits and "-"`,
      );
    }
    const landingZone = config.landingZones.find(
      z => z.accountId === input.accountId && z.region === input.region,
    );
    if (!landingZone && !problems.has('accountId') && !problems.has('region')) {
      // The field to blame: the account when it has no landing zone at
      // all, else the region it lacks.
      const accountRegions = config.landingZones
        .filter(z => z.accountId === input.accountId)
        .map(z => z.region);
      const zones = config.landingZones.map(z => `${z.accountId}/${z.region}`);
      if (accountRegions.length === 0) {
        problems.add(
          'accountId',
          `no landing zone is configured for account ${
            input.accountId
          } (eksFleet.scaffolder.landingZones has ${
            zones.length > 0 ? zones.join(', ') : 'none'
          })`,
        );
      } else {
        problems.add(
          'region',
          `no landing zone is configured for account ${input.accountId} in ${
            input.region
          } (its landing zones are in ${accountRegions.join(', ')})`,
        );
      }
    }

    this.#checkNodePools(input, problems);
    const addonNames = this.#checkAddonNames(input, problems);

    const ownerRef = problems.entityRef('owner', input.owner, 'group');
    const systemRef = input.system
      ? problems.entityRef('system', input.system, 'system')
      : undefined;
    const regionOk = !problems.has('region');
    const versionOk = MINOR_VERSION.test(input.kubernetesVersion);
    if (!versionOk) {
      problems.add(
        'kubernetesVersion',
        `${JSON.stringify(
          input.kubernetesVersion,
        )} is not a Kubernetes minor version such as 1.35`,
      );
    }
    const [ownerEntity, systemEntity, versions, existing] = await Promise.all([
      ownerRef ? catalog.getEntityByRef(ownerRef, { credentials }) : undefined,
      systemRef
        ? catalog.getEntityByRef(systemRef, { credentials })
        : undefined,
      regionOk
        ? this.options.releases
            .versions({ region: input.region })
            .then(fetched => fetched.data)
        : undefined,
      isAwsAccountId(input.accountId) && regionOk
        ? this.#catalogClusters(input.accountId, input.region, credentials)
        : [],
    ]);
    checkKind(
      ownerRef,
      ownerEntity,
      'Group',
      'owner',
      'a team (a Group)',
      problems,
    );
    checkKind(
      systemRef,
      systemEntity,
      'System',
      'system',
      'a System',
      problems,
    );

    if (versions && versionOk) {
      const asked = versions.find(v => v.version === input.kubernetesVersion);
      if (asked?.status !== 'STANDARD_SUPPORT') {
        const offered = versions
          .filter(v => v.status === 'STANDARD_SUPPORT')
          .map(v => v.version);
        problems.add(
          'kubernetesVersion',
          `${input.kubernetesVersion} is ${
            {
              EXTENDED_SUPPORT: 'in extended support',
              UNSUPPORTED: 'no longer supported',
            }[asked?.status ?? ''] ?? 'not offered by EKS'
          } in ${
            input.region
          }; a new cluster starts on a version in standard support (${
            offered.join(', ') || 'none'
          })`,
        );
      }
    }

    const same = existing.find(e => {
      const eks = (e.spec?.eks ?? {}) as Record<string, unknown>;
      return (eks.clusterName ?? e.metadata.title) === input.name;
    });
    if (same) {
      problems.add(
        'name',
        `account ${input.accountId} has a cluster ${input.name} in ${
          input.region
        } already (${stringifyEntityRef(same)})`,
      );
    } else if (!problems.has('name') && !problems.has('region')) {
      await this.#checkFleetRepository(input, problems);
    }

    let addons: ClusterRequest['addons'] = [];
    if (
      addonNames.length > 0 &&
      !problems.has('kubernetesVersion') &&
      !problems.has('region')
    ) {
      const { data: offer } = await this.options.releases.addonVersions(
        { region: input.region },
        input.kubernetesVersion,
      );
      addons = addonNames.map((name, index) => {
        const versionsOfAddon = Object.hasOwn(offer, name)
          ? offer[name]
          : undefined;
        if (!versionsOfAddon || versionsOfAddon.versions.length === 0) {
          problems.add(
            `addons[${index}]`,
            `EKS offers ${name} for no version of it compatible with Kubernetes ${input.kubernetesVersion} in ${input.region}`,
          );
          return { name };
        }
        return {
          name,
          version:
            versionsOfAddon.defaultVersion ?? versionsOfAddon.versions[0],
        };
      });
    }

    if (regionOk) {
      await this.#checkFamilies(input, problems);
    }

    problems.throwIfAny('cluster request');
    return {
      name: input.name,
      accountId: input.accountId,
      region: input.region,
      kubernetesVersion: input.kubernetesVersion,
      environment: input.environment,
      owner: { entityRef: ownerRef!, name: parseEntityRef(ownerRef!).name },
      system: systemRef
        ? { entityRef: systemRef, name: parseEntityRef(systemRef).name }
        : undefined,
      landingZone: landingZone!,
      nodePools: input.nodePools.map(pool => ({
        name: pool.name,
        instanceFamilies: [...new Set(pool.instanceFamilies)],
        capacityType: pool.capacityType,
        architectures: [
          ...new Set(pool.instanceFamilies.map(architectureOf)),
        ].sort(),
        limits: pool.limits,
      })),
      addons,
      systemNodegroup: config.clusters.systemNodegroup,
      ackNamespace: config.clusters.ackNamespace,
      tagKeys: config.clusters.tagKeys,
      requestedBy: context.requestedBy,
    };
  }

  #checkNodePools(input: ClusterRequestInput, problems: FieldProblems) {
    if (input.nodePools.length === 0) {
      problems.add('nodePools', 'at least one node pool is needed');
    }
    const seen = new Set<string>();
    input.nodePools.forEach((pool, i) => {
      const at = `nodePools[${i}]`;
      if (!DNS_LABEL.test(pool.name)) {
        problems.add(
          `${at}.name`,
          `${JSON.stringify(
            pool.name,
          )} is not a node pool name: 1 to 63 lowercase letters, digits and "-"`,
        );
      } else if (pool.name === 'system') {
        problems.add(
          `${at}.name`,
          '"system" is the managed node group every cluster gets; pick another name',
        );
      } else if (seen.has(pool.name)) {
        problems.add(`${at}.name`, `${pool.name} is there twice`);
      }
      seen.add(pool.name);
      if (pool.instanceFamilies.length === 0) {
        problems.add(
          `${at}.instanceFamilies`,
          'at least one instance family is needed',
        );
      }
      pool.instanceFamilies.forEach((family, j) => {
        if (!INSTANCE_FAMILY.test(family)) {
          problems.add(
            `${at}.instanceFamilies[${j}]`,
            `${JSON.stringify(
              family,
            )} is not an EC2 instance family such as m6i or c7g`,
          );
        }
      });
      if (pool.limits.cpuMillis < 1000) {
        problems.add(`${at}.limits.cpu`, 'must be at least 1 CPU');
      }
      if (pool.limits.memoryBytes < GIB) {
        problems.add(`${at}.limits.memory`, 'must be at least 1Gi');
      }
    });
  }

  #checkAddonNames(
    input: ClusterRequestInput,
    problems: FieldProblems,
  ): string[] {
    const allowed = this.options.config.clusters.allowedAddons;
    const seen = new Set<string>();
    input.addons.forEach((name, i) => {
      if (!allowed.includes(name)) {
        problems.add(
          `addons[${i}]`,
          `${JSON.stringify(
            name,
          )} is not an add-on a cluster may ask for (${allowed.join(', ')})`,
        );
      } else if (seen.has(name)) {
        problems.add(`addons[${i}]`, `${name} is there twice`);
      }
      seen.add(name);
    });
    return [...seen].filter(name => allowed.includes(name));
  }

  async #checkFamilies(input: ClusterRequestInput, problems: FieldProblems) {
    const families = [
      ...new Set(
        input.nodePools
          .flatMap(p => p.instanceFamilies)
          .filter(f => INSTANCE_FAMILY.test(f)),
      ),
    ];
    const known = new Map(
      await Promise.all(
        families.map(
          async f =>
            [
              f,
              await this.options.instanceTypes.hasFamily(input.region, f),
            ] as const,
        ),
      ),
    );
    input.nodePools.forEach((pool, i) =>
      pool.instanceFamilies.forEach((family, j) => {
        if (known.get(family) === false) {
          problems.add(
            `nodePools[${i}].instanceFamilies[${j}]`,
            `EC2 has no instance type of family ${family} in ${input.region}`,
          );
        }
      }),
    );
  }

  async #catalogClusters(
    accountId: string,
    region: string,
    credentials: BackstageCredentials,
  ): Promise<Entity[]> {
    const { items } = await this.options.catalog.getEntities(
      {
        filter: {
          kind: 'Resource',
          'spec.type': KUBERNETES_CLUSTER_RESOURCE_TYPE,
          [`metadata.annotations.${EKS_FLEET_ANNOTATIONS.accountId}`]:
            accountId,
          [`metadata.annotations.${EKS_FLEET_ANNOTATIONS.region}`]: region,
        },
      },
      { credentials },
    );
    return items;
  }

  async #checkFleetRepository(
    input: ClusterRequestInput,
    problems: FieldProblems,
  ) {
    const repository = this.options.fleetRepository;
    if (repository?.config.type !== 'local') {
      return;
    }
    const folder = clusterFolder({
      accountId: input.accountId,
      region: input.region,
      clusterName: input.name,
    });
    const local = await repository.local();
    const files = await local.listFiles(repository.config.targetBranch, folder);
    if (files.some(f => f.startsWith(`${folder}/control-plane/`))) {
      problems.add(
        'name',
        `the fleet repository defines ${input.name} in account ${input.accountId}, ${input.region} already (${folder}/ on ${repository.config.targetBranch})`,
      );
    }
  }
}

function checkKind(
  ref: string | undefined,
  entity: Entity | undefined,
  kind: string,
  field: string,
  what: string,
  problems: FieldProblems,
) {
  if (!ref) {
    return;
  }
  if (!entity) {
    problems.add(field, `there is no ${ref} in the catalog`);
  } else if (entity.kind !== kind) {
    problems.add(field, `${ref} is a ${entity.kind}; expected ${what}`);
  }
}
