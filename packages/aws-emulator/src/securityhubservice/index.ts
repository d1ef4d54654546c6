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

import { FleetCluster, FleetFinding } from '../fleet/types';
import { FleetState } from '../state/FleetState';
import {
  AwsServiceError,
  RequestContext,
  ServiceDefinition,
} from '../server/types';

/**
 * AWS Security Hub, GetFindings: each cluster's Kyverno policy violations
 * as Kyverno's Security Hub integration sends them (ASFF), for the caller's
 * account and region, or every account and region for the management
 * account (the Security Hub administrator with cross-region aggregation).
 */

const SEVERITY_NORMALIZED: Record<FleetFinding['severity'], number> = {
  INFORMATIONAL: 0,
  LOW: 1,
  MEDIUM: 40,
  HIGH: 70,
  CRITICAL: 90,
};

const STRING_COMPARISONS = new Set([
  'EQUALS',
  'PREFIX',
  'NOT_EQUALS',
  'PREFIX_NOT_EQUALS',
  'CONTAINS',
  'NOT_CONTAINS',
]);

const invalidInput = (message: string) =>
  new AwsServiceError('InvalidInputException', message, 400);

function asff(cluster: FleetCluster, finding: FleetFinding) {
  const arn = `arn:aws:eks:${cluster.region}:${cluster.accountId}:cluster/${cluster.name}`;
  const object = `${finding.resource.kind}/${
    finding.resource.namespace ? `${finding.resource.namespace}/` : ''
  }${finding.resource.name}`;
  return {
    SchemaVersion: '2018-10-08',
    Id: finding.id,
    ProductArn: `arn:aws:securityhub:${cluster.region}:${cluster.accountId}:product/${cluster.accountId}/default`,
    ProductName: 'Kyverno',
    CompanyName: 'Kyverno',
    Region: cluster.region,
    GeneratorId: finding.policy,
    AwsAccountId: cluster.accountId,
    Types: ['Software and Configuration Checks/Kubernetes Policies'],
    FirstObservedAt: finding.createdAt,
    LastObservedAt: finding.updatedAt,
    CreatedAt: finding.createdAt,
    UpdatedAt: finding.updatedAt,
    Severity: {
      Label: finding.severity,
      Normalized: SEVERITY_NORMALIZED[finding.severity],
      Original: finding.severity,
    },
    Title: finding.title,
    Description: finding.description,
    ProductFields: {
      'kyverno/policy': finding.policy,
      'kyverno/rule': finding.rule,
      'aws/securityhub/ProductName': 'Kyverno',
      'aws/securityhub/CompanyName': 'Kyverno',
    },
    Resources: [
      {
        Type: 'AwsEksCluster',
        Id: arn,
        Partition: 'aws',
        Region: cluster.region,
        Tags: cluster.tags,
        Details: {
          AwsEksCluster: {
            Name: cluster.name,
            Arn: arn,
            Version: cluster.version,
            Status: cluster.status,
          },
        },
      },
      {
        Type: 'Other',
        Id: `${arn}/${object}`,
        Partition: 'aws',
        Region: cluster.region,
        Details: {
          Other: {
            Kind: finding.resource.kind,
            ...(finding.resource.namespace
              ? { Namespace: finding.resource.namespace }
              : {}),
            Name: finding.resource.name,
            Policy: finding.policy,
            Rule: finding.rule,
          },
        },
      },
    ],
    Compliance: { Status: 'FAILED' },
    Workflow: { Status: finding.workflowStatus ?? 'NEW' },
    WorkflowState: finding.workflowStatus ?? 'NEW',
    RecordState: finding.workflowStatus === 'RESOLVED' ? 'ARCHIVED' : 'ACTIVE',
  };
}

type Finding = ReturnType<typeof asff>;

/** The values a filter field reads from a finding. */
function fieldValues(finding: Finding, field: string): unknown[] {
  switch (field) {
    case 'ResourceId':
      return finding.Resources.map(r => r.Id);
    case 'ResourceType':
      return finding.Resources.map(r => r.Type);
    case 'ResourceRegion':
      return finding.Resources.map(r => r.Region);
    case 'ResourceTags':
      return [finding.Resources[0].Tags];
    case 'SeverityLabel':
      return [finding.Severity.Label];
    case 'WorkflowStatus':
      return [finding.Workflow.Status];
    case 'ComplianceStatus':
      return [finding.Compliance.Status];
    case 'Type':
      return finding.Types;
    default:
      return [(finding as Record<string, unknown>)[field]];
  }
}

function matchString(
  value: unknown,
  filter: { Value?: string; Comparison?: string },
): boolean {
  const actual = typeof value === 'string' ? value : '';
  const wanted = filter.Value ?? '';
  switch (filter.Comparison) {
    case 'PREFIX':
      return actual.startsWith(wanted);
    case 'NOT_EQUALS':
      return actual !== wanted;
    case 'PREFIX_NOT_EQUALS':
      return !actual.startsWith(wanted);
    case 'CONTAINS':
      return actual.includes(wanted);
    case 'NOT_CONTAINS':
      return !actual.includes(wanted);
    default:
      return actual === wanted;
  }
}

const NEGATIVE = new Set(['NOT_EQUALS', 'PREFIX_NOT_EQUALS', 'NOT_CONTAINS']);

function matchesFilters(
  finding: Finding,
  filters: Record<string, any>,
  now: Date,
): boolean {
  for (const [field, conditions] of Object.entries(filters)) {
    if (!Array.isArray(conditions) || conditions.length === 0) {
      continue;
    }
    if (
      field === 'CreatedAt' ||
      field === 'UpdatedAt' ||
      field === 'FirstObservedAt' ||
      field === 'LastObservedAt'
    ) {
      const at = Date.parse(
        String((finding as Record<string, unknown>)[field]),
      );
      const ok = conditions.some(c => {
        if (c.DateRange) {
          const days = c.DateRange.Unit === 'DAYS' ? c.DateRange.Value : NaN;
          return at >= now.getTime() - days * 86_400_000;
        }
        const start = c.Start ? Date.parse(c.Start) : -Infinity;
        const end = c.End ? Date.parse(c.End) : Infinity;
        return at >= start && at <= end;
      });
      if (!ok) {
        return false;
      }
      continue;
    }
    if (field === 'ResourceTags') {
      const tags = finding.Resources[0].Tags as Record<string, string>;
      if (!conditions.some(c => matchString(tags[c.Key], c))) {
        return false;
      }
      continue;
    }
    if (field === 'SeverityNormalized') {
      const n = finding.Severity.Normalized;
      if (
        !conditions.some(
          c =>
            (c.Gte === undefined || n >= c.Gte) &&
            (c.Lte === undefined || n <= c.Lte) &&
            (c.Eq === undefined || n === c.Eq),
        )
      ) {
        return false;
      }
      continue;
    }
    const values = fieldValues(finding, field);
    // Positive conditions on a field are ORed; negative ones are ANDed, as Security Hub does.
    const positive = conditions.filter(c => !NEGATIVE.has(c.Comparison));
    const negative = conditions.filter(c => NEGATIVE.has(c.Comparison));
    if (
      positive.length > 0 &&
      !positive.some(c => values.some(v => matchString(v, c)))
    ) {
      return false;
    }
    if (!negative.every(c => values.every(v => matchString(v, c)))) {
      return false;
    }
  }
  return true;
}

const STRING_FILTERS = new Set([
  'Id',
  'ProductArn',
  'ProductName',
  'CompanyName',
  'GeneratorId',
  'AwsAccountId',
  'Region',
  'Type',
  'Title',
  'Description',
  'SeverityLabel',
  'WorkflowStatus',
  'RecordState',
  'ComplianceStatus',
  'ResourceId',
  'ResourceType',
  'ResourceRegion',
  'ResourceTags',
  'WorkflowState',
]);
const DATE_FILTERS = new Set([
  'CreatedAt',
  'UpdatedAt',
  'FirstObservedAt',
  'LastObservedAt',
]);

function checkFilters(filters: unknown): Record<string, any> {
  if (filters === undefined) {
    return {};
  }
  if (!filters || typeof filters !== 'object' || Array.isArray(filters)) {
    throw invalidInput('Filters must be an object of filter lists');
  }
  for (const [field, conditions] of Object.entries(
    filters as Record<string, unknown>,
  )) {
    if (!Array.isArray(conditions)) {
      throw invalidInput(`Filters.${field} must be a list`);
    }
    if (conditions.length > 20) {
      throw invalidInput(`Filters.${field} takes at most 20 conditions`);
    }
    if (STRING_FILTERS.has(field)) {
      for (const c of conditions as any[]) {
        if (!STRING_COMPARISONS.has(c?.Comparison)) {
          throw invalidInput(
            `Filters.${field}: Comparison must be one of ${[
              ...STRING_COMPARISONS,
            ].join(', ')}`,
          );
        }
      }
    } else if (!DATE_FILTERS.has(field) && field !== 'SeverityNormalized') {
      throw invalidInput(
        `Filters.${field} is not supported by this Security Hub`,
      );
    }
  }
  return filters as Record<string, any>;
}

export function createSecurityHubService(state: FleetState): ServiceDefinition {
  function getFindings(input: Record<string, any>, ctx: RequestContext) {
    const filters = checkFilters(input.Filters);
    const maxResults = input.MaxResults ?? 100;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100) {
      throw invalidInput('MaxResults must be a whole number from 1 to 100');
    }
    const administrator = ctx.accountId === state.fleet.managementAccountId;
    const clusters = state
      .allClusters()
      .filter(c => !c.deleted)
      .filter(c =>
        administrator
          ? true
          : c.accountId === ctx.accountId && c.region === ctx.region,
      );
    const now = state.now();
    let findings = clusters
      .flatMap(c => c.findings.map(f => asff(c, f)))
      .filter(f => matchesFilters(f, filters, now));
    const sort = Array.isArray(input.SortCriteria)
      ? input.SortCriteria[0]
      : undefined;
    const sortField: string = sort?.Field ?? 'UpdatedAt';
    const descending = (sort?.SortOrder ?? 'desc') === 'desc';
    findings = findings.sort((a, b) => {
      const x = String(
        sortField === 'SeverityNormalized'
          ? a.Severity.Normalized.toString().padStart(3, '0')
          : (a as any)[sortField] ?? '',
      );
      const y = String(
        sortField === 'SeverityNormalized'
          ? b.Severity.Normalized.toString().padStart(3, '0')
          : (b as any)[sortField] ?? '',
      );
      let order = a.Id.localeCompare(b.Id);
      if (x !== y) {
        order = x < y ? -1 : 1;
      }
      return descending ? -order : order;
    });
    let offset = 0;
    if (
      input.NextToken !== undefined &&
      input.NextToken !== null &&
      input.NextToken !== ''
    ) {
      const decoded = Buffer.from(
        String(input.NextToken),
        'base64url',
      ).toString('utf8');
      const n = Number(decoded.replace(/^f:/, ''));
      if (!decoded.startsWith('f:') || !Number.isInteger(n) || n < 0) {
        throw invalidInput('The NextToken value is not valid.');
      }
      offset = n;
    }
    const page = findings.slice(offset, offset + maxResults);
    const next =
      offset + maxResults < findings.length
        ? Buffer.from(`f:${offset + maxResults}`).toString('base64url')
        : undefined;
    return { Findings: page, ...(next ? { NextToken: next } : {}) };
  }

  return {
    signingName: 'securityhub',
    protocol: 'restJson1',
    routes: [{ method: 'POST', path: '/findings', operation: 'GetFindings' }],
    throttling: {
      code: 'ThrottlingException',
      status: 429,
      message: 'Rate exceeded',
    },
    serverError: {
      code: 'InternalException',
      status: 500,
      message: 'Internal service error.',
    },
    operations: { GetFindings: getFindings },
  };
}
