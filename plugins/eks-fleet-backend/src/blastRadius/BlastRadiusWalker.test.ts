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

import { Entity } from '@backstage/catalog-model';
import { BlastRadiusCatalog, BlastRadiusWalker } from './BlastRadiusWalker';

/**
 * A hand-built catalog: entities declare dependsOn, owner and system; the
 * relations both ways are derived as the catalog's processors do.
 */
interface Declared {
  ref: string;
  type?: string;
  lifecycle?: string;
  environment?: string;
  dependsOn?: string[];
  owner?: string;
  system?: string;
}

function buildCatalog(declared: Declared[]) {
  const entities = new Map<string, Entity>();
  for (const d of declared) {
    const [kind, rest] = d.ref.split(':');
    const [namespace, name] = rest.split('/');
    entities.set(d.ref, {
      apiVersion: 'backstage.io/v1alpha1',
      kind: kind[0].toUpperCase() + kind.slice(1),
      metadata: { namespace, name, title: name.toUpperCase() },
      spec: {
        ...(d.type ? { type: d.type } : {}),
        ...(d.lifecycle ? { lifecycle: d.lifecycle } : {}),
        ...(d.environment ? { eks: { environment: d.environment } } : {}),
      },
      relations: [],
    });
  }
  const relate = (source: string, type: string, target: string) =>
    entities.get(source)?.relations!.push({ type, targetRef: target });
  for (const d of declared) {
    for (const target of d.dependsOn ?? []) {
      relate(d.ref, 'dependsOn', target);
      relate(target, 'dependencyOf', d.ref);
    }
    if (d.owner) {
      relate(d.ref, 'ownedBy', d.owner);
      relate(d.owner, 'ownerOf', d.ref);
    }
    if (d.system) {
      relate(d.ref, 'partOf', d.system);
      relate(d.system, 'hasPart', d.ref);
    }
  }
  const calls: Array<{ refs: string[]; fields: string[] }> = [];
  const catalog: BlastRadiusCatalog = {
    async getEntitiesByRefs(refs, fields) {
      calls.push({ refs, fields });
      return refs.map(ref => entities.get(ref));
    },
  };
  return { catalog, calls, entities };
}

const cluster = (name: string, environment = 'prod'): Declared => ({
  ref: `resource:default/${name}`,
  type: 'kubernetes-cluster',
  environment,
});
const workload = (
  name: string,
  dependsOn: string[],
  extra: Partial<Declared> = {},
): Declared => ({
  ref: `component:default/${name}`,
  type: 'service',
  lifecycle: 'production',
  dependsOn,
  ...extra,
});
const C = (name: string) => `resource:default/${name}`;
const W = (name: string) => `component:default/${name}`;

describe('BlastRadiusWalker', () => {
  it('walks dependents level by level to the depth, with teams, systems and downstream clusters', async () => {
    const { catalog, calls } = buildCatalog([
      cluster('origin'),
      cluster('other', 'dev'),
      cluster('shared-prod'),
      { ref: 'resource:default/orders-db', type: 'database' },
      { ref: 'group:default/payments' },
      { ref: 'group:default/web' },
      { ref: 'system:default/checkout' },
      workload('api', [C('origin'), C('orders-db')], {
        owner: 'group:default/payments',
        system: 'system:default/checkout',
      }),
      workload('web', [W('api'), C('other'), C('orders-db')], {
        owner: 'group:default/web',
        lifecycle: 'experimental',
      }),
      workload('mobile-bff', [W('web'), C('shared-prod')], {
        owner: 'group:default/web',
      }),
      workload('reports', [W('mobile-bff'), C('other')]),
    ]);
    const report = await new BlastRadiusWalker(catalog).walk(C('origin'), {
      depth: 3,
    });

    const byRef = new Map(report.nodes.map(n => [n.entityRef, n]));
    expect(report.origin).toMatchObject({
      entityRef: C('origin'),
      role: 'cluster',
      depth: 0,
      production: true,
    });
    expect(
      report.nodes.filter(n => n.role === 'workload').map(n => n.entityRef),
    ).toEqual([W('api'), W('web'), W('mobile-bff')]);
    expect(byRef.get(W('api'))).toMatchObject({
      depth: 1,
      production: true,
      owner: 'group:default/payments',
      system: 'system:default/checkout',
      title: 'API',
      paths: [[C('origin'), W('api')]],
      pathCount: 1,
    });
    expect(byRef.get(W('web'))).toMatchObject({ depth: 2, production: false });
    expect(byRef.get(W('mobile-bff'))!.paths).toEqual([
      [C('origin'), W('api'), W('web'), W('mobile-bff')],
    ]);
    // reports is at depth 4: left out, and counted.
    expect(byRef.has(W('reports'))).toBe(false);
    expect(report.beyondDepth).toBe(1);

    // Downstream: the clusters of the depth-2 and depth-3 workloads; the
    // database web uses is not a cluster.
    expect(byRef.get(C('other'))).toMatchObject({
      role: 'cluster',
      depth: 3,
      production: false,
      environment: 'dev',
      paths: [[C('origin'), W('api'), W('web'), C('other')]],
    });
    expect(byRef.get(C('shared-prod'))).toMatchObject({
      role: 'cluster',
      production: true,
    });
    expect(byRef.has('resource:default/orders-db')).toBe(false);

    expect(byRef.get('group:default/payments')).toMatchObject({
      role: 'team',
      depth: 2,
      production: true,
    });
    // web owns an experimental and a production workload.
    expect(byRef.get('group:default/web')).toMatchObject({
      role: 'team',
      depth: 3,
      production: true,
      pathCount: 1,
    });
    expect(byRef.get('system:default/checkout')).toMatchObject({
      role: 'system',
    });

    expect(report.counts).toEqual({
      workloads: 3,
      directWorkloads: 1,
      productionWorkloads: 2,
      teams: 2,
      systems: 1,
      downstreamClusters: 2,
      productionClusters: 1,
      workloadsByDepth: [1, 1, 1],
    });
    expect(report.edges).toEqual(
      expect.arrayContaining([
        { from: C('origin'), to: W('api'), relation: 'dependencyOf' },
        { from: W('web'), to: C('other'), relation: 'hostedOn' },
        { from: W('api'), to: 'group:default/payments', relation: 'ownedBy' },
        { from: W('api'), to: 'system:default/checkout', relation: 'partOf' },
      ]),
    );
    expect(report.missing).toEqual([]);

    // The origin, 3 levels, then the last clusters beside the teams and
    // systems: depth + 3, fields selected.
    expect(report.catalogQueries).toBe(6);
    expect(calls).toHaveLength(6);
    expect(calls[0].fields).toEqual(expect.arrayContaining(['relations']));
    expect(calls[0].fields).not.toContain('metadata.annotations');
    const groups = calls.find(c => c.refs.includes('group:default/web'))!;
    expect(groups.refs.sort()).toEqual([
      'group:default/payments',
      'group:default/web',
      'system:default/checkout',
    ]);
    expect(groups.fields).not.toContain('relations');
  });

  it('terminates on cycles and shows their edges', async () => {
    const { catalog } = buildCatalog([
      // The cluster depends on a workload that runs on it: a cycle through
      // the origin.
      { ...cluster('origin'), dependsOn: [W('d')] },
      workload('a', [C('origin'), W('c')]),
      workload('b', [W('a')]),
      workload('c', [W('b')]),
      workload('d', [W('a')]),
    ]);
    const report = await new BlastRadiusWalker(catalog).walk(C('origin'), {
      depth: 10,
    });
    expect(report.nodes.map(n => [n.entityRef, n.depth])).toEqual([
      [W('a'), 1],
      [W('b'), 2],
      [W('d'), 2],
      [W('c'), 3],
    ]);
    expect(report.edges).toEqual(
      expect.arrayContaining([
        { from: W('c'), to: W('a'), relation: 'dependencyOf' },
      ]),
    );
    expect(report.beyondDepth).toBe(0);
  });

  it('counts every shortest path through a diamond and keeps a few of them', async () => {
    const { catalog } = buildCatalog([
      cluster('origin'),
      workload('left', [C('origin')]),
      workload('right', [C('origin')]),
      workload('middle', [C('origin')]),
      workload('join', [W('left'), W('right'), W('middle')]),
      workload('tail', [W('join')]),
      // A longer way to join is no shortest path.
      workload('detour', [W('left')]),
    ]);
    const report = await new BlastRadiusWalker(catalog).walk(C('origin'), {
      depth: 3,
    });
    const join = report.nodes.find(n => n.entityRef === W('join'))!;
    expect(join.depth).toBe(2);
    expect(join.pathCount).toBe(3);
    expect(join.paths).toEqual([
      [C('origin'), W('left'), W('join')],
      [C('origin'), W('middle'), W('join')],
      [C('origin'), W('right'), W('join')],
    ]);
    const tail = report.nodes.find(n => n.entityRef === W('tail'))!;
    expect(tail.pathCount).toBe(3);
  });

  it('keeps path counts finite on wide layered graphs', async () => {
    // 6 layers of 10, each workload depending on every workload above:
    // 10^5 shortest paths to each of the last layer.
    const layers: Declared[] = [cluster('origin')];
    for (let layer = 0; layer < 6; layer++) {
      for (let i = 0; i < 10; i++) {
        layers.push(
          workload(
            `l${layer}-${i}`,
            layer === 0
              ? [C('origin')]
              : Array.from({ length: 10 }, (_, j) => W(`l${layer - 1}-${j}`)),
          ),
        );
      }
    }
    const { catalog, calls } = buildCatalog(layers);
    const report = await new BlastRadiusWalker(catalog).walk(C('origin'), {
      depth: 6,
    });
    const last = report.nodes.find(n => n.entityRef === W('l5-0'))!;
    expect(last.pathCount).toBe(100_000);
    expect(last.paths).toHaveLength(3);
    expect(report.counts.workloads).toBe(60);
    // One batch per level, not one query per entity.
    expect(calls.length).toBeLessThanOrEqual(6 + 3);
    expect(calls[1].refs).toHaveLength(10);
  });

  it('reports entities the relations name that the catalog lacks, and walks on', async () => {
    const { catalog, entities } = buildCatalog([
      cluster('origin'),
      workload('api', [C('origin')], { owner: 'group:default/ghosts' }),
      workload('gone', [C('origin')]),
      workload('web', [W('api')], { system: 'system:default/nowhere' }),
    ]);
    entities.delete(W('gone'));
    entities.delete('group:default/ghosts');
    entities.delete('system:default/nowhere');
    const report = await new BlastRadiusWalker(catalog).walk(C('origin'), {
      depth: 3,
    });
    expect(report.nodes.map(n => n.entityRef)).toEqual([W('api'), W('web')]);
    expect(report.missing).toEqual([
      { entityRef: W('gone'), referencedBy: [C('origin')] },
      { entityRef: 'group:default/ghosts', referencedBy: [W('api')] },
      { entityRef: 'system:default/nowhere', referencedBy: [W('web')] },
    ]);
    expect(report.counts.teams).toBe(0);
  });

  it('walks on through a cluster that depends on the origin', async () => {
    const { catalog } = buildCatalog([
      cluster('origin'),
      { ...cluster('child', 'staging'), dependsOn: [C('origin')] },
      workload('on-child', [C('child')]),
    ]);
    const report = await new BlastRadiusWalker(catalog).walk(C('origin'), {
      depth: 3,
    });
    expect(report.nodes.map(n => [n.entityRef, n.role, n.depth])).toEqual([
      [C('child'), 'cluster', 1],
      [W('on-child'), 'workload', 2],
    ]);
    expect(report.counts.downstreamClusters).toBe(1);
  });

  it('answers an empty radius for a cluster nothing runs on', async () => {
    const { catalog, calls } = buildCatalog([cluster('lonely')]);
    const report = await new BlastRadiusWalker(catalog).walk(C('lonely'), {
      depth: 3,
    });
    expect(report.nodes).toEqual([]);
    expect(report.counts.workloads).toBe(0);
    expect(calls).toHaveLength(1);
  });

  it('refuses a bad depth, an unknown entity and an entity that is not a cluster', async () => {
    const { catalog } = buildCatalog([
      cluster('origin'),
      workload('api', [C('origin')]),
    ]);
    const walker = new BlastRadiusWalker(catalog);
    await expect(walker.walk(C('origin'), { depth: 0 })).rejects.toThrow(
      /Invalid depth 0/,
    );
    await expect(walker.walk(C('origin'), { depth: 2.5 })).rejects.toThrow(
      /Invalid depth/,
    );
    await expect(walker.walk(C('nope'), { depth: 3 })).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(walker.walk(W('api'), { depth: 3 })).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('is not a cluster'),
    });
  });
});
