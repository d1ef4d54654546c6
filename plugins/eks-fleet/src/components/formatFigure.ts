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

/*
 * How the cards write their figures; one place, so the page and the tests
 * that read it agree.
 */

/** A share as a percentage, e.g. 0.99953 -> "99.953%". */
export function formatPercent(share: number, fractionDigits = 3): string {
  return `${(share * 100).toFixed(fractionDigits)}%`;
}

/** An amount of money, e.g. 4123.456 USD -> "$4,123.46". */
export function formatMoney(amount: number, currency = 'USD'): string {
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(amount);
}

/** A relative change, e.g. 0.032 -> "+3.2%", -0.1 -> "-10.0%". */
export function formatChange(change: number): string {
  const sign = change > 0 ? '+' : '';
  return `${sign}${(change * 100).toFixed(1)}%`;
}

/** A count with its noun, e.g. (1, "day") -> "1 day", (3, "day") -> "3 days". */
export function formatCount(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${
    Math.abs(count) === 1 ? '' : 's'
  }`;
}
