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

/**
 * Debian's AWS CLI (botocore, not the JavaScript SDK) against the running
 * emulator: an independent client of its wire protocols for AWS Config, EKS,
 * STS and SQS (in the Query protocol Debian's CLI 2.9 speaks for SQS). `npm test` installs the CLI (scripts/ensure-debian-packages.sh).
 */

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { loadFleetFile } from './fleet/fleetFile';
import { RunningEmulator, startEmulator } from './index';

const AWS_CLI = '/usr/bin/aws';
// Each CLI call starts a Python interpreter: about a second.
jest.setTimeout(120_000);
const run = promisify(execFile);

const fleet = loadFleetFile(resolve(__dirname, '../fleets/demo.yaml'));
const management = fleet.managementAccountId;
const payments = fleet.accounts.find(a => a.name === 'payments')!.accountId;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json?: any;
}

describe('the AWS CLI against the emulator', () => {
  let emulator: RunningEmulator;
  const home = mkdtempSync(join(tmpdir(), 'aws-cli-home-'));

  async function aws(
    args: string[],
    options: {
      region?: string;
      accessKeyId?: string;
      sessionToken?: string;
    } = {},
  ): Promise<CliResult> {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      AWS_CONFIG_FILE: join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      AWS_ACCESS_KEY_ID: options.accessKeyId ?? `AKIA${management}`,
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: options.region ?? 'us-east-1',
      AWS_PAGER: '',
      AWS_MAX_ATTEMPTS: '1',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    if (options.sessionToken) {
      env.AWS_SESSION_TOKEN = options.sessionToken;
    }
    try {
      const { stdout, stderr } = await run(
        AWS_CLI,
        [...args, '--endpoint-url', emulator.url, '--output', 'json'],
        { env, timeout: 60_000 },
      );
      return {
        code: 0,
        stdout,
        stderr,
        json: stdout.trim() ? JSON.parse(stdout) : undefined,
      };
    } catch (error: any) {
      if (typeof error.code !== 'number') {
        throw error;
      }
      return { code: error.code, stdout: error.stdout, stderr: error.stderr };
    }
  }

  beforeAll(async () => {
    if (!existsSync(AWS_CLI)) {
      throw new Error(
        `${AWS_CLI} is missing: run scripts/ensure-debian-packages.sh awscli:/usr/bin/aws`,
      );
    }
    emulator = await startEmulator({
      fleet: loadFleetFile(resolve(__dirname, '../fleets/demo.yaml')),
      port: 0,
      // Long enough for two CLI calls (a Python start each) on a busy machine.
      updateDelayMs: 20_000,
    });
  });
  afterAll(() => emulator?.stop());

  it('STS: names the caller, and assumes a role into another account', async () => {
    const me = await aws(['sts', 'get-caller-identity']);
    expect(me.code).toBe(0);
    expect(me.json.Account).toBe(management);

    const assumed = await aws([
      'sts',
      'assume-role',
      '--role-arn',
      `arn:aws:iam::${payments}:role/EksFleetReader`,
      '--role-session-name',
      'cli-test',
    ]);
    expect(assumed.code).toBe(0);
    const { AccessKeyId, SessionToken, Expiration } = assumed.json.Credentials;
    expect(AccessKeyId).toMatch(/^ASIA/);
    expect(Date.parse(Expiration)).toBeGreaterThan(Date.now());

    const asRole = await aws(['sts', 'get-caller-identity'], {
      accessKeyId: AccessKeyId,
      sessionToken: SessionToken,
    });
    expect(asRole.json.Account).toBe(payments);
    expect(asRole.json.Arn).toContain(':assumed-role/EksFleetReader/cli-test');

    const refused = await aws([
      'sts',
      'assume-role',
      '--role-arn',
      'arn:aws:s3:::not-a-role-at-all',
      '--role-session-name',
      'cli-test',
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('ValidationError');
  });

  it('EKS: lists every cluster of an account and region across pages, and describes them', async () => {
    const expected = fleet.clusters
      .filter(
        c => c.accountId === payments && c.region === 'us-east-1' && !c.deleted,
      )
      .map(c => c.name)
      .sort();
    const options = { region: 'us-east-1', accessKeyId: `AKIA${payments}` };
    // --page-size 1: the CLI follows nextToken page by page.
    const listed = await aws(
      ['eks', 'list-clusters', '--page-size', '1'],
      options,
    );
    expect(listed.code).toBe(0);
    expect([...listed.json.clusters].sort()).toEqual(expected);

    const name = expected[0];
    const described = await aws(
      ['eks', 'describe-cluster', '--name', name],
      options,
    );
    const cluster = fleet.clusters.find(
      c => c.name === name && c.accountId === payments,
    )!;
    expect(described.json.cluster).toMatchObject({
      name,
      version: cluster.version,
      platformVersion: cluster.platformVersion,
      status: 'ACTIVE',
      arn: `arn:aws:eks:us-east-1:${payments}:cluster/${name}`,
    });
    expect(Date.parse(described.json.cluster.createdAt)).toBe(
      Date.parse(cluster.createdAt),
    );

    const addons = await aws(
      ['eks', 'list-addons', '--cluster-name', name],
      options,
    );
    expect([...addons.json.addons].sort()).toEqual(
      cluster.addons.map(a => a.addonName).sort(),
    );
    const addon = await aws(
      [
        'eks',
        'describe-addon',
        '--cluster-name',
        name,
        '--addon-name',
        cluster.addons[0].addonName,
      ],
      options,
    );
    expect(addon.json.addon.addonVersion).toBe(cluster.addons[0].addonVersion);

    const nodegroups = await aws(
      ['eks', 'list-nodegroups', '--cluster-name', name],
      options,
    );
    expect(nodegroups.json.nodegroups).toEqual(
      cluster.nodegroups.map(n => n.nodegroupName),
    );
    const nodegroup = await aws(
      [
        'eks',
        'describe-nodegroup',
        '--cluster-name',
        name,
        '--nodegroup-name',
        cluster.nodegroups[0].nodegroupName,
      ],
      options,
    );
    expect(nodegroup.json.nodegroup.releaseVersion).toBe(
      cluster.nodegroups[0].releaseVersion,
    );

    const versions = await aws(
      [
        'eks',
        'describe-addon-versions',
        '--addon-name',
        'coredns',
        '--kubernetes-version',
        cluster.version,
      ],
      options,
    );
    expect(versions.json.addons[0].addonName).toBe('coredns');
    expect(versions.json.addons[0].addonVersions.length).toBeGreaterThan(0);

    const missing = await aws(
      ['eks', 'describe-cluster', '--name', 'no-such-cluster'],
      options,
    );
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('ResourceNotFoundException');
  });

  it('EKS: upgrades a cluster one minor, refuses a skipped minor, and reports the update', async () => {
    const cluster = fleet.clusters.find(
      c =>
        c.accountId === management &&
        c.region === 'us-east-1' &&
        c.version === '1.34' &&
        !c.deleted,
    )!;
    const skip = await aws([
      'eks',
      'update-cluster-version',
      '--name',
      cluster.name,
      '--kubernetes-version',
      '1.36',
    ]);
    expect(skip.code).not.toBe(0);
    expect(skip.stderr).toContain('InvalidParameterException');

    const started = await aws([
      'eks',
      'update-cluster-version',
      '--name',
      cluster.name,
      '--kubernetes-version',
      '1.35',
      '--client-request-token',
      'cli-upgrade-1',
    ]);
    expect(started.code).toBe(0);
    expect(started.json.update).toMatchObject({
      status: 'InProgress',
      type: 'VersionUpdate',
    });
    const again = await aws([
      'eks',
      'update-cluster-version',
      '--name',
      cluster.name,
      '--kubernetes-version',
      '1.35',
      '--client-request-token',
      'cli-upgrade-1',
    ]);
    expect(again.json.update.id).toBe(started.json.update.id);

    const updating = await aws([
      'eks',
      'describe-cluster',
      '--name',
      cluster.name,
    ]);
    expect(updating.json.cluster.status).toBe('UPDATING');

    let done: CliResult;
    const deadline = Date.now() + 60_000;
    do {
      await new Promise(r => setTimeout(r, 1_000));
      done = await aws([
        'eks',
        'describe-update',
        '--name',
        cluster.name,
        '--update-id',
        started.json.update.id,
      ]);
    } while (done.json.update.status === 'InProgress' && Date.now() < deadline);
    expect(done.json.update.status).toBe('Successful');
    const after = await aws([
      'eks',
      'describe-cluster',
      '--name',
      cluster.name,
    ]);
    expect(after.json.cluster).toMatchObject({
      status: 'ACTIVE',
      version: '1.35',
    });
  });

  it('AWS Config: an advanced query over the organization aggregator, page by page, and a refused one', async () => {
    const expected = fleet.clusters.length;
    const query = await aws([
      'configservice',
      'select-aggregate-resource-config',
      '--configuration-aggregator-name',
      'org-aggregator',
      '--expression',
      "SELECT resourceId, resourceName, accountId, awsRegion, configuration.Version WHERE resourceType = 'AWS::EKS::Cluster'",
      '--page-size',
      '7',
    ]);
    expect(query.code).toBe(0);
    const results = query.json.Results.map((r: string) => JSON.parse(r));
    expect(results).toHaveLength(expected);
    expect(new Set(results.map((r: any) => r.resourceId)).size).toBe(expected);
    expect(results[0]).toEqual({
      resourceId: expect.any(String),
      resourceName: expect.any(String),
      accountId: expect.stringMatching(/^\d{12}$/),
      awsRegion: expect.any(String),
      configuration: { Version: expect.stringMatching(/^1\.\d+$/) },
    });

    const own = await aws(
      [
        'configservice',
        'select-resource-config',
        '--expression',
        "SELECT resourceName WHERE resourceType = 'AWS::EKS::Cluster' AND awsRegion = 'eu-west-1'",
      ],
      { region: 'eu-west-1', accessKeyId: `AKIA${payments}` },
    );
    expect(own.code).toBe(0);
    expect(
      own.json.Results.map((r: string) => JSON.parse(r).resourceName).sort(),
    ).toEqual(
      fleet.clusters
        .filter(c => c.accountId === payments && c.region === 'eu-west-1')
        .map(c => c.name)
        .sort(),
    );

    const bad = await aws([
      'configservice',
      'select-resource-config',
      '--expression',
      'SELECT FROM WHERE',
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('InvalidExpressionException');
  });

  it('SQS: a message no one deletes moves to the dead-letter queue after maxReceiveCount receives', async () => {
    const dlq = await aws(['sqs', 'create-queue', '--queue-name', 'cli-dlq']);
    expect(dlq.code).toBe(0);
    const arn = await aws([
      'sqs',
      'get-queue-attributes',
      '--queue-url',
      dlq.json.QueueUrl,
      '--attribute-names',
      'QueueArn',
    ]);
    expect(arn.json.Attributes.QueueArn).toBe(
      `arn:aws:sqs:us-east-1:${management}:cli-dlq`,
    );
    const queue = await aws([
      'sqs',
      'create-queue',
      '--queue-name',
      'cli-work',
      '--attributes',
      JSON.stringify({
        VisibilityTimeout: '0',
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: arn.json.Attributes.QueueArn,
          maxReceiveCount: 2,
        }),
      }),
    ]);
    expect(queue.code).toBe(0);
    const url = queue.json.QueueUrl;
    const sent = await aws([
      'sqs',
      'send-message',
      '--queue-url',
      url,
      '--message-body',
      'not json',
    ]);
    expect(sent.json.MessageId).toBeDefined();
    const counts: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const received = await aws([
        'sqs',
        'receive-message',
        '--queue-url',
        url,
        '--attribute-names',
        'ApproximateReceiveCount',
      ]);
      expect(received.code).toBe(0);
      for (const message of received.json?.Messages ?? []) {
        expect(message.Body).toBe('not json');
        counts.push(message.Attributes.ApproximateReceiveCount);
      }
    }
    expect(counts).toEqual(['1', '2']);
    const dead = await aws([
      'sqs',
      'receive-message',
      '--queue-url',
      dlq.json.QueueUrl,
    ]);
    expect(dead.json.Messages.map((m: { Body: string }) => m.Body)).toEqual([
      'not json',
    ]);
    const missing = await aws(['sqs', 'get-queue-url', '--queue-name', 'nope']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('NonExistentQueue');
  });
});
