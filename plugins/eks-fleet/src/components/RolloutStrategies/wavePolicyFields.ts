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
  AutomaticWavePolicy,
  AWS_ACCOUNT_ID_PATTERN,
  ClusterSelector,
  ExplicitWave,
  WavePolicy,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';

/*
 * The wave policy as the strategy form holds it: each field as typed
 * (numbers and lists as text, bake times in minutes), turned into the
 * policy the backend takes with its rules checked field by field (those
 * of rolloutSchemas.ts and validateWavePolicy), so the form says what is
 * wrong before saving.
 */

/** A cluster selector's lists as typed, comma-separated; tags as key=value. */
export interface SelectorFields {
  environments: string;
  regions: string;
  accounts: string;
  owners: string;
  systems: string;
  clusters: string;
  tags: string;
}

/** A wave given by hand, as typed. */
export interface WaveFields {
  /** Keeps a wave's inputs when the waves are reordered. */
  key: number;
  name: string;
  bakeMinutes: string;
  /** Unset keeps it out of the policy (no approval). */
  requiresApproval?: boolean;
  selector: SelectorFields;
}

/** The automatic waves' fields, as typed; empty means the default. */
export interface AutomaticFields {
  firstWaveSize: string;
  growthFactor: string;
  maxWaveSize: string;
  initialBakeMinutes: string;
  bakeShrinkFactor: string;
  minBakeMinutes: string;
  productionAfterWaves: string;
  productionEnvironments: string;
  environmentOrder: string;
  approvalBefore: string;
  /** Unset keeps the default (an approval). */
  approvalBeforeProduction?: boolean;
}

/** A wave policy as the form holds it: both kinds, one chosen. */
export interface WavePolicyFields {
  type: WavePolicy['type'];
  automatic: AutomaticFields;
  waves: WaveFields[];
}

/** What is wrong, by field: "firstWaveSize", "waves.0.name", "waves". */
export type WavePolicyErrors = Record<string, string>;

export const SELECTOR_FIELDS: Array<keyof SelectorFields> = [
  'environments',
  'regions',
  'accounts',
  'owners',
  'systems',
  'clusters',
  'tags',
];

const LIST_SELECTOR_FIELDS = SELECTOR_FIELDS.filter(
  (f): f is Exclude<keyof SelectorFields, 'tags'> => f !== 'tags',
);

const EMPTY_SELECTOR: SelectorFields = {
  environments: '',
  regions: '',
  accounts: '',
  owners: '',
  systems: '',
  clusters: '',
  tags: '',
};

const EMPTY_AUTOMATIC: AutomaticFields = {
  firstWaveSize: '',
  growthFactor: '',
  maxWaveSize: '',
  initialBakeMinutes: '',
  bakeShrinkFactor: '',
  minBakeMinutes: '',
  productionAfterWaves: '',
  productionEnvironments: '',
  environmentOrder: '',
  approvalBefore: '',
};

/** The backend's limits (rolloutSchemas.ts). */
const MAX_NAME = 255;
const MAX_LIST = 1000;
const MAX_WAVES = 100;
const MAX_CELLS = 10_000;
const MAX_BAKE_MINUTES = 7 * 24 * 60;

let nextKey = 1;

/** A new wave: the first free name "wave-N", 60 minutes' bake, every cluster left. */
export function newWave(waves: WaveFields[]): WaveFields {
  const names = new Set(waves.map(w => w.name.trim()));
  let n = waves.length + 1;
  while (names.has(`wave-${n}`)) n++;
  return {
    key: nextKey++,
    name: `wave-${n}`,
    bakeMinutes: '60',
    selector: { ...EMPTY_SELECTOR },
  };
}

const text = (n: number | undefined) => (n === undefined ? '' : String(n));
const minutesText = (seconds: number | undefined) =>
  seconds === undefined ? '' : String(seconds / 60);
const listText = (values: string[] | undefined) => (values ?? []).join(', ');

function selectorFields(selector: ClusterSelector): SelectorFields {
  return {
    environments: listText(selector.environments),
    regions: listText(selector.regions),
    accounts: listText(selector.accounts),
    owners: listText(selector.owners),
    systems: listText(selector.systems),
    clusters: listText(selector.clusters),
    tags: Object.entries(selector.tags ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(', '),
  };
}

/** A policy's fields as the form shows them. */
export function wavePolicyFields(policy: WavePolicy): WavePolicyFields {
  if (policy.type === 'explicit') {
    return {
      type: 'explicit',
      automatic: { ...EMPTY_AUTOMATIC },
      waves: (policy.waves ?? []).map(w => ({
        key: nextKey++,
        name: w.name,
        bakeMinutes: minutesText(w.bakeSeconds),
        ...(w.requiresApproval !== undefined
          ? { requiresApproval: w.requiresApproval }
          : {}),
        selector: selectorFields(w.selector ?? {}),
      })),
    };
  }
  return {
    type: 'automatic',
    automatic: {
      firstWaveSize: text(policy.firstWaveSize),
      growthFactor: text(policy.growthFactor),
      maxWaveSize: text(policy.maxWaveSize),
      initialBakeMinutes: minutesText(policy.initialBakeSeconds),
      bakeShrinkFactor: text(policy.bakeShrinkFactor),
      minBakeMinutes: minutesText(policy.minBakeSeconds),
      productionAfterWaves: text(policy.productionAfterWaves),
      productionEnvironments: listText(policy.productionEnvironments),
      environmentOrder: listText(policy.environmentOrder),
      approvalBefore: listText(policy.approvalBefore),
      ...(policy.approvalBeforeProduction !== undefined
        ? { approvalBeforeProduction: policy.approvalBeforeProduction }
        : {}),
    },
    waves: [],
  };
}

/** A new strategy's: the automatic waves with their defaults. */
export function defaultWavePolicyFields(): WavePolicyFields {
  return wavePolicyFields({ type: 'automatic' });
}

type Check<T> = { value?: T; error?: string };

function numberOf(
  input: string,
  rule: { min: number; max: number; whole?: boolean; above?: boolean },
): Check<number> {
  const t = input.trim();
  if (t === '') return {};
  const n = Number(t);
  let expected = `a number from ${rule.min} to ${rule.max}`;
  if (rule.whole) {
    expected = `a whole number from ${rule.min} to ${rule.max}`;
  } else if (rule.above) {
    expected = `a number above ${rule.min}, at most ${rule.max}`;
  }
  if (
    !Number.isFinite(n) ||
    (rule.whole && !Number.isInteger(n)) ||
    (rule.above ? n <= rule.min : n < rule.min) ||
    n > rule.max
  ) {
    return { error: `Expected ${expected}` };
  }
  return { value: n };
}

/** Minutes as typed, to whole seconds from 0 to 7 days. */
function bakeSecondsOf(input: string, required = false): Check<number> {
  const t = input.trim();
  if (t === '') {
    return required ? { error: 'Expected a bake time in minutes' } : {};
  }
  const seconds = Number(t) * 60;
  const whole = Math.round(seconds);
  if (
    !Number.isFinite(seconds) ||
    Math.abs(seconds - whole) > 1e-6 ||
    whole < 0 ||
    whole > MAX_BAKE_MINUTES * 60
  ) {
    return {
      error: `Expected minutes from 0 to ${MAX_BAKE_MINUTES} (7 days), in whole seconds`,
    };
  }
  return { value: whole };
}

function listOf(
  input: string,
  check?: (value: string) => string | undefined,
): Check<string[]> {
  const values = input
    .split(',')
    .map(v => v.trim())
    .filter(v => v !== '');
  if (values.length === 0) return {};
  if (values.length > MAX_LIST) {
    return { error: `Expected at most ${MAX_LIST} values` };
  }
  const long = values.find(v => v.length > MAX_NAME);
  if (long) {
    return { error: `Expected values of at most ${MAX_NAME} characters` };
  }
  for (const v of values) {
    const error = check?.(v);
    if (error) return { error };
  }
  return { value: values };
}

function tagsOf(input: string): Check<Record<string, string>> {
  const entries = input
    .split(',')
    .map(v => v.trim())
    .filter(v => v !== '');
  if (entries.length === 0) return {};
  const tags: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    const key = at < 0 ? '' : entry.slice(0, at).trim();
    const value = at < 0 ? '' : entry.slice(at + 1).trim();
    if (!key) {
      return {
        error: `Expected key=value (key=* for any value), got "${entry}"`,
      };
    }
    if (key.length > MAX_NAME || value.length > MAX_NAME) {
      return {
        error: `Expected keys and values of at most ${MAX_NAME} characters`,
      };
    }
    if (key in tags) {
      return { error: `The tag ${key} is given twice` };
    }
    tags[key] = value;
  }
  return { value: tags };
}

const accountCheck = (v: string) =>
  AWS_ACCOUNT_ID_PATTERN.test(v)
    ? undefined
    : `Expected 12-digit AWS account ids, got "${v}"`;

/**
 * The policy the fields make, or what is wrong with them by field: the
 * backend's rules (rolloutSchemas.ts, validateWavePolicy), so that what
 * passes here is not refused for its shape there.
 */
export function wavePolicyOf(fields: WavePolicyFields): {
  policy?: WavePolicy;
  errors: WavePolicyErrors;
} {
  const errors: WavePolicyErrors = {};
  const take = <T>(field: string, check: Check<T>): T | undefined => {
    if (check.error) errors[field] = check.error;
    return check.value;
  };

  if (fields.type === 'explicit') {
    if (fields.waves.length === 0) {
      errors.waves = 'Add at least one wave';
    } else if (fields.waves.length > MAX_WAVES) {
      errors.waves = `Expected at most ${MAX_WAVES} waves`;
    }
    const seen = new Set<string>();
    const waves: ExplicitWave[] = fields.waves.map((w, i) => {
      const at = `waves.${i}`;
      const name = w.name.trim();
      if (!name) {
        errors[`${at}.name`] = 'Give the wave a name';
      } else if (name.length > MAX_NAME) {
        errors[`${at}.name`] = `Expected at most ${MAX_NAME} characters`;
      } else if (seen.has(name)) {
        errors[`${at}.name`] = 'Another wave has this name';
      }
      seen.add(name);
      const bakeSeconds = take(
        `${at}.bakeMinutes`,
        bakeSecondsOf(w.bakeMinutes, true),
      );
      const selector: ClusterSelector = {};
      for (const f of LIST_SELECTOR_FIELDS) {
        const values = take(
          `${at}.selector.${f}`,
          listOf(w.selector[f], f === 'accounts' ? accountCheck : undefined),
        );
        if (values) selector[f] = values;
      }
      const tags = take(`${at}.selector.tags`, tagsOf(w.selector.tags));
      if (tags) selector.tags = tags;
      return {
        name,
        selector,
        bakeSeconds: bakeSeconds ?? 0,
        ...(w.requiresApproval !== undefined
          ? { requiresApproval: w.requiresApproval }
          : {}),
      };
    });
    return Object.keys(errors).length > 0
      ? { errors }
      : { policy: { type: 'explicit', waves }, errors };
  }

  const a = fields.automatic;
  const policy: AutomaticWavePolicy = { type: 'automatic' };
  const set = <K extends keyof AutomaticWavePolicy>(
    key: K,
    value: AutomaticWavePolicy[K] | undefined,
  ) => {
    if (value !== undefined) policy[key] = value;
  };
  const cells = { min: 1, max: MAX_CELLS, whole: true };
  set('firstWaveSize', take('firstWaveSize', numberOf(a.firstWaveSize, cells)));
  set(
    'growthFactor',
    take('growthFactor', numberOf(a.growthFactor, { min: 1, max: 100 })),
  );
  set('maxWaveSize', take('maxWaveSize', numberOf(a.maxWaveSize, cells)));
  set(
    'initialBakeSeconds',
    take('initialBakeMinutes', bakeSecondsOf(a.initialBakeMinutes)),
  );
  set(
    'bakeShrinkFactor',
    take(
      'bakeShrinkFactor',
      numberOf(a.bakeShrinkFactor, { min: 0, max: 1, above: true }),
    ),
  );
  set(
    'minBakeSeconds',
    take('minBakeMinutes', bakeSecondsOf(a.minBakeMinutes)),
  );
  set(
    'productionAfterWaves',
    take(
      'productionAfterWaves',
      numberOf(a.productionAfterWaves, { min: 0, max: 100, whole: true }),
    ),
  );
  set(
    'productionEnvironments',
    take('productionEnvironments', listOf(a.productionEnvironments)),
  );
  set('environmentOrder', take('environmentOrder', listOf(a.environmentOrder)));
  set('approvalBefore', take('approvalBefore', listOf(a.approvalBefore)));
  set('approvalBeforeProduction', a.approvalBeforeProduction);
  if (
    policy.firstWaveSize !== undefined &&
    policy.maxWaveSize !== undefined &&
    policy.firstWaveSize > policy.maxWaveSize &&
    !errors.firstWaveSize
  ) {
    errors.firstWaveSize = `Expected at most the largest wave (${policy.maxWaveSize})`;
  }
  return Object.keys(errors).length > 0 ? { errors } : { policy, errors };
}

function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((v, i) => sameJson(v, b[i]))
    );
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).filter(k => (a as any)[k] !== undefined);
    const kb = Object.keys(b).filter(k => (b as any)[k] !== undefined);
    return (
      ka.length === kb.length &&
      ka.every(k => sameJson((a as any)[k], (b as any)[k]))
    );
  }
  return a === b;
}

/**
 * Whether the form shows a policy whole: saving it unchanged gives it
 * back as it was. Not so for the few parts it has no input for (an empty
 * list, a name holding a comma, a tag key holding "=", a field it does
 * not know); such a policy is edited as JSON.
 */
export function formShowsWhole(policy: WavePolicy): boolean {
  if (policy?.type !== 'automatic' && policy?.type !== 'explicit') {
    return false;
  }
  const { policy: back } = wavePolicyOf(wavePolicyFields(policy));
  return back !== undefined && sameJson(back, policy);
}
