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

import { Theme } from '@mui/material/styles';
import { BlastRadiusGraphNode } from './blastRadiusGraph';
import { BlastRadiusNodePaint, BlastRadiusPalette } from './blastRadiusSvg';

export type BlastRadiusColouring = 'severity' | 'owner';

/** Owner colours, each dark enough for a border and stripe on paper. */
const OWNER_PALETTE = [
  '#1f5f99',
  '#b35806',
  '#2e7d32',
  '#6a3d9a',
  '#8c4b2f',
  '#ad1457',
  '#00796b',
  '#5d6b00',
  '#455a64',
  '#c62828',
];

/** A stable colour per owner. */
export function ownerColour(owner?: string): string {
  if (!owner) {
    return '#757575';
  }
  let hash = 0;
  for (let i = 0; i < owner.length; i++) {
    hash = (hash * 31 + owner.charCodeAt(i)) >>> 0;
  }
  return OWNER_PALETTE[hash % OWNER_PALETTE.length];
}

export function blastRadiusPalette(
  theme: Theme,
  colouring: BlastRadiusColouring,
): BlastRadiusPalette {
  return {
    paint: (node: BlastRadiusGraphNode): BlastRadiusNodePaint => {
      let accent: string;
      if (node.type === 'origin') {
        accent = theme.palette.primary.main;
      } else if (colouring === 'owner') {
        accent = ownerColour(node.owner);
      } else {
        accent = node.production
          ? theme.palette.error.main
          : theme.palette.grey[600];
      }
      return {
        accent,
        background: theme.palette.background.paper,
        text: theme.palette.text.primary,
        secondaryText: theme.palette.text.secondary,
      };
    },
    edge: theme.palette.text.secondary,
    background: theme.palette.background.paper,
    title: theme.palette.text.primary,
  };
}
