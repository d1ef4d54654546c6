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

import {
  backfillSloHistory,
  prometheusInstalled,
  RunningPrometheus,
  startPrometheus,
} from '@internal/aws-emulator';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  API_SERVER_SLO_QUERIES,
  INGRESS_NGINX_SLO_QUERIES,
  PrometheusEnvironmentSettings,
  PrometheusSloProvider,
} from './PrometheusSloProvider';
import { EksClusterTarget } from './types';

const now = new Date('2026-11-25T12:00:00Z');
const DAY = 86_400_000;
const backfillStart = Date.parse('2026-10-25T00:00:00Z');
const payProd: EksClusterTarget = {
  entityRef: 'resource:default/pay-prod-eu-west-1-222222222222',
  accountId: '222222222222',
  region: 'eu-west-1',
  clusterName: 'pay-prod',
  arn: 'arn:aws:eks:eu-west-1:222222222222:cluster/pay-prod',
  environment: 'prod',
};
const port = Number(process.env.EKS_FLEET_TEST_PROMETHEUS_PORT ?? 9591);

function environment(url: string): PrometheusEnvironmentSettings {
  return {
    url,
    controlPlane: {
      queries: API_SERVER_SLO_QUERIES,
      latencyThresholdSeconds: 1,
      latencyObjective: 0.99,
    },
    workload: {
      via: 'ingress',
      queries: INGRESS_NGINX_SLO_QUERIES,
      latencyThresholdSeconds: 0.5,
      latencyObjective: 0.95,
    },
  };
}

const installed = prometheusInstalled();
if (!installed) {
  // eslint-disable-next-line no-console
  console.warn(
    "Skipping the Prometheus SLO tests: Debian's prometheus is not installed (scripts/ensure-debian-packages.sh prometheus:/usr/bin/prometheus)",
  );
}

(installed ? describe : describe.skip)(
  'PrometheusSloProvider against a real Prometheus',
  () => {
    let dir: string;
    let prometheus: RunningPrometheus;
    let provider: PrometheusSloProvider;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'eks-fleet-prometheus-'));
      await backfillSloHistory({
        dataDir: join(dir, 'data'),
        start: backfillStart,
        end: now.getTime(),
        seed: 7,
        series: [
          {
            kind: 'apiserver',
            labels: { cluster: 'pay-prod' },
            requestsPerHour: 10_000,
            errorRate: 0.0002,
            slowRate: 0.002,
            // 2026-11-14: day 20 of the backfill.
            incidentDays: [20],
          },
          {
            kind: 'ingress-nginx',
            labels: {
              cluster: 'pay-prod',
              exported_namespace: 'payments',
              ingress: 'payments-api',
            },
            requestsPerHour: 2_000,
            errorRate: 0.001,
            slowRate: 0.01,
          },
        ],
      });
      prometheus = await startPrometheus({ port, dataDir: join(dir, 'data') });
      provider = new PrometheusSloProvider({
        environments: { default: environment(prometheus.url) },
        timeoutMs: 10_000,
      });
    }, 120_000);

    afterAll(async () => {
      await prometheus?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    it("reads the API server's availability and latency day by day over 30 days", async () => {
      const report = await provider.getSlo(payProd, {
        objective: 0.999,
        now,
      });
      expect(report.source).toBe('prometheus');
      expect(report.subject).toEqual({ kind: 'control-plane' });
      expect(report.daily).toHaveLength(30);
      expect(report.daily[0].date).toBe('2026-10-27');
      expect(report.daily[29].date).toBe('2026-11-25');
      // A whole day: about 10,000 an hour at 0.6 on average.
      const ordinary = report.daily.find(d => d.date === '2026-11-10')!;
      expect(ordinary.requests).toBeGreaterThan(10_000 * 24 * 0.5);
      expect(ordinary.requests).toBeLessThan(10_000 * 24 * 0.7);
      expect(ordinary.availability).toBeGreaterThan(0.999);
      const incident = report.daily.find(d => d.date === '2026-11-14')!;
      expect(incident.availability).toBeLessThan(0.998);
      const [week, month] = report.windows;
      expect(week.days).toBe(7);
      expect(month.days).toBe(30);
      expect(month.burnRate).toBeGreaterThan(0);
      expect(month.errorBudgetRemaining).toBeCloseTo(1 - month.burnRate!, 6);
      expect(report.latency!.thresholdSeconds).toBe(1);
      expect(report.latency!.windows[1].share).toBeGreaterThan(0.99);
      expect(report.latency!.windows[1].share).toBeLessThan(1);
    });

    it('reads a workload through its ingress', async () => {
      const report = await provider.getWorkloadSlo(
        payProd,
        { namespace: 'payments', service: 'payments-api' },
        { objective: 0.995, now },
      );
      expect(report.subject).toEqual({
        kind: 'workload',
        namespace: 'payments',
        service: 'payments-api',
        via: 'ingress',
      });
      expect(report.windows[1].requests).toBeGreaterThan(2_000 * 24 * 0.6 * 25);
      expect(report.windows[1].availability).toBeGreaterThan(0.995);
      expect(report.windows[1].burnRate).toBeGreaterThan(0.1);
      expect(report.windows[1].burnRate).toBeLessThan(1);
      // 0.5 s bucket: 90% of the fast ones.
      expect(report.latency!.windows[1].share).toBeLessThan(0.95);
    });

    it('says there were no requests for a workload Prometheus does not know', async () => {
      const report = await provider.getWorkloadSlo(
        payProd,
        { namespace: 'payments', service: 'no-such"thing' },
        { objective: 0.995, now },
      );
      expect(report.windows[1]).toMatchObject({
        requests: 0,
        availability: null,
        burnRate: null,
        errorBudgetRemaining: null,
      });
    });

    it('signs with SigV4 for service aps when told to', async () => {
      const seen: Headers[] = [];
      const signing = new PrometheusSloProvider(
        {
          environments: {
            default: {
              ...environment(prometheus.url),
              sigv4: { region: 'eu-west-1' },
            },
          },
          timeoutMs: 10_000,
        },
        {
          credentials: async () => async () => ({
            accessKeyId: 'AKIDEXAMPLE',
            secretAccessKey: 'secret',
          }),
          fetchFn: async (input, init) => {
            seen.push(new Headers(init?.headers));
            return fetch(input, init);
          },
        },
      );
      const report = await signing.getSlo(payProd, { objective: 0.999, now });
      expect(report.windows[1].requests).toBeGreaterThan(0);
      expect(seen).toHaveLength(4);
      expect(seen[0].get('authorization')).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/aps\/aws4_request/,
      );
      expect(seen[0].get('x-amz-date')).toMatch(/^\d{8}T\d{6}Z$/);
    });

    it('says so when Prometheus is down or refuses the query', async () => {
      const down = new PrometheusSloProvider({
        environments: { default: environment('http://127.0.0.1:9') },
        timeoutMs: 2_000,
      });
      await expect(
        down.getSlo(payProd, { objective: 0.999, now }),
      ).rejects.toThrow(/Prometheus is unreachable/);
      const broken = new PrometheusSloProvider({
        environments: {
          default: {
            ...environment(prometheus.url),
            controlPlane: {
              ...environment(prometheus.url).controlPlane,
              queries: { ...API_SERVER_SLO_QUERIES, requests: 'sum(' },
            },
          },
        },
        timeoutMs: 10_000,
      });
      await expect(
        broken.getSlo(payProd, { objective: 0.999, now }),
      ).rejects.toThrow(/Prometheus refused the query \(bad_data\)/);
      const none = new PrometheusSloProvider({
        environments: { staging: environment(prometheus.url) },
        timeoutMs: 10_000,
      });
      await expect(
        none.getSlo(payProd, { objective: 0.999, now }),
      ).rejects.toThrow(/No Prometheus configured for environment prod/);
    });
  },
);

void DAY;
