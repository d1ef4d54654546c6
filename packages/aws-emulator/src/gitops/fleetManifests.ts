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

import YAML from 'yaml';

/**
 * What the fleet repository asks of one cluster: its folder (the layout the
 * cluster template writes, `clusters/<account>/<region>/<cluster>/`), and the
 * versions of its ACK `Cluster`, `Addon` and `Nodegroup` manifests.
 */
export interface DesiredCluster {
  /** The application's name, as Argo CD would list it. */
  app: string;
  folder: string;
  accountId: string;
  region: string;
  clusterName: string;
  version?: string;
  addons: Array<{ name: string; version?: string }>;
  nodegroups: Array<{
    name: string;
    version?: string;
    releaseVersion?: string;
  }>;
  /**
   * The Karpenter EC2NodeClasses of its karpenter/ folder, with the AMI
   * alias each selects (e.g. al2023@v20241011); absent: it selects none.
   */
  nodeClasses: Array<{ name: string; amiAlias?: string }>;
}

/** A folder whose manifests do not read: Argo CD's ComparisonError. */
export interface ManifestError {
  app: string;
  folder: string;
  message: string;
}

const FOLDER = /^clusters\/(\d{12})\/([a-z]{2}(?:-[a-z]+)+-\d)\/([^/]+)\//;
const ACK_GROUP = 'eks.services.k8s.aws/';
const KARPENTER_GROUP = 'karpenter.k8s.aws/';

/** Argo CD's application name for a cluster folder. */
export function applicationName(
  accountId: string,
  region: string,
  clusterName: string,
): string {
  return `${clusterName
    .toLowerCase()
    .replace(/_/g, '-')}-${region}-${accountId}`;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/**
 * Reads the ACK manifests of every cluster folder among the files of one
 * revision. A folder whose YAML does not parse, or whose `Cluster` has no
 * `spec.name`, is an error of its own; the other folders still read.
 */
export function readDesiredClusters(
  files: Array<{ path: string; content: string }>,
): { clusters: DesiredCluster[]; errors: ManifestError[] } {
  const byFolder = new Map<
    string,
    {
      match: RegExpExecArray;
      documents: Array<{ path: string; doc: any }>;
      /** Whether the folder has control-plane files (not only Karpenter's). */
      controlPlane?: boolean;
    }
  >();
  const errors = new Map<string, ManifestError>();
  for (const file of files) {
    const match = FOLDER.exec(file.path);
    if (
      !match ||
      !/\/(control-plane|karpenter)\/[^/]+\.ya?ml$/.test(file.path) ||
      file.path.endsWith('/kustomization.yaml')
    ) {
      continue;
    }
    const folder = match[0].slice(0, -1);
    const entry = byFolder.get(folder) ?? { match, documents: [] };
    entry.controlPlane ||= file.path.includes('/control-plane/');
    byFolder.set(folder, entry);
    for (const doc of YAML.parseAllDocuments(file.content)) {
      if (doc.errors.length > 0) {
        errors.set(folder, {
          app: applicationName(match[1], match[2], match[3]),
          folder,
          message: `${file.path}: ${doc.errors[0].message}`,
        });
        continue;
      }
      entry.documents.push({ path: file.path, doc: doc.toJS() });
    }
  }
  const clusters: DesiredCluster[] = [];
  for (const [folder, { match, documents, controlPlane }] of byFolder) {
    const [, folderAccount, folderRegion, folderCluster] = match;
    const app = applicationName(folderAccount, folderRegion, folderCluster);
    if (errors.has(folder) || !controlPlane) continue;
    const ack = documents.filter(
      d =>
        typeof d.doc?.apiVersion === 'string' &&
        d.doc.apiVersion.startsWith(ACK_GROUP),
    );
    const clusterDocs = ack.filter(d => d.doc.kind === 'Cluster');
    if (clusterDocs.length !== 1) {
      errors.set(folder, {
        app,
        folder,
        message: `${folder}: ${clusterDocs.length} ACK Cluster manifests (one expected)`,
      });
      continue;
    }
    const cluster = clusterDocs[0].doc;
    const spec = record(cluster.spec);
    const annotations = record(record(cluster.metadata).annotations);
    const clusterName = text(spec.name);
    if (!clusterName) {
      errors.set(folder, {
        app,
        folder,
        message: `${clusterDocs[0].path}: the Cluster has no spec.name`,
      });
      continue;
    }
    const version =
      spec.version === undefined ? undefined : text(String(spec.version));
    clusters.push({
      app,
      folder,
      accountId:
        text(annotations['services.k8s.aws/owner-account-id']) ?? folderAccount,
      region: text(annotations['services.k8s.aws/region']) ?? folderRegion,
      clusterName,
      version,
      addons: ack
        .filter(d => d.doc.kind === 'Addon' && text(record(d.doc.spec).name))
        .map(d => ({
          name: text(record(d.doc.spec).name)!,
          version: text(record(d.doc.spec).addonVersion),
        })),
      nodegroups: ack
        .filter(
          d => d.doc.kind === 'Nodegroup' && text(record(d.doc.spec).name),
        )
        .map(d => {
          const v = record(d.doc.spec).version;
          const release = text(record(d.doc.spec).releaseVersion);
          return {
            name: text(record(d.doc.spec).name)!,
            version: v === undefined ? undefined : text(String(v)),
            ...(release ? { releaseVersion: release } : {}),
          };
        }),
      nodeClasses: documents
        .filter(
          d =>
            d.path.includes('/karpenter/') &&
            typeof d.doc?.apiVersion === 'string' &&
            d.doc.apiVersion.startsWith(KARPENTER_GROUP) &&
            d.doc.kind === 'EC2NodeClass',
        )
        .map(d => {
          const terms = record(d.doc.spec).amiSelectorTerms;
          const aliases = Array.isArray(terms)
            ? terms.flatMap(t => {
                const alias = text(record(t).alias);
                return alias ? [alias] : [];
              })
            : [];
          return {
            name: text(record(d.doc.metadata).name) ?? 'unnamed',
            ...(aliases.length === 1 ? { amiAlias: aliases[0] } : {}),
          };
        }),
    });
  }
  return { clusters, errors: [...errors.values()] };
}
