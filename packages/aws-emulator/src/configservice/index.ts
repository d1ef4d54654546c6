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

import { createHash } from 'node:crypto';
import { FleetAggregator } from '../fleet/types';
import { FleetState } from '../state/FleetState';
import {
  AwsServiceError,
  RequestContext,
  ServiceDefinition,
} from '../server/types';
import {
  aggregate,
  Item,
  matches,
  orderRows,
  selectFieldNames,
  selectFields,
} from './evaluate';
import { IndexedItem, ItemStore } from './items';
import { Condition, parseQuery, Query, QuerySyntaxError } from './query';

const MAX_PAGE = 100;
const DEFAULT_PAGE = 25;
const DEFAULT_AGGREGATE_PAGE = 500;
const MAX_EXPRESSION = 4096;
const CACHE_SIZE = 64;

interface Scope {
  key: string;
  includes(item: Item): boolean;
}

interface Evaluated {
  generation: number;
  query: Query;
  names: string[];
  /** Items (serialized per page) or aggregate rows. */
  rows: Array<IndexedItem | Record<string, unknown>>;
  aggregated: boolean;
}

function invalid(code: string, message: string): AwsServiceError {
  return new AwsServiceError(code, message, 400);
}

/** The resource types a condition restricts to, when it does. */
function resourceTypesOf(
  condition: Condition | undefined,
): string[] | undefined {
  if (!condition) {
    return undefined;
  }
  switch (condition.type) {
    case 'compare':
      return condition.field === 'resourceType' &&
        condition.op === '=' &&
        typeof condition.value === 'string'
        ? [condition.value]
        : undefined;
    case 'in':
      return condition.field === 'resourceType' && !condition.negated
        ? condition.values.filter((v): v is string => typeof v === 'string')
        : undefined;
    case 'and': {
      const left = resourceTypesOf(condition.left);
      const right = resourceTypesOf(condition.right);
      if (left && right) {
        return left.filter(t => right.includes(t));
      }
      return left ?? right;
    }
    case 'or': {
      const left = resourceTypesOf(condition.left);
      const right = resourceTypesOf(condition.right);
      return left && right ? [...new Set([...left, ...right])] : undefined;
    }
    default:
      return undefined;
  }
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 16);
}

/**
 * AWS Config: advanced queries (SelectResourceConfig for the caller's
 * account and region, SelectAggregateResourceConfig through an aggregator
 * of the management account) and the aggregator descriptions a client
 * reads to tell a partial read from a complete one.
 */
export function createConfigService(state: FleetState): ServiceDefinition {
  const store = new ItemStore(state);
  const cache = new Map<string, Evaluated>();
  // Build the items now, not on the first query.
  store.items();

  const homeRegion = (accountId: string) =>
    state.fleet.accounts.find(a => a.accountId === accountId)?.regions[0];

  function findAggregator(name: unknown, ctx: RequestContext): FleetAggregator {
    if (typeof name !== 'string' || !/^[\w-]{1,256}$/.test(name)) {
      throw new AwsServiceError(
        'ValidationException',
        `1 validation error detected: Value '${String(
          name,
        )}' at 'configurationAggregatorName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\-]+`,
      );
    }
    const aggregator = state.fleet.aggregators.find(a => a.name === name);
    if (
      !aggregator ||
      ctx.accountId !== state.fleet.managementAccountId ||
      ctx.region !== aggregator.region
    ) {
      throw invalid(
        'NoSuchConfigurationAggregatorException',
        `The configuration aggregator '${name}' does not exist in account ${ctx.accountId}, region ${ctx.region}.`,
      );
    }
    return aggregator;
  }

  function sourcesOf(aggregator: FleetAggregator) {
    const accounts = aggregator.organization
      ? state.fleet.accounts.map(a => a.accountId)
      : aggregator.sourceAccountIds ?? [];
    const regions = aggregator.sourceRegions;
    return { accounts, regions };
  }

  function isFailing(accountId: string, region: string) {
    return state.faults.failingAggregatorSources.some(
      s =>
        s.accountId === accountId &&
        (!s.region || s.region === region || region === 'global'),
    );
  }

  function aggregatorScope(aggregator: FleetAggregator): Scope {
    const { accounts, regions } = sourcesOf(aggregator);
    const accountSet = new Set(accounts);
    const regionSet = regions ? new Set(regions) : undefined;
    const failing = state.faults.failingAggregatorSources;
    const droppedShare = state.faults.aggregatorDroppedShare;
    // The fault: the first accounts vanish from the aggregator's answers.
    const dropped = new Set(
      [...accountSet]
        .sort()
        .slice(0, Math.floor(accountSet.size * droppedShare)),
    );
    return {
      key: `aggregator/${aggregator.name}/${JSON.stringify(
        failing,
      )}/${droppedShare}`,
      includes(item) {
        const accountId = item.accountId as string;
        const region = item.awsRegion as string;
        if (!accountSet.has(accountId) || dropped.has(accountId)) {
          return false;
        }
        const effectiveRegion =
          region === 'global' ? homeRegion(accountId) ?? region : region;
        if (regionSet && !regionSet.has(effectiveRegion)) {
          return false;
        }
        return !isFailing(accountId, effectiveRegion);
      },
    };
  }

  function accountScope(ctx: RequestContext): Scope {
    const home = homeRegion(ctx.accountId);
    return {
      key: `account/${ctx.accountId}/${ctx.region}`,
      includes(item) {
        if (item.accountId !== ctx.accountId) {
          return false;
        }
        return (
          item.awsRegion === ctx.region ||
          (item.awsRegion === 'global' && ctx.region === home)
        );
      },
    };
  }

  function evaluate(
    expression: string,
    scope: Scope,
  ): { key: string; evaluated: Evaluated } {
    const key = `${scope.key}\n${expression}`;
    const generation = store.currentGeneration;
    const cached = cache.get(key);
    if (cached && cached.generation === generation) {
      cache.delete(key);
      cache.set(key, cached);
      return { key, evaluated: cached };
    }
    let query: Query;
    try {
      query = parseQuery(expression);
    } catch (error) {
      if (error instanceof QuerySyntaxError) {
        throw invalid(
          'InvalidExpressionException',
          `Invalid query: ${error.message}`,
        );
      }
      throw error;
    }
    const types = resourceTypesOf(query.where);
    const candidates = store
      .items(types)
      .filter(
        entry =>
          scope.includes(entry.item) &&
          (!query.where || matches(entry.item, query.where)),
      );
    const aggregated = query.select.some(s => s.type === 'aggregate');
    let rows: Evaluated['rows'];
    try {
      if (aggregated) {
        rows = orderRows(
          aggregate(
            candidates.map(c => c.item),
            query,
          ),
          query.orderBy,
        );
      } else if (query.orderBy.length > 0) {
        const projected = candidates.map(c => ({
          entry: c,
          row: selectFields(c.item, query.select),
        }));
        const order = new Map(projected.map(p => [p.row, p.entry]));
        rows = orderRows(
          projected.map(p => p.row),
          query.orderBy,
        ).map(r => order.get(r)!);
      } else {
        rows = candidates;
      }
    } catch (error) {
      if (error instanceof QuerySyntaxError) {
        throw invalid(
          'InvalidExpressionException',
          `Invalid query: ${error.message}`,
        );
      }
      throw error;
    }
    const evaluated: Evaluated = {
      generation,
      query,
      names: selectFieldNames(query),
      rows,
      aggregated,
    };
    cache.set(key, evaluated);
    if (cache.size > CACHE_SIZE) {
      cache.delete(cache.keys().next().value!);
    }
    return { key, evaluated };
  }

  function serialize(
    row: IndexedItem | Record<string, unknown>,
    evaluated: Evaluated,
  ): string {
    if (evaluated.aggregated) {
      return JSON.stringify(row);
    }
    const entry = row as IndexedItem;
    const text = JSON.stringify(
      selectFields(entry.item, evaluated.query.select),
    );
    const malformed = state.faults.malformedConfigItems;
    if (
      entry.malformed ||
      (malformed.length > 0 &&
        (malformed.includes('*') || malformed.includes(entry.clusterName)))
    ) {
      // The fault: an item whose configuration JSON is cut short.
      return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    }
    return text;
  }

  function page(
    input: Record<string, any>,
    scope: Scope,
    limitField: 'Limit' | 'MaxResults',
  ) {
    const expression = input.Expression;
    if (typeof expression !== 'string' || expression.length === 0) {
      throw new AwsServiceError(
        'ValidationException',
        "1 validation error detected: Value null at 'expression' failed to satisfy constraint: Member must not be null",
      );
    }
    if (expression.length > MAX_EXPRESSION) {
      throw new AwsServiceError(
        'ValidationException',
        `1 validation error detected: Value at 'expression' failed to satisfy constraint: Member must have length less than or equal to ${MAX_EXPRESSION}`,
      );
    }
    let requested = 0;
    for (const field of ['Limit', limitField]) {
      const value = input[field];
      if (value === undefined || value === null) {
        continue;
      }
      if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE) {
        throw invalid(
          'InvalidLimitException',
          `The ${field.toLowerCase()} ${JSON.stringify(
            value,
          )} is not valid: it must be a whole number from 0 to ${MAX_PAGE}.`,
        );
      }
      requested = requested || value;
    }
    const { key, evaluated } = evaluate(expression, scope);
    const tokenKey = hash(key);
    let offset = 0;
    if (
      input.NextToken !== undefined &&
      input.NextToken !== null &&
      input.NextToken !== ''
    ) {
      offset = decodeToken(input.NextToken, tokenKey);
    }
    const size =
      requested ||
      (evaluated.aggregated ? DEFAULT_AGGREGATE_PAGE : DEFAULT_PAGE);
    const rows = evaluated.rows.slice(offset, offset + size);
    const next =
      offset + size < evaluated.rows.length
        ? encodeToken(tokenKey, offset + size)
        : undefined;
    return {
      Results: rows.map(row => serialize(row, evaluated)),
      QueryInfo: { SelectFields: evaluated.names.map(Name => ({ Name })) },
      ...(next ? { NextToken: next } : {}),
    };
  }

  return {
    signingName: 'config',
    protocol: 'awsJson1_1',
    targetPrefix: 'StarlingDoveService',
    errorNamespace: 'com.amazonaws.configservice',
    throttling: {
      code: 'ThrottlingException',
      status: 400,
      message: 'Rate exceeded',
    },
    serverError: {
      code: 'InternalFailure',
      status: 500,
      message: 'An internal error occurred.',
    },
    operations: {
      SelectResourceConfig: (input, ctx) =>
        page(input, accountScope(ctx), 'Limit'),
      SelectAggregateResourceConfig: (input, ctx) =>
        page(
          input,
          aggregatorScope(
            findAggregator(input.ConfigurationAggregatorName, ctx),
          ),
          'MaxResults',
        ),
      DescribeConfigurationAggregators: (input, ctx) => {
        const names: unknown = input.ConfigurationAggregatorNames;
        const mine =
          ctx.accountId === state.fleet.managementAccountId
            ? state.fleet.aggregators.filter(a => a.region === ctx.region)
            : [];
        let selected = mine;
        if (Array.isArray(names) && names.length > 0) {
          selected = names.map(name => {
            const found = mine.find(a => a.name === name);
            if (!found) {
              throw invalid(
                'NoSuchConfigurationAggregatorException',
                `The configuration aggregator '${String(
                  name,
                )}' does not exist.`,
              );
            }
            return found;
          });
        }
        const created = new Date(
          Date.parse(
            state.fleet.clusters[0]?.createdAt ?? '2024-01-01T00:00:00Z',
          ),
        );
        return {
          ConfigurationAggregators: selected.map(a => ({
            ConfigurationAggregatorName: a.name,
            ConfigurationAggregatorArn: `arn:aws:config:${a.region}:${
              state.fleet.managementAccountId
            }:config-aggregator/config-aggregator-${hash(a.name)
              .toLowerCase()
              .replace(/[^a-z0-9]/g, '')
              .slice(0, 8)}`,
            ...(a.organization
              ? {
                  OrganizationAggregationSource: {
                    RoleArn: `arn:aws:iam::${state.fleet.managementAccountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
                    AllAwsRegions: !a.sourceRegions,
                    ...(a.sourceRegions ? { AwsRegions: a.sourceRegions } : {}),
                  },
                }
              : {
                  AccountAggregationSources: [
                    {
                      AccountIds: a.sourceAccountIds ?? [],
                      AllAwsRegions: !a.sourceRegions,
                      ...(a.sourceRegions
                        ? { AwsRegions: a.sourceRegions }
                        : {}),
                    },
                  ],
                }),
            CreationTime: created,
            LastUpdatedTime: created,
            CreatedBy: a.organization ? 'config.amazonaws.com' : undefined,
          })),
        };
      },
      DescribeConfigurationAggregatorSourcesStatus: (input, ctx) => {
        const aggregator = findAggregator(
          input.ConfigurationAggregatorName,
          ctx,
        );
        const { accounts, regions } = sourcesOf(aggregator);
        const wanted: unknown = input.UpdateStatus;
        const statuses =
          Array.isArray(wanted) && wanted.length > 0
            ? new Set(wanted)
            : undefined;
        const now = state.now();
        const list = accounts.flatMap(accountId => {
          const accountRegions =
            regions ??
            state.fleet.accounts.find(a => a.accountId === accountId)
              ?.regions ??
            [];
          return accountRegions.map(region => {
            const failed = isFailing(accountId, region);
            return {
              SourceId: accountId,
              SourceType: aggregator.organization ? 'ORGANIZATION' : 'ACCOUNT',
              AwsRegion: region,
              LastUpdateStatus: failed ? 'FAILED' : 'SUCCEEDED',
              LastUpdateTime: now,
              ...(failed
                ? {
                    LastErrorCode: 'AccessDeniedException',
                    LastErrorMessage: `AWS Config could not read account ${accountId} in ${region}: the aggregator is not authorized.`,
                  }
                : {}),
            };
          });
        });
        return {
          AggregatedSourceStatusList: statuses
            ? list.filter(s => statuses.has(s.LastUpdateStatus))
            : list,
        };
      },
    },
  };
}

function encodeToken(key: string, offset: number): string {
  return Buffer.from(JSON.stringify({ k: key, o: offset })).toString(
    'base64url',
  );
}

function decodeToken(token: unknown, key: string): number {
  const bad = () =>
    invalid('InvalidNextTokenException', 'The nextToken provided is invalid');
  if (typeof token !== 'string' || token.length > 1024) {
    throw bad();
  }
  let decoded: any;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (
    !decoded ||
    decoded.k !== key ||
    !Number.isInteger(decoded.o) ||
    decoded.o < 0
  ) {
    throw bad();
  }
  return decoded.o;
}
