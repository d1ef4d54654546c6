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
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
} from '@backstage/catalog-model';

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

/**
 * Checks an entity with the catalog's own policies and the Resource kind's
 * schema, as the catalog will when it processes it. Throws with the
 * catalog's message when it would be refused.
 */
export async function validateResourceEntity(entity: Entity): Promise<void> {
  const checked = await policy.enforce(entity);
  if (!checked) {
    throw new Error(
      `Entity ${entity.metadata?.name} was refused by the catalog policies`,
    );
  }
  const valid = await resourceEntityV1alpha1Validator.check(checked);
  if (!valid) {
    throw new Error(`Entity ${entity.metadata?.name} is not a Resource`);
  }
}
