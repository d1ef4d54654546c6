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

/* eslint-disable no-console */

/**
 * The blast-radius graph's readability at fit: for radii of 1 to 500 hits
 * of random shapes (workloads at depths 1 to 3, their teams and systems,
 * downstream clusters), the graph the view draws (every hit up to 60,
 * groups beyond), laid out by ELK as in the browser for the canvas a
 * 1600x1200 screen gives it, and the size its labels are drawn at when the
 * graph is fit to that canvas.
 *
 *   yarn bench:blast-radius-graph [samples=30] [canvas=1320x860]
 *
 * Target: every node's label (its name, 15 px) at least 11 px high at fit
 * up to 60 hits; the sublabel (kind, environment, 13 px) is printed too. The canvas default is what the page measures at
 * 1600x1200 (test/e2e/blast-radius-graph.test.ts prints it). Exits
 * non-zero when a target is missed.
 */

import {
  BlastRadiusEdge,
  BlastRadiusNode,
  BlastRadiusReport,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { performance } from 'node:perf_hooks';
import {
  buildBlastRadiusGraph,
  DEFAULT_GRAPH_OPTIONS,
} from '../../plugins/eks-fleet/src/components/BlastRadius/blastRadiusGraph';
import { layoutBlastRadiusGraph } from '../../plugins/eks-fleet/src/components/BlastRadius/blastRadiusLayout';

const samples = Number(process.argv[2] ?? 30);
const [canvasWidth, canvasHeight] = (process.argv[3] ?? '1320x860')
  .split('x')
  .map(Number);
const LABEL_PX = 15;
const SUBLABEL_PX = 13;

/** A deterministic random stream. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ORIGIN = 'resource:default/origin-cluster';

function node(
  entityRef: string,
  role: BlastRadiusNode['role'],
  depth: number,
  production: boolean,
): BlastRadiusNode {
  const [kind, rest] = entityRef.split(':');
  const name = rest.split('/')[1];
  return {
    entityRef,
    kind,
    namespace: 'default',
    name,
    role,
    depth,
    production,
    lifecycle: role === 'workload' ? 'production' : undefined,
    paths: [],
    pathCount: 1,
  };
}

/** A radius of `hits` entities, shaped at random as real ones are. */
function randomReport(hits: number, seed: number): BlastRadiusReport {
  const rand = random(seed);
  const nodes: BlastRadiusNode[] = [];
  const edges: BlastRadiusEdge[] = [];
  const teams = Math.max(1, Math.round(hits * (0.05 + rand() * 0.15)));
  const systems = Math.max(0, Math.round(hits * rand() * 0.15));
  const clusters = Math.max(0, Math.round(hits * rand() * 0.3));
  const workloads = Math.max(1, hits - teams - systems - clusters);
  const byDepth: string[][] = [[ORIGIN], [], [], []];
  for (let i = 0; i < workloads; i++) {
    const depth = i === 0 ? 1 : 1 + Math.floor(rand() * 3);
    const parents =
      byDepth[depth - 1].length > 0 ? byDepth[depth - 1] : byDepth[0];
    const d = parents === byDepth[0] ? 1 : depth;
    const ref = `component:default/workload-${seed}-${i}-a-longer-service-name`;
    byDepth[d].push(ref);
    nodes.push(node(ref, 'workload', d, rand() < 0.5));
    edges.push({
      from: parents[Math.floor(rand() * parents.length)],
      to: ref,
      relation: 'dependencyOf',
    });
  }
  const all = byDepth.slice(1).flat();
  const pick = () => all[Math.floor(rand() * all.length)];
  for (let i = 0; i < teams; i++) {
    const ref = `group:default/team-${i}`;
    nodes.push(node(ref, 'team', 2, true));
    edges.push({ from: pick(), to: ref, relation: 'ownedBy' });
  }
  for (let i = 0; i < systems; i++) {
    const ref = `system:default/system-${i}`;
    nodes.push(node(ref, 'system', 2, true));
    edges.push({ from: pick(), to: ref, relation: 'partOf' });
  }
  for (let i = 0; i < clusters; i++) {
    const ref = `resource:default/cluster-${i}`;
    nodes.push(node(ref, 'cluster', 3, rand() < 0.5));
    edges.push({ from: pick(), to: ref, relation: 'hostedOn' });
  }
  return {
    origin: node(ORIGIN, 'cluster', 0, true),
    depth: 3,
    nodes,
    edges,
    counts: {
      workloads,
      directWorkloads: byDepth[1].length,
      productionWorkloads: 0,
      teams,
      systems,
      downstreamClusters: clusters,
      productionClusters: 0,
      workloadsByDepth: byDepth.slice(1).map(d => d.length),
    },
    missing: [],
    beyondDepth: 0,
    catalogQueries: 0,
  };
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

async function main() {
  console.log(
    `blast-radius graph at fit on a ${canvasWidth}x${canvasHeight} canvas, ${samples} random radii per size`,
  );
  console.log(
    '| hits | drawn nodes (max) | smallest label px | smallest sublabel px | median sublabel px | layout ms (median) |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  let missed = false;
  for (const hits of [1, 5, 10, 20, 30, 40, 50, 60, 100, 500]) {
    const sublabels: number[] = [];
    const labels: number[] = [];
    const times: number[] = [];
    let drawn = 0;
    for (let s = 0; s < samples; s++) {
      const report = randomReport(hits, hits * 1000 + s);
      const graph = buildBlastRadiusGraph(report, {
        ...DEFAULT_GRAPH_OPTIONS,
        expanded: new Set(),
      });
      drawn = Math.max(drawn, graph.nodes.length);
      const started = performance.now();
      const layout = await layoutBlastRadiusGraph(graph, {
        aspectRatio: canvasWidth / canvasHeight,
      });
      times.push(performance.now() - started);
      // React Flow's fit: the whole graph in the canvas (3% padding), at most zoom 2.
      const scale = Math.min(
        2,
        (canvasWidth * 0.94) / layout.width,
        (canvasHeight * 0.94) / layout.height,
      );
      labels.push(LABEL_PX * scale);
      sublabels.push(SUBLABEL_PX * scale);
    }
    const smallest = Math.min(...sublabels);
    if (hits <= 60 && Math.min(...labels) < 11) {
      missed = true;
    }
    console.log(
      `| ${hits} | ${drawn} | ${Math.min(...labels).toFixed(
        1,
      )} | ${smallest.toFixed(1)} | ${quantile(sublabels, 0.5).toFixed(
        1,
      )} | ${quantile(times, 0.5).toFixed(0)} |`,
    );
  }
  if (missed) {
    console.log('A radius of 60 hits or fewer drew a label under 11 px.');
    process.exitCode = 1;
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
