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

/**
 * What the emulator reads from a request's SigV4 signature: who signed it
 * and for which region and service. The signature itself is not checked
 * (the emulator knows no secrets); the credential scope is what routes the
 * request, as the AWS SDK and the AWS CLI both send it on every call.
 */
export interface SigningScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const CREDENTIAL_PATTERN =
  /Credential=([^/,\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/;

/**
 * Reads the credential scope from an Authorization header
 * ("AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/eks/aws4_request,
 * SignedHeaders=..., Signature=...") or a presigned URL's X-Amz-Credential.
 */
export function parseSigningScope(
  authorization: string | undefined,
  query?: URLSearchParams,
): SigningScope | undefined {
  if (authorization) {
    if (!authorization.startsWith('AWS4-HMAC-SHA256 ')) {
      return undefined;
    }
    const match = CREDENTIAL_PATTERN.exec(authorization);
    if (!match) {
      return undefined;
    }
    return {
      accessKeyId: match[1],
      date: match[2],
      region: match[3],
      service: match[4],
    };
  }
  const credential = query?.get('X-Amz-Credential');
  if (credential) {
    const [accessKeyId, date, region, service, terminator] =
      credential.split('/');
    if (accessKeyId && date && region && service && terminator) {
      return { accessKeyId, date, region, service };
    }
  }
  return undefined;
}

const ACCOUNT_KEY_PATTERN = /^(?:AKIA|ASIA)(\d{12})/;

/**
 * The account an access key belongs to. Keys that start with AKIA or ASIA
 * followed by 12 digits belong to that account (STS AssumeRole hands out
 * such keys for the role's account); any other key, such as the "test" that
 * local tools use, belongs to the fleet's management account.
 */
export function accountOfAccessKey(
  accessKeyId: string,
  managementAccountId: string,
): { accountId: string; named: boolean } {
  const match = ACCOUNT_KEY_PATTERN.exec(accessKeyId);
  return match
    ? { accountId: match[1], named: true }
    : { accountId: managementAccountId, named: false };
}
