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
 * An AWS account id: twelve digits, leading zeros included. The one
 * pattern every package of the suite checks account ids with.
 *
 * @public
 */
export const AWS_ACCOUNT_ID_PATTERN = /^\d{12}$/;

/**
 * Whether a value is an AWS account id (twelve digits).
 *
 * @public
 */
export function isAwsAccountId(value: unknown): value is string {
  return typeof value === 'string' && AWS_ACCOUNT_ID_PATTERN.test(value);
}
