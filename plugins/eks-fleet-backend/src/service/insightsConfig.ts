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

import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readDurationSetting } from '@eks-fleet/backstage-plugin-eks-fleet-node';

/** The placeholders a configured link's URL may carry. */
export const LINK_PLACEHOLDERS = [
  'clusterName',
  'region',
  'accountId',
  'environment',
  'namespace',
  'name',
  'arn',
] as const;

/** A value for each placeholder of a link template. */
export type LinkPlaceholderValues = Record<
  (typeof LINK_PLACEHOLDERS)[number],
  string
>;

/** A link configured under eksFleet.insights.links. */
export interface ConfiguredClusterLink {
  title: string;
  /** A URL with {placeholders}, e.g. https://grafana.{environment}.example.com/d/eks?var-cluster={clusterName}. */
  url: string;
  /** The environments it is shown for; undefined for every one. */
  environments?: string[];
  icon?: string;
}

/** eksFleet.insights, read once at start-up. */
export interface InsightsConfig {
  cacheTtlMs: number;
  /** The provider id of each card: "aws", "none" or an added provider's. */
  providers: { slo: string; cost: string; findings: string };
  sloObjective: number;
  costDays: number;
  links: ConfiguredClusterLink[];
  controlPlanePrice: ControlPlanePrice;
}

/** What an EKS control plane costs, USD an hour, in each support state. */
export interface ControlPlanePrice {
  standardHourlyUsd: number;
  extendedHourlyUsd: number;
}

/** Hours in a month, as AWS's pricing pages count them. */
export const HOURS_PER_MONTH = 730;

/** AWS's list prices: $0.10 an hour in standard support, $0.60 in extended. */
export const DEFAULT_CONTROL_PLANE_PRICE: ControlPlanePrice = {
  standardHourlyUsd: 0.1,
  extendedHourlyUsd: 0.6,
};

/** An hourly price a month, in USD to the cent. */
export function monthlyUsd(hourlyUsd: number): number {
  return Math.round(hourlyUsd * HOURS_PER_MONTH * 100) / 100;
}

/** What extended support adds to a control plane a month, in USD to the cent. */
export function extendedExtraMonthlyUsd(price: ControlPlanePrice): number {
  return (
    Math.round(
      (price.extendedHourlyUsd - price.standardHourlyUsd) *
        HOURS_PER_MONTH *
        100,
    ) / 100
  );
}

/**
 * Reads eksFleet.insights.controlPlanePrice (for an organization whose
 * agreement with AWS changes the list prices), refusing what is not a
 * price with an error that names the key.
 */
function readControlPlanePrice(config: Config): ControlPlanePrice {
  const root = 'eksFleet.insights.controlPlanePrice';
  const settings = config.getOptionalConfig(root);
  const price = (key: keyof ControlPlanePrice) => {
    const value =
      settings?.getOptionalNumber(key) ?? DEFAULT_CONTROL_PLANE_PRICE[key];
    if (!Number.isFinite(value) || value < 0 || value > 1000) {
      throw new InputError(
        `Invalid config at ${root}.${key}: expected USD an hour from 0 to 1000, got ${value}`,
      );
    }
    return value;
  };
  const standardHourlyUsd = price('standardHourlyUsd');
  const extendedHourlyUsd = price('extendedHourlyUsd');
  if (extendedHourlyUsd < standardHourlyUsd) {
    throw new InputError(
      `Invalid config at ${root}.extendedHourlyUsd: ${extendedHourlyUsd} is below standardHourlyUsd ${standardHourlyUsd}; extended support costs at least as much as standard`,
    );
  }
  return { standardHourlyUsd, extendedHourlyUsd };
}

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Fills a link template; every value is URL-encoded. */
export function fillLinkTemplate(
  template: string,
  values: LinkPlaceholderValues,
): string {
  return template.replace(PLACEHOLDER, (_match, key: string) =>
    encodeURIComponent(values[key as keyof LinkPlaceholderValues] ?? ''),
  );
}

function readLink(link: Config, key: string): ConfiguredClusterLink {
  const title = link.getString('title').trim();
  if (!title) {
    throw new InputError(`Invalid config at ${key}.title: the title is empty`);
  }
  const url = link.getString('url');
  for (const [, placeholder] of url.matchAll(PLACEHOLDER)) {
    if (!(LINK_PLACEHOLDERS as readonly string[]).includes(placeholder)) {
      throw new InputError(
        `Invalid config at ${key}.url: unknown placeholder {${placeholder}}; known: ${LINK_PLACEHOLDERS.map(
          p => `{${p}}`,
        ).join(', ')}`,
      );
    }
  }
  const sample = fillLinkTemplate(
    url,
    Object.fromEntries(
      LINK_PLACEHOLDERS.map(p => [p, 'x']),
    ) as LinkPlaceholderValues,
  );
  let parsed: URL | undefined;
  try {
    parsed = new URL(sample);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
    throw new InputError(
      `Invalid config at ${key}.url: ${JSON.stringify(
        url,
      )} is not an http(s) URL template`,
    );
  }
  const environments = link.getOptionalStringArray('environments');
  if (environments && environments.length === 0) {
    throw new InputError(
      `Invalid config at ${key}.environments: leave it out to show the link for every environment`,
    );
  }
  return { title, url, environments, icon: link.getOptionalString('icon') };
}

/**
 * Reads eksFleet.insights, refusing bad values with an error that names the
 * key.
 */
export function readInsightsConfig(config: Config): InsightsConfig {
  const root = 'eksFleet.insights';
  const settings = config.getOptionalConfig(root);
  const provider = (kind: string) => {
    const id = settings?.getOptionalString(`${kind}.provider`) ?? 'aws';
    if (!id.trim()) {
      throw new InputError(
        `Invalid config at ${root}.${kind}.provider: the provider id is empty`,
      );
    }
    return id;
  };
  const sloObjective = settings?.getOptionalNumber('slo.objective') ?? 0.9995;
  if (!(sloObjective > 0 && sloObjective < 1)) {
    throw new InputError(
      `Invalid config at ${root}.slo.objective: expected a share between 0 and 1 such as 0.9995, got ${sloObjective}`,
    );
  }
  const costDays = settings?.getOptionalNumber('cost.days') ?? 30;
  if (!Number.isInteger(costDays) || costDays < 14 || costDays > 90) {
    throw new InputError(
      `Invalid config at ${root}.cost.days: expected a whole number from 14 to 90, got ${costDays}`,
    );
  }
  const cacheTtlMs = readDurationSetting(settings, 'cacheTtl', {
    path: root,
    fallbackMs: 5 * 60_000,
  });
  const links = (settings?.getOptionalConfigArray('links') ?? []).map(
    (link, i) => readLink(link, `${root}.links[${i}]`),
  );
  return {
    cacheTtlMs,
    providers: {
      slo: provider('slo'),
      cost: provider('cost'),
      findings: provider('findings'),
    },
    sloObjective,
    costDays,
    links,
    controlPlanePrice: readControlPlanePrice(config),
  };
}
