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

import { FleetKubernetesVersion } from './types';

/**
 * EKS's Kubernetes release calendar, as the "Amazon EKS Kubernetes release
 * calendar" table of the EKS user guide (Kubernetes versions page) gives it:
 * the Amazon EKS release date, the end of standard support (14 months
 * later) and the end of extended support (12 months after that), in UTC.
 *
 * 1.28 to 1.35 are the published dates. 1.36 (EKS release 2026-06-02) has
 * its end dates from the same calendar (2027-08-02 and 2028-08-02).
 *
 * defaultPlatformVersion is the latest platform version the emulator
 * reports for a minor: the published numbers up to spring 2026, advanced
 * at EKS's usual pace for the minors still receiving platform releases.
 * Clients must treat them as opaque "eks.N" values.
 *
 * A fleet file may override or extend any entry (see fleetFile.ts).
 */
export const DEFAULT_KUBERNETES_VERSIONS: readonly FleetKubernetesVersion[] = [
  {
    version: '1.28',
    releaseDate: '2023-09-26',
    endOfStandardSupportDate: '2024-11-26',
    endOfExtendedSupportDate: '2025-11-26',
    defaultPlatformVersion: 'eks.49',
  },
  {
    version: '1.29',
    releaseDate: '2024-01-23',
    endOfStandardSupportDate: '2025-03-23',
    endOfExtendedSupportDate: '2026-03-23',
    defaultPlatformVersion: 'eks.57',
  },
  {
    version: '1.30',
    releaseDate: '2024-05-23',
    endOfStandardSupportDate: '2025-07-23',
    endOfExtendedSupportDate: '2026-07-23',
    defaultPlatformVersion: 'eks.66',
  },
  {
    version: '1.31',
    releaseDate: '2024-09-26',
    endOfStandardSupportDate: '2025-11-26',
    endOfExtendedSupportDate: '2026-11-26',
    defaultPlatformVersion: 'eks.62',
  },
  {
    version: '1.32',
    releaseDate: '2025-01-23',
    endOfStandardSupportDate: '2026-03-23',
    endOfExtendedSupportDate: '2027-03-23',
    defaultPlatformVersion: 'eks.46',
  },
  {
    version: '1.33',
    releaseDate: '2025-05-29',
    endOfStandardSupportDate: '2026-07-29',
    endOfExtendedSupportDate: '2027-07-29',
    defaultPlatformVersion: 'eks.39',
  },
  {
    version: '1.34',
    releaseDate: '2025-10-02',
    endOfStandardSupportDate: '2026-12-02',
    endOfExtendedSupportDate: '2027-12-02',
    defaultPlatformVersion: 'eks.25',
  },
  {
    version: '1.35',
    releaseDate: '2026-01-27',
    endOfStandardSupportDate: '2027-03-27',
    endOfExtendedSupportDate: '2028-03-27',
    defaultVersion: true,
    defaultPlatformVersion: 'eks.15',
  },
  {
    version: '1.36',
    releaseDate: '2026-06-02',
    endOfStandardSupportDate: '2027-08-02',
    endOfExtendedSupportDate: '2028-08-02',
    defaultPlatformVersion: 'eks.6',
  },
];

/**
 * The Kubernetes patch release behind each minor's default platform
 * version; node group AMI release versions ("1.33.8-20261104") carry it.
 */
export const DEFAULT_KUBERNETES_PATCH_VERSIONS: Readonly<
  Record<string, number>
> = {
  '1.28': 15,
  '1.29': 15,
  '1.30': 14,
  '1.31': 14,
  '1.32': 13,
  '1.33': 10,
  '1.34': 6,
  '1.35': 4,
  '1.36': 1,
};
