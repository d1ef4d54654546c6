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

import { FleetFinding } from './types';

export interface KyvernoPolicy {
  /** The rule a finding names when the fleet does not say. */
  rule: string;
  severity: FleetFinding['severity'];
  title: string;
  /** The policy's own violation message. */
  description: string;
}

/**
 * Policies from the Kyverno policy library (pod-security and best-practices)
 * whose violations a Kyverno-to-Security-Hub bridge reports as findings. A
 * fleet names a policy and a resource; title, rule, severity and
 * description come from here unless the fleet overrides them.
 */
export const KYVERNO_POLICY_CATALOG: Readonly<Record<string, KyvernoPolicy>> = {
  'disallow-privileged-containers': {
    rule: 'privileged-containers',
    severity: 'HIGH',
    title: 'Disallow Privileged Containers',
    description:
      'Privileged mode is disallowed. The fields spec.containers[*].securityContext.privileged and spec.initContainers[*].securityContext.privileged must be unset or set to `false`.',
  },
  'require-requests-limits': {
    rule: 'validate-resources',
    severity: 'MEDIUM',
    title: 'Require Limits and Requests',
    description:
      'CPU and memory resource requests and memory limits are required for containers.',
  },
  'disallow-latest-tag': {
    rule: 'validate-image-tag',
    severity: 'MEDIUM',
    title: 'Disallow Latest Tag',
    description: "Using a mutable image tag e.g. 'latest' is not allowed.",
  },
  'restrict-image-registries': {
    rule: 'validate-registries',
    severity: 'MEDIUM',
    title: 'Restrict Image Registries',
    description:
      'Unknown image registry. Images may only come from the organization ECR registries.',
  },
  'disallow-host-path': {
    rule: 'host-path',
    severity: 'HIGH',
    title: 'Disallow hostPath',
    description:
      'HostPath volumes are forbidden. The field spec.volumes[*].hostPath must be unset.',
  },
  'require-run-as-nonroot': {
    rule: 'run-as-non-root',
    severity: 'MEDIUM',
    title: 'Require runAsNonRoot',
    description:
      'Running as root is not allowed. Either the field spec.securityContext.runAsNonRoot must be set to `true`, or the fields spec.containers[*].securityContext.runAsNonRoot must be set to `true`.',
  },
  'disallow-capabilities': {
    rule: 'adding-capabilities',
    severity: 'MEDIUM',
    title: 'Disallow Capabilities',
    description:
      'Any capabilities added beyond the allowed list (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT) are disallowed.',
  },
  'require-pod-probes': {
    rule: 'validate-probes',
    severity: 'LOW',
    title: 'Require Pod Probes',
    description:
      'Liveness, readiness, or startup probes are required for all containers.',
  },
  // Best practices that break upgrades: node drains stall or take the
  // workload down with the node.
  'pdb-maxunavailable': {
    rule: 'pdb-maxunavailable',
    severity: 'MEDIUM',
    title: 'PodDisruptionBudget maxUnavailable Non-Zero',
    description: 'The value of maxUnavailable must be greater than zero.',
  },
  'deployment-has-multiple-replicas': {
    rule: 'deployment-has-multiple-replicas',
    severity: 'MEDIUM',
    title: 'Require Multiple Replicas',
    description:
      'Deployments should have more than one replica to ensure availability.',
  },
};
