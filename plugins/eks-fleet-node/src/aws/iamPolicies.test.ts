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

import fs from 'node:fs';
import path from 'node:path';

/**
 * The IAM policies of docs/iam against the code: every AWS SDK command a
 * plugin sends (`new XxxCommand(` or `paginateXxx(`) must be granted by the
 * policy of the role that sends it, and every action a policy grants must be
 * sent by some code as that role. Who sends what is the table below: a
 * command in a file the table does not name fails the test, so a new call
 * cannot slip past the policies.
 */

const repoRoot = path.resolve(__dirname, '../../../..');
const iamDir = path.join(repoRoot, 'docs/iam');

type Role =
  | 'backend-identity'
  | 'config-reader'
  | 'eks-reader'
  | 'insights-reader'
  | 'upgrader';

const ROLES: Role[] = [
  'backend-identity',
  'config-reader',
  'eks-reader',
  'insights-reader',
  'upgrader',
];

/** IAM's service prefix of each AWS SDK v3 client package. */
const SERVICE_PREFIX: Record<string, string> = {
  'config-service': 'config',
  eks: 'eks',
  cloudwatch: 'cloudwatch',
  'cost-explorer': 'ce',
  securityhub: 'securityhub',
  ec2: 'ec2',
  ssm: 'ssm',
  sts: 'sts',
};

/**
 * Which role sends the commands of a file: `actions` narrows an entry to
 * some of the file's actions, where one file serves several roles.
 */
const SENDERS: Array<{ file: string; actions?: string[]; roles: Role[] }> = [
  // The catalog module's AWS Config reads, on the aggregator (management
  // or delegated administrator account) or one account's own Config.
  {
    file: 'plugins/eks-fleet-node/src/aws/configQuery.ts',
    roles: ['config-reader'],
  },
  {
    file: 'plugins/eks-fleet-node/src/aws/configInventory.ts',
    roles: ['config-reader'],
  },
  // What Config lacks, read from EKS in each cluster's account.
  {
    file: 'plugins/eks-fleet-node/src/aws/eksClusterDetails.ts',
    roles: ['eks-reader'],
  },
  {
    file: 'plugins/eks-fleet-node/src/aws/eksClusterHealth.ts',
    roles: ['eks-reader'],
  },
  {
    file: 'plugins/eks-fleet-node/src/aws/eks/eksClusterStates.ts',
    roles: ['eks-reader'],
  },
  // Supported versions: per cluster account for a cluster page, and the
  // backend's own identity for the scaffolder's cluster requests.
  {
    file: 'plugins/eks-fleet-node/src/aws/eksVersions.ts',
    actions: ['eks:DescribeClusterVersions', 'eks:DescribeAddonVersions'],
    roles: ['eks-reader', 'backend-identity'],
  },
  {
    file: 'plugins/eks-fleet-node/src/aws/eksVersions.ts',
    actions: ['eks:ListInsights', 'eks:DescribeInsight'],
    roles: ['eks-reader'],
  },
  {
    file: 'plugins/eks-fleet-node/src/insights/fleetSources.ts',
    actions: ['eks:ListInsights'],
    roles: ['eks-reader'],
  },
  {
    file: 'plugins/eks-fleet-node/src/insights/fleetSources.ts',
    actions: ['securityhub:GetFindings'],
    roles: ['insights-reader'],
  },
  // The one reader of Cost Explorer, for the cluster cards and the fleet.
  {
    file: 'plugins/eks-fleet-node/src/aws/costexplorer/costAndUsage.ts',
    roles: ['insights-reader'],
  },
  {
    file: 'plugins/eks-fleet-node/src/insights/awsProviders.ts',
    roles: ['insights-reader'],
  },
  // The rollout engine's eks-api executor and its alarm gate.
  {
    file: 'plugins/eks-fleet-node/src/aws/eks/EksRolloutExecutor.ts',
    roles: ['upgrader'],
  },
  // A node refresh's target: the AMI release EKS recommends, per minor.
  {
    file: 'plugins/eks-fleet-node/src/aws/eks/eksAmiReleases.ts',
    roles: ['upgrader'],
  },
  // A node refresh's Karpenter classes: the cluster's Kubernetes API
  // endpoint and CA, as the upgrader (whose EKS access entry may patch them).
  {
    file: 'plugins/eks-fleet-node/src/aws/eks/eksKubernetes.ts',
    roles: ['upgrader'],
  },
  {
    file: 'plugins/eks-fleet-node/src/aws/cloudwatch/CloudWatchAlarmGateSource.ts',
    roles: ['upgrader'],
  },
  // A cluster request's instance types, asked with the backend's identity.
  {
    file: 'plugins/eks-fleet-node/src/aws/ec2/ec2InstanceTypes.ts',
    roles: ['backend-identity'],
  },
];

interface SentCommand {
  file: string;
  action: string;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return ['__testUtils__', 'testing'].includes(entry.name)
        ? []
        : sourceFiles(full);
    }
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)
      ? [full]
      : [];
  });
}

/** The commands one source file sends, as IAM actions. */
function commandsOf(source: string): string[] {
  const serviceOf = new Map<string, string>();
  const imports = source.matchAll(
    /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([a-z0-9-]+)'/g,
  );
  for (const [, names, client] of imports) {
    for (const name of names.split(',')) {
      const local = name
        .trim()
        .split(/\s+as\s+/)
        .pop();
      if (local) serviceOf.set(local, SERVICE_PREFIX[client] ?? client);
    }
  }
  const actions = new Set<string>();
  // A command whose client the import scan missed shows up as unknown:…
  // and so fails the role check rather than passing unseen.
  const sdk = /@aws-sdk\/client-/.test(source);
  for (const [, name] of source.matchAll(/new ([A-Z][A-Za-z]+)Command\(/g)) {
    const service = serviceOf.get(`${name}Command`) ?? (sdk ? 'unknown' : '');
    if (service) actions.add(`${service}:${name}`);
  }
  for (const [, name] of source.matchAll(/\bpaginate([A-Z][A-Za-z]+)\(/g)) {
    const service = serviceOf.get(`paginate${name}`);
    if (service) actions.add(`${service}:${name}`);
  }
  return [...actions];
}

function sentCommands(): SentCommand[] {
  const pluginsDir = path.join(repoRoot, 'plugins');
  return fs
    .readdirSync(pluginsDir)
    .flatMap(plugin => {
      const src = path.join(pluginsDir, plugin, 'src');
      return fs.existsSync(src) ? sourceFiles(src) : [];
    })
    .flatMap(file =>
      commandsOf(fs.readFileSync(file, 'utf8')).map(action => ({
        file: path.relative(repoRoot, file),
        action,
      })),
    );
}

function rolesOf(command: SentCommand): Role[] {
  return SENDERS.filter(
    s =>
      s.file === command.file &&
      (!s.actions || s.actions.includes(command.action)),
  ).flatMap(s => s.roles);
}

function granted(role: Role): Set<string> {
  const policy = JSON.parse(
    fs.readFileSync(path.join(iamDir, `${role}.json`), 'utf8'),
  ) as { Statement: Array<{ Effect: string; Action: string | string[] }> };
  return new Set(
    policy.Statement.filter(s => s.Effect === 'Allow').flatMap(s =>
      Array.isArray(s.Action) ? s.Action : [s.Action],
    ),
  );
}

/**
 * The member-account roles are assumed through @backstage/integration-aws-node
 * (fromTemporaryCredentials: sts:AssumeRole), not by a plugin's own code.
 */
function integrationSendsAssumeRole(): boolean {
  const dist = path.dirname(
    require.resolve('@backstage/integration-aws-node/package.json', {
      paths: [__dirname],
    }),
  );
  const manager = fs.readFileSync(
    path.join(dist, 'dist/DefaultAwsCredentialsManager.cjs.js'),
    'utf8',
  );
  return manager.includes('fromTemporaryCredentials(');
}

describe('docs/iam policies', () => {
  const sent = sentCommands();

  it('finds the commands the plugins send', () => {
    // A scan that finds nothing would pass every check below.
    expect(sent.length).toBeGreaterThan(20);
    expect(sent).toContainEqual({
      file: 'plugins/eks-fleet-node/src/aws/ec2/ec2InstanceTypes.ts',
      action: 'ec2:DescribeInstanceTypes',
    });
    expect(sent).toContainEqual({
      file: 'plugins/eks-fleet-node/src/aws/configQuery.ts',
      action: 'config:SelectAggregateResourceConfig',
    });
  });

  it('names the role of every command a plugin sends', () => {
    const unassigned = sent.filter(c => rolesOf(c).length === 0);
    expect(unassigned).toEqual([]);
  });

  it.each(ROLES)('grants %s every action sent as that role', role => {
    const policy = granted(role);
    const missing = sent
      .filter(c => rolesOf(c).includes(role) && !policy.has(c.action))
      .map(c => `${c.action} (${c.file})`);
    expect(missing).toEqual([]);
  });

  it.each(ROLES)('grants %s no action that code does not send', role => {
    const sentAsRole = new Set(
      sent.filter(c => rolesOf(c).includes(role)).map(c => c.action),
    );
    if (role === 'backend-identity' && integrationSendsAssumeRole()) {
      sentAsRole.add('sts:AssumeRole');
    }
    const extra = [...granted(role)].filter(a => !sentAsRole.has(a));
    expect(extra).toEqual([]);
  });

  it('has a policy file for every role and no other', () => {
    const files = fs
      .readdirSync(iamDir)
      .filter(f => f.endsWith('.json'))
      .map(f => f.replace(/\.json$/, ''))
      .sort();
    expect(files).toEqual([...ROLES].sort());
  });
});
