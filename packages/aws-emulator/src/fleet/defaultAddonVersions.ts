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

import { kubernetesMinorsBetween } from './kubernetesMinor';
import { FleetAddonVersion } from './types';

type VersionRow = readonly [
  addonVersion: string,
  firstCompatible: string,
  lastCompatible: string,
  defaultFor: readonly string[],
];

function addon(
  addonName: string,
  type: string,
  rows: readonly VersionRow[],
  owner = 'aws',
): FleetAddonVersion {
  return {
    addonName,
    type,
    publisher: 'eks',
    owner,
    // DescribeAddonVersions lists the newest first.
    versions: [...rows].reverse().map(([addonVersion, first, last, def]) => ({
      addonVersion,
      compatibleKubernetesVersions: kubernetesMinorsBetween(first, last),
      defaultFor: [...def],
    })),
  };
}

/** One kube-proxy build per minor, usable one minor ahead (skew policy). */
const KUBE_PROXY_BUILDS: ReadonlyArray<readonly [string, string]> = [
  ['1.28', 'v1.28.15-eksbuild.4'],
  ['1.29', 'v1.29.15-eksbuild.3'],
  ['1.30', 'v1.30.14-eksbuild.5'],
  ['1.31', 'v1.31.14-eksbuild.2'],
  ['1.32', 'v1.32.13-eksbuild.3'],
  ['1.33', 'v1.33.10-eksbuild.2'],
  ['1.34', 'v1.34.6-eksbuild.1'],
  ['1.35', 'v1.35.4-eksbuild.1'],
  ['1.36', 'v1.36.1-eksbuild.1'],
];

/**
 * The add-on catalog DescribeAddonVersions answers from, for the minors of
 * the default calendar (1.28 to 1.36). Version strings follow EKS's
 * "vX.Y.Z-eksbuild.N" form; compatibility ranges and defaults follow how
 * EKS moves them: every minor has exactly one default per add-on, and that
 * default also supports the next minor, so a cluster on defaults passes the
 * add-on compatibility upgrade check. Older builds stop at some minor, which
 * is what makes "Amazon EKS add-on version compatibility" fail when a
 * cluster keeps one.
 *
 * A fleet file may override or extend any add-on (see fleetFile.ts).
 */
export const DEFAULT_ADDON_VERSIONS: readonly FleetAddonVersion[] = [
  addon('vpc-cni', 'networking', [
    ['v1.18.6-eksbuild.1', '1.25', '1.31', ['1.28']],
    ['v1.19.2-eksbuild.1', '1.25', '1.32', ['1.29', '1.30']],
    ['v1.19.5-eksbuild.3', '1.25', '1.33', ['1.31']],
    ['v1.20.1-eksbuild.3', '1.27', '1.34', ['1.32', '1.33']],
    ['v1.20.4-eksbuild.2', '1.28', '1.36', ['1.34']],
    ['v1.21.1-eksbuild.1', '1.29', '1.36', ['1.35', '1.36']],
  ]),
  addon('coredns', 'networking', [
    ['v1.10.1-eksbuild.18', '1.25', '1.29', ['1.28']],
    ['v1.11.1-eksbuild.16', '1.29', '1.31', ['1.29', '1.30']],
    ['v1.11.3-eksbuild.2', '1.29', '1.32', ['1.31']],
    ['v1.11.4-eksbuild.14', '1.29', '1.33', ['1.32']],
    ['v1.12.1-eksbuild.2', '1.32', '1.35', ['1.33', '1.34']],
    ['v1.12.4-eksbuild.1', '1.33', '1.36', ['1.35', '1.36']],
  ]),
  addon(
    'kube-proxy',
    'networking',
    KUBE_PROXY_BUILDS.map(([minor, build], i) => {
      const next =
        i + 1 < KUBE_PROXY_BUILDS.length ? KUBE_PROXY_BUILDS[i + 1][0] : minor;
      return [build, minor, next, [minor]] as const;
    }),
  ),
  addon('eks-pod-identity-agent', 'security', [
    ['v1.3.4-eksbuild.1', '1.24', '1.32', ['1.28', '1.29', '1.30', '1.31']],
    ['v1.3.8-eksbuild.2', '1.25', '1.35', ['1.32', '1.33', '1.34']],
    ['v1.3.10-eksbuild.1', '1.28', '1.36', ['1.35', '1.36']],
  ]),
  addon('aws-ebs-csi-driver', 'storage', [
    ['v1.35.0-eksbuild.2', '1.25', '1.31', ['1.28', '1.29', '1.30']],
    ['v1.40.1-eksbuild.1', '1.26', '1.33', ['1.31', '1.32']],
    ['v1.45.0-eksbuild.2', '1.28', '1.35', ['1.33', '1.34']],
    ['v1.51.1-eksbuild.1', '1.29', '1.36', ['1.35', '1.36']],
  ]),
  addon('aws-efs-csi-driver', 'storage', [
    ['v2.0.7-eksbuild.1', '1.24', '1.31', ['1.28', '1.29', '1.30']],
    ['v2.1.4-eksbuild.1', '1.25', '1.33', ['1.31', '1.32']],
    ['v2.1.9-eksbuild.1', '1.28', '1.36', ['1.33', '1.34', '1.35', '1.36']],
  ]),
  addon('snapshot-controller', 'storage', [
    ['v8.0.0-eksbuild.1', '1.25', '1.32', ['1.28', '1.29', '1.30', '1.31']],
    [
      'v8.2.0-eksbuild.1',
      '1.27',
      '1.36',
      ['1.32', '1.33', '1.34', '1.35', '1.36'],
    ],
  ]),
  addon('adot', 'observability', [
    ['v0.102.1-eksbuild.2', '1.24', '1.31', ['1.28', '1.29', '1.30']],
    ['v0.117.0-eksbuild.1', '1.27', '1.33', ['1.31', '1.32']],
    ['v0.131.0-eksbuild.1', '1.29', '1.36', ['1.33', '1.34', '1.35', '1.36']],
  ]),
  addon('amazon-cloudwatch-observability', 'observability', [
    ['v2.6.0-eksbuild.1', '1.24', '1.31', ['1.28', '1.29', '1.30']],
    ['v3.7.0-eksbuild.1', '1.25', '1.34', ['1.31', '1.32', '1.33']],
    ['v4.4.0-eksbuild.1', '1.28', '1.36', ['1.34', '1.35', '1.36']],
  ]),
  addon(
    'metrics-server',
    'observability',
    [
      [
        'v0.7.2-eksbuild.3',
        '1.28',
        '1.34',
        ['1.28', '1.29', '1.30', '1.31', '1.32', '1.33'],
      ],
      ['v0.8.0-eksbuild.2', '1.29', '1.36', ['1.34', '1.35', '1.36']],
    ],
    'community',
  ),
  addon('aws-guardduty-agent', 'security', [
    [
      'v1.8.1-eksbuild.2',
      '1.28',
      '1.33',
      ['1.28', '1.29', '1.30', '1.31', '1.32'],
    ],
    ['v1.10.0-eksbuild.2', '1.29', '1.36', ['1.33', '1.34', '1.35', '1.36']],
  ]),
];
