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

const ADDON_VERSION = /^v?(\d+)\.(\d+)\.(\d+)(?:-eksbuild\.(\d+))?$/;

/**
 * Orders EKS add-on versions such as "v1.11.4-eksbuild.14": by major,
 * minor, patch, then EKS build. Null when either is not in that form.
 */
export function compareAddonVersions(a: string, b: string): number | null {
  const x = ADDON_VERSION.exec(a.trim());
  const y = ADDON_VERSION.exec(b.trim());
  if (!x || !y) {
    return null;
  }
  for (let i = 1; i <= 4; i++) {
    const d = Number(x[i] ?? 0) - Number(y[i] ?? 0);
    if (d !== 0) {
      return Math.sign(d);
    }
  }
  return 0;
}
