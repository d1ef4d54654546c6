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
 * One AWS layer: the suite's AWS SDK clients are made in
 * eks-fleet-node/src/aws alone (by AwsClientFactory, which the
 * eksFleetAwsServiceRef service shares per process), so no plugin or module
 * can build a client that escapes the shared pools, retries and timeouts.
 * Tests may still build their own clients to set up the AWS emulator.
 */

const repoRoot = path.resolve(__dirname, '../../../..');
const awsLayerDir = path.join(repoRoot, 'plugins/eks-fleet-node/src/aws');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return ['node_modules', 'dist', '__testUtils__', 'testing'].includes(
        entry.name,
      )
        ? []
        : sourceFiles(full);
    }
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)
      ? [full]
      : [];
  });
}

/** The `new XxxClient(` of a file whose class comes from an @aws-sdk package. */
function sdkClientsBuiltIn(source: string): string[] {
  const fromSdk = new Set<string>();
  const imports = source.matchAll(
    /import\s*(?:type\s*)?(?:\{([^}]*)\}|\*\s+as\s+(\w+))\s*from\s*'@aws-sdk\/[^']+'/g,
  );
  for (const [, names, namespace] of imports) {
    if (namespace) fromSdk.add(namespace);
    for (const name of names?.split(',') ?? []) {
      const local = name
        .trim()
        .split(/\s+as\s+/)
        .pop();
      if (local) fromSdk.add(local);
    }
  }
  return [...source.matchAll(/new\s+((\w+)(?:\.\w+)?Client)\s*\(/g)].flatMap(
    ([, built, head]) =>
      fromSdk.has(built) || fromSdk.has(head) ? [built] : [],
  );
}

function codeOutsideAwsLayer(): string[] {
  return ['plugins', 'packages'].flatMap(top =>
    fs
      .readdirSync(path.join(repoRoot, top))
      // The emulator is a stand-in for AWS, not a caller of it.
      .filter(name => name !== 'aws-emulator')
      .flatMap(name => {
        const src = path.join(repoRoot, top, name, 'src');
        return fs.existsSync(src) ? sourceFiles(src) : [];
      })
      .filter(file => !file.startsWith(awsLayerDir + path.sep)),
  );
}

describe('the AWS layer', () => {
  it('recognises an SDK client being built', () => {
    expect(
      sdkClientsBuiltIn(
        `import { EKSClient, DescribeClusterCommand } from '@aws-sdk/client-eks';\n` +
          `import * as cw from '@aws-sdk/client-cloudwatch';\n` +
          `const a = new EKSClient({});\nconst b = new cw.CloudWatchClient({});\n` +
          `const c = new RolloutsClient(discovery, auth);`,
      ),
    ).toEqual(['EKSClient', 'cw.CloudWatchClient']);
  });

  it('builds every AWS SDK client in eks-fleet-node/src/aws alone', () => {
    const files = codeOutsideAwsLayer();
    // A scan that finds no file would pass.
    expect(files.length).toBeGreaterThan(100);
    const outside = files.flatMap(file =>
      sdkClientsBuiltIn(fs.readFileSync(file, 'utf8')).map(
        client => `${path.relative(repoRoot, file)}: new ${client}(`,
      ),
    );
    expect(outside).toEqual([]);
  });

  it('leaves the AWS SDK clients to eks-fleet-node alone', () => {
    const importing = codeOutsideAwsLayer()
      .filter(file => !file.includes(`${path.sep}eks-fleet-node${path.sep}`))
      .filter(file =>
        /from\s*'@aws-sdk\/client-/.test(fs.readFileSync(file, 'utf8')),
      )
      .map(file => path.relative(repoRoot, file));
    expect(importing).toEqual([]);
    const depending = fs
      .readdirSync(path.join(repoRoot, 'plugins'))
      .filter(name => name !== 'eks-fleet-node')
      .flatMap(name => {
        const manifest = path.join(repoRoot, 'plugins', name, 'package.json');
        if (!fs.existsSync(manifest)) return [];
        const { dependencies = {} } = JSON.parse(
          fs.readFileSync(manifest, 'utf8'),
        ) as { dependencies?: Record<string, string> };
        return Object.keys(dependencies)
          .filter(dep => dep.startsWith('@aws-sdk/client-'))
          .map(dep => `${name}: ${dep}`);
      });
    expect(depending).toEqual([]);
  });
});
