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

// Prints "<passed> <failed>" from a jest or Playwright JSON report. A
// missing or unreadable report counts as one failure: a runner that crashed
// before reporting has not passed.
const fs = require('node:fs');

const [kind, file] = process.argv.slice(2);

function count() {
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (kind === 'jest') {
    const failedSuites = report.testResults.filter(
      r => r.status === 'failed' && r.assertionResults.length === 0,
    ).length;
    return [report.numPassedTests, report.numFailedTests + failedSuites];
  }
  if (kind === 'playwright') {
    const { expected = 0, unexpected = 0, flaky = 0 } = report.stats;
    return [expected + flaky, unexpected + report.errors.length];
  }
  throw new Error(`unknown report kind ${kind}`);
}

try {
  process.stdout.write(`${count().join(' ')}\n`);
} catch (error) {
  process.stderr.write(
    `Could not read ${kind} report ${file}: ${error.message}\n`,
  );
  process.stdout.write('0 1\n');
}
