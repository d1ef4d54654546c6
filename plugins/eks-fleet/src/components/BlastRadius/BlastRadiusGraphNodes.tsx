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

import Box from '@mui/material/Box';
import { useTheme } from '@mui/material/styles';
import Typography from '@mui/material/Typography';
import {
  BaseEdge,
  Edge,
  EdgeProps,
  Handle,
  Node,
  NodeProps,
  Position,
} from '@xyflow/react';
import { memo } from 'react';
import { BlastRadiusGraphNode } from './blastRadiusGraph';
import { Point } from './blastRadiusLayout';
import { BlastRadiusNodePaint, edgePath } from './blastRadiusSvg';

/** How the graph's nodes and edges are drawn: entity cards, column titles, routed edges. */
export type Highlight = 'path' | 'dim' | undefined;

export interface EntityNodeData extends Record<string, unknown> {
  node: BlastRadiusGraphNode;
  paint: BlastRadiusNodePaint;
  highlight: Highlight;
}

export interface ColumnNodeData extends Record<string, unknown> {
  title: string;
}

export interface RouteEdgeData extends Record<string, unknown> {
  points: Point[];
  curve: boolean;
  highlight: Highlight;
}

const EntityNode = memo(function EntityNodeCard(
  props: NodeProps<Node<EntityNodeData>>,
) {
  const { node, paint, highlight } = props.data;
  const name = `${node.label}${node.sublabel ? ` (${node.sublabel})` : ''}`;
  return (
    <Box
      data-testid={`blast-node-${node.id}`}
      data-highlight={highlight ?? 'none'}
      title={name}
      sx={{
        width: props.width,
        height: props.height,
        boxSizing: 'border-box',
        display: 'flex',
        flexDirection: 'column',
        justifyContent: 'center',
        pl: '16px',
        pr: '8px',
        borderRadius: node.type === 'group' ? '14px' : '6px',
        border: `${node.type === 'origin' ? 3 : 1.5}px ${
          node.type === 'group' ? 'dashed' : 'solid'
        } ${paint.accent}`,
        boxShadow: `inset 6px 0 0 ${paint.accent}`,
        bgcolor: paint.background,
        cursor: 'pointer',
        opacity: highlight === 'dim' ? 0.3 : 1,
        outline: highlight === 'path' ? `3px solid ${paint.accent}` : 'none',
        outlineOffset: 2,
        transition: 'opacity 120ms',
      }}
    >
      <Handle
        type="target"
        position={Position.Left}
        isConnectable={false}
        style={{ opacity: 0 }}
      />
      <Box
        component="span"
        className="blast-node-label"
        sx={{
          fontSize: 15,
          lineHeight: '19px',
          fontWeight: node.type === 'origin' ? 700 : 500,
          color: paint.text,
          whiteSpace: 'nowrap',
          overflow: 'hidden',
          textOverflow: 'ellipsis',
        }}
      >
        {node.label}
      </Box>
      <Box
        component="span"
        className="blast-node-sublabel"
        sx={{
          fontSize: 13,
          lineHeight: '17px',
          color: paint.secondaryText,
          whiteSpace: 'nowrap',
          overflow: 'hidden',
          textOverflow: 'ellipsis',
        }}
      >
        {node.sublabel}
      </Box>
      <Handle
        type="source"
        position={Position.Right}
        isConnectable={false}
        style={{ opacity: 0 }}
      />
    </Box>
  );
});

function ColumnNode(props: NodeProps<Node<ColumnNodeData>>) {
  return (
    <Typography
      component="h3"
      className="blast-column-title"
      sx={{ fontSize: 14, fontWeight: 700, whiteSpace: 'nowrap', m: 0 }}
    >
      {props.data.title}
    </Typography>
  );
}

function RouteEdge(props: EdgeProps<Edge<RouteEdgeData>>) {
  const theme = useTheme();
  const highlight = props.data?.highlight;
  return (
    <BaseEdge
      id={props.id}
      path={edgePath(props.data?.points ?? [], props.data?.curve ?? false)}
      markerEnd={props.markerEnd}
      style={{
        stroke:
          highlight === 'path'
            ? theme.palette.primary.main
            : theme.palette.text.secondary,
        strokeWidth: highlight === 'path' ? 2.5 : 1.25,
        strokeDasharray:
          props.data?.curve && highlight !== 'path' ? '4 3' : undefined,
        opacity: highlight === 'dim' ? 0.12 : 0.85,
      }}
    />
  );
}

export const NODE_TYPES = { entity: EntityNode, column: ColumnNode };
export const EDGE_TYPES = { route: RouteEdge };
