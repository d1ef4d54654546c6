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
  EksUpgradeInsight,
  RolloutExecutor,
  RolloutGateSource,
  UpgradeChange,
  UpgradeOperation,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { EksClusterTarget } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import {
  AddonVersionCatalog,
  ClusterInspector,
  InspectedCluster,
  InspectedPart,
} from '../ClusterInspector';

export interface FakeCluster {
  name: string;
  status: string;
  version: string;
  addons: InspectedPart[];
  nodegroups: InspectedPart[];
  insightErrors: string[];
  alarms: string[];
  failUpdates?: boolean;
}

/**
 * An in-memory fleet on a fake clock for the state machine's tests: the
 * inspector reads it, the executor changes it after `updateMs`, tokens make
 * starts idempotent, and every start is counted.
 */
export class FakeFleet {
  now = Date.parse('2026-12-01T00:00:00Z');
  readonly clusters = new Map<string, FakeCluster>();
  readonly starts: Array<{
    cluster: string;
    change: UpgradeChange;
    token: string;
    at: number;
  }> = [];
  readonly #updates = new Map<
    string,
    {
      dueAt: number;
      apply: () => void;
      cluster: FakeCluster;
      applied: boolean;
      change: UpgradeChange;
    }
  >();
  readonly #byToken = new Map<string, UpgradeOperation>();
  #counter = 0;
  /**
   * Faults, by call: each hook may throw (an SDK-shaped error) or wait
   * before the call does its work; `after` hooks run once the work is
   * done (a call that took effect but whose answer was lost).
   */
  readonly faults: {
    beforeStart?: (cluster: string, change: UpgradeChange) => Promise<void>;
    afterStart?: (cluster: string, change: UpgradeChange) => Promise<void>;
    beforeStatus?: (cluster: string, op: UpgradeOperation) => Promise<void>;
    beforeRead?: (
      cluster: string,
      what: string,
      abortSignal?: AbortSignal,
    ) => Promise<void>;
  } = {};
  /** Every call of the executor, in order. */
  readonly calls: Array<{
    kind: 'start' | 'status' | 'adopt';
    cluster: string;
    at: number;
  }> = [];

  constructor(readonly updateMs = 60_000) {}

  clock = () => this.now;

  add(name: string, version = '1.34', extra: Partial<FakeCluster> = {}) {
    this.clusters.set(name, {
      name,
      status: 'ACTIVE',
      version,
      addons: [
        { name: 'coredns', version: `v${version}-a`, status: 'ACTIVE' },
        { name: 'vpc-cni', version: `v${version}-b`, status: 'ACTIVE' },
      ],
      nodegroups: [{ name: 'general', version, status: 'ACTIVE' }],
      insightErrors: [],
      alarms: [],
      ...extra,
    });
  }

  #cluster(target: EksClusterTarget): FakeCluster {
    const c = this.clusters.get(target.clusterName);
    if (!c) throw new Error(`no cluster ${target.clusterName}`);
    // Updates end on their own, looked at or not.
    for (const u of this.#updates.values()) {
      if (u.cluster === c && !u.applied && this.now >= u.dueAt) {
        if (c.failUpdates) {
          c.status = 'ACTIVE';
        } else {
          u.apply();
          u.applied = true;
        }
      }
    }
    return c;
  }

  async #read(
    t: EksClusterTarget,
    what: string,
    options?: { abortSignal?: AbortSignal },
  ) {
    await this.faults.beforeRead?.(t.clusterName, what, options?.abortSignal);
    return this.#cluster(t);
  }

  inspector: ClusterInspector = {
    cluster: async (t, o) => {
      const c = await this.#read(t, 'cluster', o);
      return { status: c.status, version: c.version } as InspectedCluster;
    },
    addons: async (t, o) =>
      (await this.#read(t, 'addons', o)).addons.map(a => ({ ...a })),
    nodegroups: async (t, o) =>
      (await this.#read(t, 'nodegroups', o)).nodegroups.map(n => ({ ...n })),
    upgradeInsights: async (t, o) =>
      (await this.#read(t, 'insights', o)).insightErrors.map(
        (name): EksUpgradeInsight => ({
          id: name,
          name,
          status: 'ERROR',
          reason: 'fails',
        }),
      ),
    addonVersions: async (_t, v): Promise<AddonVersionCatalog> =>
      new Map([
        ['coredns', { versions: [`v${v}-a`], defaultVersion: `v${v}-a` }],
        ['vpc-cni', { versions: [`v${v}-b`], defaultVersion: `v${v}-b` }],
      ]),
  };

  executor: RolloutExecutor = {
    id: 'fake',
    start: async (t, change, { idempotencyToken }) => {
      this.calls.push({ kind: 'start', cluster: t.clusterName, at: this.now });
      await this.faults.beforeStart?.(t.clusterName, change);
      const seen = this.#byToken.get(idempotencyToken);
      if (seen) {
        await this.faults.afterStart?.(t.clusterName, change);
        return seen;
      }
      const c = this.#cluster(t);
      this.starts.push({
        cluster: c.name,
        change,
        token: idempotencyToken,
        at: this.now,
      });
      const id = `u-${++this.#counter}`;
      const apply = () => {
        if (change.kind === 'control-plane') {
          c.version = change.version;
          c.status = 'ACTIVE';
        } else if (change.kind === 'addon') {
          const a = c.addons.find(x => x.name === change.addonName)!;
          a.version = change.version;
          a.status = 'ACTIVE';
        } else if (change.kind === 'nodegroup') {
          const n = c.nodegroups.find(x => x.name === change.nodegroupName)!;
          n.version = change.version;
          n.status = 'ACTIVE';
        }
      };
      if (change.kind === 'control-plane') c.status = 'UPDATING';
      this.#updates.set(id, {
        dueAt: this.now + this.updateMs,
        apply,
        cluster: c,
        applied: false,
        change,
      });
      const op = { id, change };
      this.#byToken.set(idempotencyToken, op);
      await this.faults.afterStart?.(t.clusterName, change);
      return op;
    },
    adopt: async (t, change) => {
      this.calls.push({ kind: 'adopt', cluster: t.clusterName, at: this.now });
      for (const [id, u] of this.#updates) {
        if (
          u.cluster.name === t.clusterName &&
          this.now < u.dueAt &&
          JSON.stringify(u.change) === JSON.stringify(change)
        ) {
          return { id, change };
        }
      }
      return undefined;
    },
    status: async (t, op) => {
      this.calls.push({ kind: 'status', cluster: t.clusterName, at: this.now });
      await this.faults.beforeStatus?.(t.clusterName, op);
      const u = this.#updates.get(op.id)!;
      if (this.now < u.dueAt) return { state: 'in-progress' };
      if (u.cluster.failUpdates) {
        u.cluster.status = 'ACTIVE';
        return { state: 'failed', message: 'rolled back' };
      }
      if (!u.applied) {
        u.apply();
        u.applied = true;
      }
      return { state: 'succeeded' };
    },
  };

  gate: RolloutGateSource = {
    id: 'fake-alarms',
    check: async t =>
      this.#cluster(t).alarms.map(name => ({
        name,
        firing: true,
        reason: 'threshold crossed',
      })),
  };
}

/** An error shaped as the AWS SDK throws it. */
export function awsError(
  name: string,
  status: number,
  message = name,
): Error & { $fault: 'client' | 'server'; $metadata: object } {
  return Object.assign(new Error(message), {
    name,
    $fault: (status >= 500 ? 'server' : 'client') as 'client' | 'server',
    $metadata: { httpStatusCode: status, requestId: `req-${name}` },
  });
}
