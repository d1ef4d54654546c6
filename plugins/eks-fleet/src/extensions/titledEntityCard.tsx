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

import { Entity } from '@backstage/catalog-model';
import { FilterPredicate } from '@backstage/filter-predicates';
import {
  EntityCardBlueprint,
  EntityCardType,
} from '@backstage/plugin-catalog-react/alpha';
import { z } from 'zod';

/** A card component whose title app config may set. */
export type TitledCard = (props: { title?: string }) => JSX.Element;

/**
 * An entity card of the plugin, with a `title` in its config:
 *
 * ```yaml
 * app:
 *   extensions:
 *     - entity-card:eks-fleet/cost:
 *         config:
 *           title: Spend
 * ```
 *
 * The card's component loads on first render.
 */
export function titledEntityCard<TName extends string>(options: {
  name: TName;
  type: EntityCardType;
  filter: FilterPredicate | ((entity: Entity) => boolean);
  card: () => Promise<TitledCard>;
}) {
  return EntityCardBlueprint.makeWithOverrides({
    name: options.name,
    configSchema: { title: z.string().optional() },
    factory(originalFactory, { config }) {
      return originalFactory({
        type: options.type,
        filter: options.filter,
        loader: () =>
          options.card().then(Card => <Card title={config.title} />),
      });
    },
  });
}
