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

import { DEFAULT_ADDON_VERSIONS } from './defaultAddonVersions';
import {
  DEFAULT_KUBERNETES_PATCH_VERSIONS,
  DEFAULT_KUBERNETES_VERSIONS,
} from './defaultKubernetesVersions';
import { FleetCatalog } from './FleetCatalog';
import { nextKubernetesMinor } from './kubernetesMinor';
import { ADDON_VERSION_PATTERN } from './validateFleet';

describe('the built-in Kubernetes calendar', () => {
  it('carries the published EKS dates for 1.28 to 1.36', () => {
    const calendar = Object.fromEntries(
      DEFAULT_KUBERNETES_VERSIONS.map(v => [
        v.version,
        [v.releaseDate, v.endOfStandardSupportDate, v.endOfExtendedSupportDate],
      ]),
    );
    expect(calendar).toEqual({
      '1.28': ['2023-09-26', '2024-11-26', '2025-11-26'],
      '1.29': ['2024-01-23', '2025-03-23', '2026-03-23'],
      '1.30': ['2024-05-23', '2025-07-23', '2026-07-23'],
      '1.31': ['2024-09-26', '2025-11-26', '2026-11-26'],
      '1.32': ['2025-01-23', '2026-03-23', '2027-03-23'],
      '1.33': ['2025-05-29', '2026-07-29', '2027-07-29'],
      '1.34': ['2025-10-02', '2026-12-02', '2027-12-02'],
      '1.35': ['2026-01-27', '2027-03-27', '2028-03-27'],
      '1.36': ['2026-06-02', '2027-08-02', '2028-08-02'],
    });
  });

  it('follows the 14 + 12 months rule and has one default version', () => {
    for (const v of DEFAULT_KUBERNETES_VERSIONS) {
      const release = new Date(v.releaseDate);
      const standard = new Date(v.endOfStandardSupportDate);
      const months =
        (standard.getUTCFullYear() - release.getUTCFullYear()) * 12 +
        standard.getUTCMonth() -
        release.getUTCMonth();
      expect(months).toBe(14);
      expect(v.endOfExtendedSupportDate.slice(5)).toBe(
        v.endOfStandardSupportDate.slice(5),
      );
      expect(v.defaultPlatformVersion).toMatch(/^eks\.\d+$/);
      expect(DEFAULT_KUBERNETES_PATCH_VERSIONS[v.version]).toBeGreaterThan(0);
    }
    expect(
      DEFAULT_KUBERNETES_VERSIONS.filter(v => v.defaultVersion),
    ).toHaveLength(1);
  });
});

describe('the built-in add-on catalog', () => {
  const catalog = new FleetCatalog();
  const minors = catalog.minors();

  it('has the add-ons EKS clusters commonly run', () => {
    expect(catalog.addonNames()).toEqual(
      expect.arrayContaining([
        'vpc-cni',
        'coredns',
        'kube-proxy',
        'aws-ebs-csi-driver',
        'eks-pod-identity-agent',
        'aws-efs-csi-driver',
        'adot',
        'amazon-cloudwatch-observability',
      ]),
    );
  });

  it('has exactly one default per add-on and minor, compatible now and one minor on', () => {
    for (const addon of DEFAULT_ADDON_VERSIONS) {
      for (const minor of minors) {
        const defaults = addon.versions.filter(v =>
          v.defaultFor.includes(minor),
        );
        expect(defaults.map(v => v.addonVersion)).toHaveLength(1);
        const [chosen] = defaults;
        expect(chosen.compatibleKubernetesVersions).toContain(minor);
        // A cluster on defaults passes the add-on upgrade check.
        const next = catalog.nextMinor(minor) ?? minor;
        expect(chosen.compatibleKubernetesVersions).toContain(next);
      }
      for (const version of addon.versions) {
        expect(version.addonVersion).toMatch(ADDON_VERSION_PATTERN);
      }
    }
  });

  it('has some version that stops at each minor, so upgrades can fail', () => {
    const coredns = catalog.addon('coredns');
    expect(
      coredns?.versions.some(
        v =>
          v.compatibleKubernetesVersions.includes('1.33') &&
          !v.compatibleKubernetesVersions.includes('1.34'),
      ),
    ).toBe(true);
  });
});

describe('FleetCatalog', () => {
  const catalog = new FleetCatalog();

  it('knows the support phase of every minor on a day', () => {
    const day = new Date('2026-11-24T12:00:00Z');
    expect(catalog.supportPhase('1.30', day)).toBe('ended');
    expect(catalog.supportPhase('1.31', day)).toBe('extended');
    expect(catalog.supportPhase('1.32', day)).toBe('extended');
    expect(catalog.supportPhase('1.33', day)).toBe('extended');
    expect(catalog.supportPhase('1.34', day)).toBe('standard');
    expect(catalog.supportPhase('1.36', day)).toBe('standard');
    expect(catalog.supportPhase('1.31', new Date('2026-11-26'))).toBe('ended');
    expect(catalog.supportPhase('1.36', new Date('2026-01-01'))).toBe(
      'unreleased',
    );
    expect(catalog.supportPhase('9.99', day)).toBeUndefined();
  });

  it('answers next minors, defaults and compatibility', () => {
    expect(catalog.nextMinor('1.33')).toBe('1.34');
    expect(catalog.nextMinor('1.36')).toBeUndefined();
    expect(nextKubernetesMinor('1.36')).toBe('1.37');
    expect(catalog.defaultAddonVersion('kube-proxy', '1.34')).toBe(
      'v1.34.6-eksbuild.1',
    );
    expect(catalog.defaultAddonVersion('nope', '1.34')).toBeUndefined();
    expect(catalog.defaultAddonVersion('coredns', 'banana')).toBeUndefined();
    expect(
      catalog.isAddonCompatible('coredns', 'v1.11.4-eksbuild.14', '1.33'),
    ).toBe(true);
    expect(
      catalog.isAddonCompatible('coredns', 'v1.11.4-eksbuild.14', '1.34'),
    ).toBe(false);
    expect(catalog.isAddonCompatible('coredns', 'v0.0.0', '1.33')).toBe(false);
    expect(catalog.kubernetesVersion('1.35')?.defaultVersion).toBe(true);
  });
});
