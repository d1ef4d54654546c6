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

import yaml from 'yaml';
import { readNodePools } from './karpenterCapacity';

const FILE = 'clusters/1/r/c/karpenter/nodepools.yaml';

function nodePool(name: string, limits?: Record<string, unknown>) {
  return yaml.stringify({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name },
    spec: { ...(limits ? { limits } : {}) },
  });
}

describe('readNodePools', () => {
  it('reads the limits of every NodePool, skipping other kinds and files', () => {
    const content = [
      nodePool('general', { cpu: '16', memory: '64Gi' }),
      nodePool('capped', { cpu: '1500m', memory: '4Gi', pods: 20 }),
      yaml.stringify({
        apiVersion: 'karpenter.k8s.aws/v1',
        kind: 'EC2NodeClass',
        metadata: { name: 'default' },
      }),
    ].join('---\n');
    expect(
      readNodePools(
        [
          { path: FILE, content },
          { path: 'clusters/1/r/c/karpenter/README.md', content: '# [' },
        ],
        7,
      ),
    ).toEqual({
      nodePools: [
        {
          name: 'general',
          file: FILE,
          cpuMillis: 16_000,
          memoryBytes: 64 * 2 ** 30,
          pods: 112,
          podsEstimated: true,
        },
        {
          name: 'capped',
          file: FILE,
          cpuMillis: 1500,
          memoryBytes: 4 * 2 ** 30,
          pods: 20,
          podsEstimated: false,
        },
      ],
    });
  });

  it.each([
    [
      nodePool('a', { cpu: 'lots', memory: '1Gi' }),
      'NodePool a of clusters/1/r/c/karpenter/nodepools.yaml has spec.limits.cpu "lots", which is not a CPU quantity',
    ],
    [
      nodePool('a', { cpu: '4' }),
      'NodePool a of clusters/1/r/c/karpenter/nodepools.yaml has no spec.limits.memory, so what it may launch is unbounded',
    ],
    [
      nodePool('a', { cpu: '4', memory: '8Gi', pods: 2.5 }),
      'NodePool a of clusters/1/r/c/karpenter/nodepools.yaml has spec.limits.pods 2.5, which is not a whole number',
    ],
    [
      'apiVersion: karpenter.sh/v1\nkind: NodePool\nspec: {}\n',
      'NodePool #1 of clusters/1/r/c/karpenter/nodepools.yaml has no metadata.name',
    ],
    [
      'kind: NodePool\n  limits: [\n',
      /^clusters\/1\/r\/c\/karpenter\/nodepools.yaml is not valid YAML \(.+\)$/,
    ],
  ])('gives a reason for %j', (content, problem) => {
    const read = readNodePools([{ path: FILE, content }], 7);
    expect(read.nodePools).toEqual([]);
    expect(read.problem).toMatch(problem);
  });
});
