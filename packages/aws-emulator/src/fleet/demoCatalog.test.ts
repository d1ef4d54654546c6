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

import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { loadFleetFile } from './fleetFile';

/**
 * The demo catalog (examples/demo) must match the demo fleet: every cluster
 * a workload names exists, and every reference resolves inside the files.
 */

const EXAMPLES = join(__dirname, '../../../../examples');
const DEMO = join(EXAMPLES, 'demo');
const CLUSTERS_ANNOTATION = 'eks-fleet.io/clusters';
// Backstage's rule for metadata.name: 1-63 characters of [a-zA-Z0-9-_.],
// starting and ending with a letter or digit.
const ENTITY_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

interface Entity {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
}

function loadEntities(path: string): Entity[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map(doc => {
    expect(doc.errors).toEqual([]);
    return doc.toJS() as Entity;
  });
}

/** "component:default/x", "component:x" or "x" with a default kind. */
function parseRef(ref: string, defaultKind: string) {
  const match = /^(?:([a-zA-Z]+):)?(?:([a-z0-9-_.]+)\/)?(.+)$/.exec(ref);
  if (!match) {
    throw new Error(`not an entity reference: ${ref}`);
  }
  return {
    kind: (match[1] ?? defaultKind).toLowerCase(),
    namespace: match[2] ?? 'default',
    name: match[3],
  };
}

describe('the demo catalog (examples/demo)', () => {
  const files = readdirSync(DEMO).filter(f => f.endsWith('.yaml'));
  const entities = files.flatMap(f => loadEntities(join(DEMO, f)));
  // The guest user the demo signs in as lives in the app's example org.
  const known = new Set(
    [...entities, ...loadEntities(join(EXAMPLES, 'org.yaml'))].map(
      e => `${e.kind.toLowerCase()}:default/${e.metadata.name}`,
    ),
  );
  const fleet = loadFleetFile(join(__dirname, '../../fleets/demo.yaml'));
  const clusterArns = new Set(
    fleet.clusters.map(
      c => `arn:aws:eks:${c.region}:${c.accountId}:cluster/${c.name}`,
    ),
  );
  const components = entities.filter(e => e.kind === 'Component');

  function resolves(ref: unknown, defaultKind: string): boolean {
    if (typeof ref !== 'string') {
      return false;
    }
    const { kind, namespace, name } = parseRef(ref, defaultKind);
    return known.has(`${kind}:${namespace}/${name}`);
  }

  it('has the files and kinds the demo needs', () => {
    expect(files.sort()).toEqual([
      'components.yaml',
      'namespaces.yaml',
      'org.yaml',
      'systems.yaml',
    ]);
    expect(components.length).toBeGreaterThanOrEqual(30);
    expect(new Set(components.map(c => c.spec?.type))).toEqual(
      new Set(['service', 'website']),
    );
  });

  it('uses valid, unique entity names', () => {
    const seen = new Set<string>();
    for (const entity of entities) {
      expect(entity.apiVersion).toBe('backstage.io/v1alpha1');
      const { name } = entity.metadata;
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(ENTITY_NAME);
      const key = `${entity.kind}:${name}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
  });

  it('resolves every owner, system, dependency, parent and member', () => {
    const unresolved: string[] = [];
    const check = (entity: Entity, ref: unknown, defaultKind: string) => {
      if (!resolves(ref, defaultKind)) {
        unresolved.push(
          `${entity.kind} ${entity.metadata.name}: ${String(ref)}`,
        );
      }
    };
    const list = (value: unknown) => (value as string[] | undefined) ?? [];
    for (const entity of entities) {
      const spec = entity.spec ?? {};
      switch (entity.kind) {
        case 'Component':
          check(entity, spec.owner, 'group');
          check(entity, spec.system, 'system');
          for (const dep of list(spec.dependsOn)) {
            check(
              entity,
              dep.startsWith('component:') ? dep : `(no kind) ${dep}`,
              'component',
            );
          }
          break;
        case 'System':
          check(entity, spec.owner, 'group');
          break;
        case 'Resource':
          // Namespaces as the namespace template registers them; the
          // clusters they depend on come from the provider, not from here.
          if (spec.type !== 'kubernetes-namespace') {
            unresolved.push(`unexpected resource type ${String(spec.type)}`);
          }
          check(entity, spec.owner, 'group');
          check(entity, spec.system, 'system');
          break;
        case 'Group':
          for (const ref of [
            ...list(spec.parent ? [spec.parent] : []),
            ...list(spec.children),
          ]) {
            check(entity, ref, 'group');
          }
          for (const ref of list(spec.members)) {
            check(entity, ref, 'user');
          }
          break;
        case 'User':
          for (const ref of list(spec.memberOf)) {
            check(entity, ref, 'group');
          }
          break;
        default:
          unresolved.push(`unexpected kind ${entity.kind}`);
      }
    }
    expect(unresolved).toEqual([]);
  });

  it('puts the guest user in a demo group', () => {
    const groups = entities.filter(
      e =>
        e.kind === 'Group' &&
        ((e.spec?.members as string[] | undefined) ?? []).includes('guest'),
    );
    expect(groups.map(g => g.metadata.name)).toEqual(['platform-team']);
  });

  it('names only clusters of the demo fleet, some workloads on several', () => {
    let multiCluster = 0;
    const used = new Set<string>();
    const unknown: string[] = [];
    for (const component of components) {
      const value = component.metadata.annotations?.[CLUSTERS_ANNOTATION] ?? '';
      const arns = value.split(',').map(a => a.trim());
      for (const arn of arns) {
        if (!clusterArns.has(arn)) {
          unknown.push(`${component.metadata.name}: ${JSON.stringify(arn)}`);
        }
        used.add(arn);
      }
      if (new Set(arns.map(a => a.split(':')[3])).size > 1) {
        multiCluster++;
      }
    }
    expect(unknown).toEqual([]);
    // Prod in several regions, so a blast radius crosses clusters.
    expect(multiCluster).toBeGreaterThanOrEqual(10);
    expect(used.size).toBeGreaterThanOrEqual(20);
  });

  it('matches the fleet tags: teams are groups, systems are systems', () => {
    for (const cluster of fleet.clusters) {
      expect(resolves(cluster.tags.team, 'group')).toBe(true);
      expect(resolves(cluster.tags.system, 'system')).toBe(true);
    }
  });
});
