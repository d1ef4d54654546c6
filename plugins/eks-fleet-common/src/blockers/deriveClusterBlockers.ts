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

import { ClusterUpgradeBlocker, UpgradeBlockerPolicy } from './types';

/**
 * Kyverno best-practice policies whose findings break upgrades: a
 * PodDisruptionBudget that allows no disruption blocks node drains, a single
 * replica goes down with its node, a pod without probes takes traffic before
 * it is ready on the new nodes.
 *
 * @public
 */
export const DEFAULT_UPGRADE_BLOCKER_POLICIES: readonly UpgradeBlockerPolicy[] =
  [
    {
      policy: 'pdb-maxunavailable',
      title: 'PodDisruptionBudget allows no disruption',
      action:
        'Set maxUnavailable to 1 or more (or lower minAvailable below the replicas), so node drains can evict a pod.',
      docsUrl:
        'https://kyverno.io/policies/other/pdb-maxunavailable/pdb-maxunavailable/',
    },
    {
      policy: 'deployment-has-multiple-replicas',
      title: 'Single-replica Deployment',
      action:
        'Run at least 2 replicas, so the workload stays up while its node is replaced.',
      docsUrl:
        'https://kyverno.io/policies/other/require-deployments-have-multiple-replicas/require-deployments-have-multiple-replicas/',
    },
    {
      policy: 'require-pod-probes',
      title: 'Containers without readiness probes',
      action:
        'Add readiness (and liveness) probes, so pods moved to new nodes take traffic only when ready.',
      docsUrl:
        'https://kyverno.io/policies/best-practices/require-probes/require-probes/',
    },
  ];

/** What the derivation reads of a cluster; anything else is ignored. */
export interface ClusterBlockerInputs {
  clusterRef: string;
  /** The minor the cluster goes to next, when known. */
  targetVersion?: string;
  /** Upgrade insights as the EKS reader returns them (EksUpgradeInsight[]). */
  insights?: unknown;
  /** Findings as a findings provider returns them (FindingsReport.findings). */
  findings?: unknown;
  /** Add-ons as the Versions card has them (VersionsReport.addons). */
  addons?: unknown;
  policies?: readonly UpgradeBlockerPolicy[];
}

type Loose = Record<string, unknown>;

const record = (value: unknown): Loose | undefined =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Loose)
    : undefined;
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? Math.floor(value)
    : undefined;

/** A short stable id: the same subject on the same cluster, the same id. */
export function blockerId(parts: string[]): string {
  // FNV-1a, twice with different offsets: 16 hex characters, no crypto
  // module needed in the browser.
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (const ch of parts.join('\u0000')) {
    const code = ch.codePointAt(0)!;
    a = Math.imul(a ^ code, 0x01000193) >>> 0;
    b = Math.imul(b ^ code, 0x01000193 + 2) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

function insightBlockers(input: ClusterBlockerInputs): ClusterUpgradeBlocker[] {
  const out: ClusterUpgradeBlocker[] = [];
  for (const raw of list(input.insights)) {
    const insight = record(raw);
    const status = text(insight?.status);
    if (!insight || !status || status === 'PASSING') {
      continue;
    }
    const targetVersion =
      text(insight.kubernetesVersion) ?? input.targetVersion;
    for (const rawDetail of list(insight.deprecations)) {
      const detail = record(rawDetail);
      const usage = text(detail?.usage);
      if (!detail || !usage) {
        continue;
      }
      const replacement = text(detail.replacedWith);
      const clients = list(detail.clientStats)
        .map(record)
        .filter((c): c is Loose => Boolean(c && text(c.userAgent)));
      // A removed API nobody is known to call is still the cluster's to fix.
      for (const client of clients.length > 0 ? clients : [undefined]) {
        const userAgent = client ? text(client.userAgent) : undefined;
        const requests = client
          ? count(
              client.requestsLast30Days ?? client.numberOfRequestsLast30Days,
            )
          : undefined;
        out.push({
          id: blockerId([
            'eks-insight',
            input.clusterRef,
            usage,
            userAgent ?? '',
          ]),
          source: 'eks-insight',
          clusterRef: input.clusterRef,
          ...(targetVersion ? { targetVersion } : {}),
          title: `Calls ${usage}, removed in Kubernetes ${
            text(detail.stopServingVersion) ??
            targetVersion ??
            'the next version'
          }`,
          detail: `${userAgent ?? 'An unknown client'} called it ${
            requests ?? 'an unknown number of'
          } times in the last 30 days.`,
          action: replacement
            ? `Move the client to ${replacement}.`
            : 'Move the client off this API before the upgrade.',
          docsUrl:
            'https://kubernetes.io/docs/reference/using-api/deprecation-guide/',
          removedApi: usage,
          ...(replacement ? { replacement } : {}),
          ...(userAgent ? { clientUserAgent: userAgent } : {}),
          ...(requests !== undefined ? { requestsLast30Days: requests } : {}),
        });
      }
    }
  }
  return out;
}

function findingBlockers(input: ClusterBlockerInputs): ClusterUpgradeBlocker[] {
  const policies = new Map(
    (input.policies ?? DEFAULT_UPGRADE_BLOCKER_POLICIES).map(p => [
      p.policy,
      p,
    ]),
  );
  const out: ClusterUpgradeBlocker[] = [];
  for (const raw of list(input.findings)) {
    const finding = record(raw);
    const policyName = text(finding?.policy);
    const policy = policyName ? policies.get(policyName) : undefined;
    const resource = record(finding?.resource);
    const name = text(resource?.name);
    if (!finding || !policy || !resource || !name) {
      continue;
    }
    const kind = text(resource.kind) ?? 'Unknown';
    const namespace = text(resource.namespace);
    out.push({
      id: blockerId([
        'kyverno',
        input.clusterRef,
        policy.policy,
        kind,
        namespace ?? '',
        name,
      ]),
      source: 'kyverno',
      clusterRef: input.clusterRef,
      ...(input.targetVersion ? { targetVersion: input.targetVersion } : {}),
      title: policy.title,
      detail: `${kind} ${namespace ? `${namespace}/` : ''}${name}: ${
        text(finding.title) ?? policy.policy
      }`,
      action: policy.action,
      ...(policy.docsUrl ? { docsUrl: policy.docsUrl } : {}),
      policy: policy.policy,
      resource: { kind, ...(namespace ? { namespace } : {}), name },
    });
  }
  return out;
}

function addonBlockers(input: ClusterBlockerInputs): ClusterUpgradeBlocker[] {
  const out: ClusterUpgradeBlocker[] = [];
  for (const raw of list(input.addons)) {
    const addon = record(raw);
    const name = text(addon?.name);
    if (!addon || !name || addon.compatibleWithNext !== false) {
      continue;
    }
    const version = text(addon.installedVersion) ?? text(addon.version);
    const next = text(addon.nextDefaultVersion);
    out.push({
      id: blockerId(['addon', input.clusterRef, name, version ?? '']),
      source: 'addon',
      clusterRef: input.clusterRef,
      ...(input.targetVersion ? { targetVersion: input.targetVersion } : {}),
      title: `Add-on ${name} ${version ?? ''} does not run on Kubernetes ${
        input.targetVersion ?? 'the next version'
      }`.replace(/\s+/g, ' '),
      detail: `EKS offers no ${name} ${version ?? ''} for ${
        input.targetVersion ?? 'the next version'
      }.`.replace(/\s+/g, ' '),
      action: next
        ? `Update ${name} to ${next} (EKS's default for the next version) before the control plane.`
        : `Update ${name} to a version EKS offers for the next version.`,
      docsUrl:
        'https://docs.aws.amazon.com/eks/latest/userguide/updating-an-add-on.html',
      addon: {
        name,
        ...(version ? { version } : {}),
        ...(next ? { nextDefaultVersion: next } : {}),
      },
    });
  }
  return out;
}

/**
 * A cluster's upgrade blockers from what its sources said: removed APIs
 * still called (one per API and client), findings of the upgrade-related
 * Kyverno policies, and add-ons with no version for the next minor. Items
 * that do not have the expected shape are skipped, one at a time; the rest
 * stand. The same problem gets the same id on every read.
 *
 * @public
 */
export function deriveClusterBlockers(
  input: ClusterBlockerInputs,
): ClusterUpgradeBlocker[] {
  const seen = new Set<string>();
  return [
    ...insightBlockers(input),
    ...findingBlockers(input),
    ...addonBlockers(input),
  ].filter(b => (seen.has(b.id) ? false : (seen.add(b.id), true)));
}
