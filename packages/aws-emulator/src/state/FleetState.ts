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

import { FleetCatalog } from '../fleet/FleetCatalog';
import { Fleet, FleetCluster, FleetStateView } from '../fleet/types';
import {
  applyFaultChange,
  FaultChange,
  FaultSettings,
  NO_FAULTS,
} from './faults';

export interface FleetStateOptions {
  /** The emulator's clock (default: the wall clock). */
  clock?: () => Date;
  /** How long an EKS update stays InProgress, in milliseconds (default 30 s). */
  updateDelayMs?: number;
  /** Faults in force from the start. */
  faults?: FaultChange;
}

/** An EKS update as the emulator started it, for tests and benchmarks. */
export interface EksUpdateLogEntry {
  id: string;
  /** account/region/cluster name */
  clusterKey: string;
  type: 'VersionUpdate' | 'AddonUpdate';
  nodegroupName?: string;
  addonName?: string;
  /** The version asked for (Kubernetes minor, or the add-on's version). */
  version?: string;
  token?: string;
  status: 'InProgress' | 'Successful' | 'Failed' | 'Cancelled';
  /** Wall-clock epoch milliseconds. */
  startedAt: number;
  endedAt?: number;
}

/** An EKS call that asks for a change (Update*), as it arrived. */
export interface EksMutationCall {
  /** Wall-clock epoch milliseconds when the request arrived. */
  receivedAt: number;
  operation: string;
  /** account/region/cluster name */
  clusterKey: string;
  token?: string;
  /** The HTTP status answered (or due, for a call held back). */
  status: number;
  errorCode?: string;
}

interface ScheduledTask {
  dueAt: number;
  order: number;
  run: () => void;
}

/**
 * The emulator's in-memory store: the fleet every service answers from, the
 * clock, the fault settings, and work scheduled for later (an EKS update
 * finishing). Scheduled work runs lazily: the server calls `tick()` before
 * each request, so an observer always sees every change that is due, with no
 * timers to leak and nothing that depends on when the event loop ran.
 */
export class FleetState implements FleetStateView {
  readonly fleet: Fleet;
  readonly catalog: FleetCatalog;
  readonly updateDelayMs: number;
  private readonly clock: () => Date;
  private readonly byKey = new Map<string, FleetCluster>();
  private readonly byAccountRegion = new Map<string, FleetCluster[]>();
  private tasks: ScheduledTask[] = [];
  private taskCounter = 0;
  private currentFaults: FaultSettings;
  private generationCounter = 0;
  private readonly changeListeners: Array<(cluster: FleetCluster) => void> = [];
  /** Every EKS update started, and every Update* call, in order. */
  readonly eksActivity: {
    updates: EksUpdateLogEntry[];
    calls: EksMutationCall[];
  } = { updates: [], calls: [] };

  constructor(fleet: Fleet, options: FleetStateOptions = {}) {
    this.fleet = fleet;
    this.catalog = FleetCatalog.forFleet(fleet);
    this.clock = options.clock ?? (() => new Date());
    this.updateDelayMs = options.updateDelayMs ?? 30_000;
    this.currentFaults = applyFaultChange(NO_FAULTS, options.faults ?? {});
    for (const cluster of fleet.clusters) {
      cluster.configurationItemCaptureTime ??= cluster.createdAt;
      cluster.configurationStateId ??= String(
        Date.parse(cluster.configurationItemCaptureTime),
      );
      this.index(cluster);
    }
  }

  get generation(): number {
    return this.generationCounter;
  }

  now(): Date {
    return this.clock();
  }

  allClusters(): readonly FleetCluster[] {
    return this.fleet.clusters;
  }

  clustersIn(accountId: string, region: string): FleetCluster[] {
    return (this.byAccountRegion.get(`${accountId}/${region}`) ?? []).filter(
      c => !c.deleted,
    );
  }

  findCluster(
    accountId: string,
    region: string,
    name: string,
  ): FleetCluster | undefined {
    const cluster = this.byKey.get(`${accountId}/${region}/${name}`);
    return cluster && !cluster.deleted ? cluster : undefined;
  }

  /** Whether an account belongs to the fleet's organization. */
  hasAccount(accountId: string): boolean {
    return this.fleet.accounts.some(a => a.accountId === accountId);
  }

  /**
   * Changes a cluster and records it as AWS Config would: a new
   * configuration item (capture time now, a new configurationStateId).
   */
  changeCluster(cluster: FleetCluster, change: (c: FleetCluster) => void) {
    change(cluster);
    const now = this.now();
    cluster.configurationItemCaptureTime = now.toISOString();
    const previous = Number(cluster.configurationStateId ?? 0);
    cluster.configurationStateId = String(
      Math.max(now.getTime(), previous + 1),
    );
    this.generationCounter += 1;
    for (const listener of this.changeListeners) {
      listener(cluster);
    }
  }

  /**
   * Calls `listener` after every change `changeCluster` records (what AWS
   * Config would notify: each new configuration item of a cluster).
   */
  onClusterChange(listener: (cluster: FleetCluster) => void): void {
    this.changeListeners.push(listener);
  }

  /**
   * Marks the active Kyverno findings of the named clusters RESOLVED (all of
   * a cluster's, or those of a policy, and of one object "Kind/ns/name"),
   * as when the owner fixed them; returns how many. Not a configuration
   * change: AWS Config sees nothing.
   */
  resolveFindings(match: {
    cluster: string;
    policy?: string;
    resource?: string;
  }): number {
    let resolved = 0;
    for (const cluster of this.fleet.clusters) {
      if (cluster.name !== match.cluster || cluster.deleted) continue;
      for (const finding of cluster.findings) {
        const object = [
          finding.resource.kind,
          finding.resource.namespace,
          finding.resource.name,
        ]
          .filter(Boolean)
          .join('/');
        if (
          finding.workflowStatus !== 'RESOLVED' &&
          (!match.policy || finding.policy === match.policy) &&
          (!match.resource || object === match.resource)
        ) {
          finding.workflowStatus = 'RESOLVED';
          finding.updatedAt = this.now().toISOString();
          resolved += 1;
        }
      }
    }
    if (resolved > 0) this.generationCounter += 1;
    return resolved;
  }

  /** Runs `run` once the clock reaches `dueAt` (at the next tick). */
  schedule(dueAt: Date, run: () => void): void {
    this.tasks.push({ dueAt: dueAt.getTime(), order: this.taskCounter++, run });
  }

  /** Runs every scheduled task that is due, oldest first. */
  tick(): void {
    if (this.tasks.length === 0) {
      return;
    }
    const now = this.now().getTime();
    const due = this.tasks
      .filter(t => t.dueAt <= now)
      .sort((a, b) => a.dueAt - b.dueAt || a.order - b.order);
    if (due.length === 0) {
      return;
    }
    this.tasks = this.tasks.filter(t => t.dueAt > now);
    for (const task of due) {
      task.run();
    }
  }

  /** When the next scheduled task is due, if any. */
  nextDue(): Date | undefined {
    if (this.tasks.length === 0) {
      return undefined;
    }
    return new Date(Math.min(...this.tasks.map(t => t.dueAt)));
  }

  get faults(): FaultSettings {
    return this.currentFaults;
  }

  setFaults(change: FaultChange): FaultSettings {
    this.currentFaults = applyFaultChange(this.currentFaults, change);
    this.generationCounter += 1;
    return this.currentFaults;
  }

  resetFaults(): FaultSettings {
    this.currentFaults = applyFaultChange(NO_FAULTS, {});
    this.generationCounter += 1;
    return this.currentFaults;
  }

  private index(cluster: FleetCluster) {
    this.byKey.set(
      `${cluster.accountId}/${cluster.region}/${cluster.name}`,
      cluster,
    );
    const key = `${cluster.accountId}/${cluster.region}`;
    const list = this.byAccountRegion.get(key) ?? [];
    list.push(cluster);
    this.byAccountRegion.set(key, list);
  }
}
