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

import { LandingZoneOffer } from '@eks-fleet/backstage-plugin-eks-fleet-common';

/**
 * What the field returns: an account and one of its regions.
 *
 * @public
 */
export interface LandingZoneValue {
  accountId?: string;
  region?: string;
}

/** An account of the offer, with the regions it has landing zones in. */
export interface OfferedAccount {
  accountId: string;
  accountName?: string;
  regions: string[];
}

/** The offer's accounts, in the order config lists them. */
export function offeredAccounts(offer: LandingZoneOffer): OfferedAccount[] {
  const accounts = new Map<string, OfferedAccount>();
  for (const zone of offer.landingZones) {
    const account = accounts.get(zone.accountId) ?? {
      accountId: zone.accountId,
      accountName: zone.accountName,
      regions: [],
    };
    account.regions.push(zone.region);
    accounts.set(zone.accountId, account);
  }
  return [...accounts.values()];
}

/** "payments (735260918427)", or the id alone when config names no account. */
export function accountLabel(account: {
  accountId: string;
  accountName?: string;
}): string {
  return account.accountName
    ? `${account.accountName} (${account.accountId})`
    : account.accountId;
}

/**
 * Why a value is not a landing zone of the offer, or undefined when it is
 * one (or is not chosen far enough to say).
 */
export function landingZoneProblem(
  offer: LandingZoneOffer,
  value: LandingZoneValue | undefined,
): string | undefined {
  if (!value?.accountId) {
    return undefined;
  }
  const account = offeredAccounts(offer).find(
    a => a.accountId === value.accountId,
  );
  if (!account) {
    return `Account ${value.accountId} is not one the platform builds new clusters in`;
  }
  if (value.region && !account.regions.includes(value.region)) {
    return `Account ${accountLabel(account)} has no landing zone in ${
      value.region
    }: pick one of ${account.regions.join(', ')}`;
  }
  return undefined;
}
