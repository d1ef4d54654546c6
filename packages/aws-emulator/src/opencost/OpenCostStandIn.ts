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
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { Fleet } from '../fleet/types';
import {
  clusterArnOf,
  clusterDayCost,
  NamespaceDayCost,
  StandInWorkload,
} from './clusterAllocation';

const DAY = 86_400_000;
const rfc3339 = (time: number) =>
  new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** What the stand-in can be told to do wrong (PUT /_opencost/faults). */
export interface OpenCostFaults {
  /** Clusters (names) whose API answers 503; "*" for every one. */
  down: string[];
  /** Milliseconds added to every allocation answer. */
  latencyMs: number;
}

export interface OpenCostStandInOptions {
  fleet: Fleet;
  workloads: StandInWorkload[];
  port?: number;
  host?: string;
  /** The stand-in's clock; days after it have no cost yet. */
  now?: () => Date;
}

export interface RunningOpenCostStandIn {
  url: string;
  /** The base URL of one cluster's API, as a cluster's opencost-url would be. */
  clusterUrl(accountId: string, region: string, clusterName: string): string;
  setFaults(faults: Partial<OpenCostFaults>): void;
  stop(): Promise<void>;
}

class BadRequest extends Error {}

/** window= as OpenCost reads it: "Nd", "Nh", or "start,end" in RFC 3339. */
function parseWindow(value: string | null, now: number): [number, number] {
  if (!value) {
    throw new BadRequest('window is required');
  }
  const relative = /^(\d+)([dh])$/.exec(value);
  if (relative) {
    const n = Number(relative[1]);
    const end = relative[2] === 'd' ? Math.floor(now / DAY) * DAY + DAY : now;
    return [end - n * (relative[2] === 'd' ? DAY : 3_600_000), end];
  }
  const [start, end] = value.split(',').map(v => Date.parse(v));
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) {
    throw new BadRequest(`invalid window: ${value}`);
  }
  return [start, end];
}

function allocation(
  name: string,
  properties: Record<string, unknown>,
  start: number,
  end: number,
  cost: Pick<NamespaceDayCost, 'cpu' | 'ram' | 'pv' | 'network'>,
) {
  const totalCost = cost.cpu + cost.ram + cost.pv + cost.network;
  return {
    name,
    properties,
    window: { start: rfc3339(start), end: rfc3339(end) },
    start: rfc3339(start),
    end: rfc3339(end),
    minutes: (end - start) / 60_000,
    cpuCost: cost.cpu,
    gpuCost: 0,
    ramCost: cost.ram,
    pvCost: cost.pv,
    networkCost: cost.network,
    loadBalancerCost: 0,
    sharedCost: 0,
    externalCost: 0,
    totalCost,
  };
}

/**
 * A stand-in for OpenCost's allocation API (GET /allocation/compute, and
 * Kubecost's /model/allocation) of every cluster of a fleet, one per path:
 * /clusters/<account>/<region>/<cluster>/allocation/compute. Costs come
 * from the clusters' node groups, split over the namespaces of the
 * workloads placed on them, with the rest idle; aggregate by cluster,
 * namespace or label:team, day by day (step=1d) or for the window.
 */
export async function startOpenCostStandIn(
  options: OpenCostStandInOptions,
): Promise<RunningOpenCostStandIn> {
  const now = options.now ?? (() => new Date());
  const faults: OpenCostFaults = { down: [], latencyMs: 0 };
  const clusters = new Map(
    options.fleet.clusters
      .filter(c => !c.deleted)
      .map(c => [`${c.accountId}/${c.region}/${c.name}`, c]),
  );

  function answer(url: URL) {
    const match =
      /^\/clusters\/(\d{12})\/([a-z0-9-]+)\/([^/]+)\/(?:allocation\/compute|allocation|model\/allocation)$/.exec(
        url.pathname,
      );
    if (!match) {
      return { status: 404, body: { code: 404, message: 'Not found' } };
    }
    const cluster = clusters.get(`${match[1]}/${match[2]}/${match[3]}`);
    if (!cluster) {
      return {
        status: 404,
        body: { code: 404, message: `no cluster ${match[3]}` },
      };
    }
    if (faults.down.includes('*') || faults.down.includes(cluster.name)) {
      return {
        status: 503,
        body: { code: 503, message: 'OpenCost is not ready' },
      };
    }
    const params = url.searchParams;
    const [start, end] = parseWindow(params.get('window'), now().getTime());
    const aggregate = params.get('aggregate') ?? 'cluster';
    if (
      !['cluster', 'namespace'].includes(aggregate) &&
      !/^label:[A-Za-z0-9_.\/-]+$/.test(aggregate)
    ) {
      throw new BadRequest(`unsupported aggregate: ${aggregate}`);
    }
    const step = params.get('step');
    if (step && step !== '1d' && step !== '24h') {
      throw new BadRequest(`unsupported step: ${step}`);
    }
    const includeIdle = params.get('includeIdle') !== 'false';
    const label = aggregate.startsWith('label:')
      ? aggregate.slice('label:'.length)
      : undefined;
    const dayEnd = Math.min(end, Math.floor(now().getTime() / DAY) * DAY + DAY);
    const sets: Array<Record<string, ReturnType<typeof allocation>>> = [];
    let set: Record<string, ReturnType<typeof allocation>> = {};
    const add = (
      name: string,
      props: Record<string, unknown>,
      from: number,
      to: number,
      cost: Pick<NamespaceDayCost, 'cpu' | 'ram' | 'pv' | 'network'>,
    ) => {
      const before = set[name];
      set[name] = before
        ? allocation(
            name,
            props,
            Math.min(from, Date.parse(before.start)),
            to,
            {
              cpu: before.cpuCost + cost.cpu,
              ram: before.ramCost + cost.ram,
              pv: before.pvCost + cost.pv,
              network: before.networkCost + cost.network,
            },
          )
        : allocation(name, props, from, to, cost);
    };
    for (let day = Math.floor(start / DAY) * DAY; day < dayEnd; day += DAY) {
      const from = Math.max(day, start);
      const to = Math.min(day + DAY, end);
      const { namespaces, idle } = clusterDayCost(
        cluster,
        options.workloads,
        day,
        options.fleet.seed,
      );
      for (const ns of namespaces) {
        const labels = ns.team ? { team: ns.team } : {};
        let name: string;
        if (aggregate === 'cluster') {
          name = cluster.name;
        } else if (aggregate === 'namespace') {
          name = ns.namespace;
        } else {
          const value = (labels as Record<string, string>)[label!];
          name = value ? `${label}=${value}` : '__unallocated__';
        }
        add(
          name,
          { cluster: cluster.name, namespace: ns.namespace, labels },
          from,
          to,
          ns,
        );
      }
      if (includeIdle) {
        add('__idle__', { cluster: cluster.name }, from, to, {
          ...idle,
          pv: 0,
          network: 0,
        });
      }
      if (step) {
        sets.push(set);
        set = {};
      }
    }
    if (!step) {
      sets.push(set);
    }
    return { status: 200, body: { code: 200, data: sets } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://standin');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/_opencost/health') {
      send(200, { status: 'ok', clusters: clusters.size });
      return;
    }
    if (url.pathname === '/_opencost/faults' && req.method === 'PUT') {
      let text = '';
      for await (const chunk of req) {
        text += chunk;
      }
      try {
        const change = JSON.parse(text) as Partial<OpenCostFaults>;
        if (change.down !== undefined) faults.down = [...change.down];
        if (change.latencyMs !== undefined) faults.latencyMs = change.latencyMs;
        send(200, faults);
      } catch {
        send(400, {
          message: 'expected JSON: {"down": [...], "latencyMs": n}',
        });
      }
      return;
    }
    if (req.method !== 'GET') {
      send(405, { code: 405, message: 'GET only' });
      return;
    }
    if (faults.latencyMs > 0) {
      await new Promise(r => setTimeout(r, faults.latencyMs));
    }
    try {
      const { status, body } = answer(url);
      send(status, body);
    } catch (error) {
      if (error instanceof BadRequest) {
        send(400, { code: 400, message: error.message });
      } else {
        send(500, { code: 500, message: String(error) });
      }
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(error => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    url,
    clusterUrl: (accountId, region, clusterName) =>
      `${url}/clusters/${accountId}/${region}/${encodeURIComponent(
        clusterName,
      )}`,
    setFaults(change) {
      if (change.down) faults.down = [...change.down];
      if (change.latencyMs !== undefined) faults.latencyMs = change.latencyMs;
    },
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export { clusterArnOf };
