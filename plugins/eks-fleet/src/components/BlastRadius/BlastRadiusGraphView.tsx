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
  DependencyGraph,
  DependencyGraphTypes,
} from '@backstage/core-components';
import { useTheme } from '@mui/material/styles';
import { useCallback } from 'react';
import { BlastRadiusGraph, BlastRadiusGraphNode } from './blastRadiusGraph';

export type BlastRadiusColouring = 'severity' | 'owner';

const OWNER_PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#bcbd22',
  '#7f7f7f',
  '#d62728',
];

/** A stable colour per owner. */
export function ownerColour(owner?: string): string {
  if (!owner) {
    return '#9e9e9e';
  }
  let hash = 0;
  for (let i = 0; i < owner.length; i++) {
    hash = (hash * 31 + owner.charCodeAt(i)) >>> 0;
  }
  return OWNER_PALETTE[hash % OWNER_PALETTE.length];
}

const WIDTH_PER_CHAR = 7;
const NODE_HEIGHT = 40;

/**
 * The blast radius as a graph (Backstage's DependencyGraph): left to
 * right, teams and systems, the cluster, then the workloads and clusters
 * it takes down. Colour by severity (production red) or by owner; an
 * entity opens its page, a group opens in place.
 */
export function BlastRadiusGraphView(props: {
  graph: BlastRadiusGraph;
  colouring: BlastRadiusColouring;
  onEntityClick: (node: BlastRadiusGraphNode) => void;
  onGroupClick: (group: string) => void;
}) {
  const theme = useTheme();
  const { colouring, onEntityClick, onGroupClick } = props;
  const fill = useCallback(
    (node: BlastRadiusGraphNode) => {
      if (node.type === 'origin') {
        return theme.palette.primary.main;
      }
      if (colouring === 'owner') {
        return ownerColour(node.owner);
      }
      return node.production
        ? theme.palette.error.main
        : theme.palette.grey[500];
    },
    [colouring, theme],
  );
  const renderNode = useCallback(
    ({ node }: DependencyGraphTypes.RenderNodeProps<BlastRadiusGraphNode>) => {
      const width = Math.min(
        260,
        24 +
          Math.max(node.label.length, node.sublabel.length * 0.85) *
            WIDTH_PER_CHAR,
      );
      const onClick = () =>
        node.type === 'group' ? onGroupClick(node.group!) : onEntityClick(node);
      const name = `${node.label}${node.sublabel ? ` (${node.sublabel})` : ''}`;
      return (
        <g
          role="button"
          tabIndex={0}
          aria-label={name}
          data-testid={`blast-node-${node.id}`}
          onClick={onClick}
          onKeyDown={e => {
            if (e.key === 'Enter' || e.key === ' ') {
              onClick();
            }
          }}
          style={{ cursor: 'pointer' }}
        >
          <rect
            width={width}
            height={NODE_HEIGHT}
            rx={node.type === 'group' ? 18 : 6}
            fill={fill(node)}
            stroke={
              node.type === 'origin'
                ? theme.palette.primary.dark
                : theme.palette.background.paper
            }
            strokeWidth={node.type === 'origin' ? 3 : 1}
            strokeDasharray={node.type === 'group' ? '4 2' : undefined}
          />
          <text
            x={width / 2}
            y={16}
            textAnchor="middle"
            fill="#fff"
            fontSize={12}
            fontWeight={node.type === 'origin' ? 700 : 500}
          >
            {node.label}
          </text>
          <text
            x={width / 2}
            y={31}
            textAnchor="middle"
            fill="#fff"
            fontSize={10}
          >
            {node.sublabel}
          </text>
          <title>{name}</title>
        </g>
      );
    },
    [fill, onEntityClick, onGroupClick, theme],
  );
  return (
    <DependencyGraph<BlastRadiusGraphNode, {}>
      nodes={props.graph.nodes}
      edges={props.graph.edges}
      renderNode={renderNode}
      direction={DependencyGraphTypes.Direction.LEFT_RIGHT}
      nodeMargin={12}
      rankMargin={80}
      paddingX={16}
      paddingY={16}
      showArrowHeads
      fit="grow"
      zoom="enable-on-click"
      style={{ minHeight: 360 }}
    />
  );
}
