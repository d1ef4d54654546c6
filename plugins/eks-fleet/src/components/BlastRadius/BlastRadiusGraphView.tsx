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

import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/frontend-plugin-api';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { useTheme } from '@mui/material/styles';
import {
  Edge,
  Node,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import {
  KeyboardEvent,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  BlastRadiusGraph,
  BlastRadiusGraphNode,
  pathsToOrigin,
} from './blastRadiusGraph';
import { BlastRadiusLayout, layoutBlastRadiusGraph } from './blastRadiusLayout';
import { blastRadiusSvg, svgToPng } from './blastRadiusSvg';
import { blastRadiusPalette, BlastRadiusColouring } from './blastRadiusPalette';
import { EDGE_TYPES, Highlight, NODE_TYPES } from './BlastRadiusGraphNodes';
import { downloadFile } from '../downloadFile';

export type { BlastRadiusColouring } from './blastRadiusPalette';

const FIT_PADDING = 0.03;

export interface BlastRadiusGraphViewProps {
  graph: BlastRadiusGraph;
  colouring: BlastRadiusColouring;
  /** Names the exports and the drawing. */
  title: string;
  onEntityClick: (node: BlastRadiusGraphNode) => void;
  onGroupClick: (group: string) => void;
}

function GraphCanvas(props: BlastRadiusGraphViewProps) {
  const { graph, colouring, onEntityClick, onGroupClick, title } = props;
  const theme = useTheme();
  const flow = useReactFlow();
  const alertApi = useApi(alertApiRef);
  const frame = useRef<HTMLDivElement>(null);
  const [fullScreen, setFullScreen] = useState(false);
  const [aspectRatio, setAspectRatio] = useState<number>();
  const [hovered, setHovered] = useState<string>();

  // The layout fits the canvas's shape: measured now, and again when it
  // changes much (full screen, a window resized).
  useLayoutEffect(() => {
    const element = frame.current;
    if (!element) {
      return undefined;
    }
    const measure = () => {
      const { width, height } = element.getBoundingClientRect();
      // Unmeasured (not laid out yet): a desktop screen's canvas.
      const ratio =
        width > 0 && height > 0 ? Math.round((width / height) * 4) / 4 : 1.75;
      setAspectRatio(previous => (previous === ratio ? previous : ratio));
    };
    measure();
    const observer =
      typeof ResizeObserver === 'undefined'
        ? undefined
        : new ResizeObserver(measure);
    observer?.observe(element);
    return () => observer?.disconnect();
  }, []);

  const layoutState = useAsync(
    async () =>
      aspectRatio ? layoutBlastRadiusGraph(graph, { aspectRatio }) : undefined,
    [graph, aspectRatio],
  );
  const layout: BlastRadiusLayout | undefined = layoutState.value;
  const palette = useMemo(
    () => blastRadiusPalette(theme, colouring),
    [theme, colouring],
  );
  const onPath = useMemo(
    () => (hovered ? pathsToOrigin(graph, hovered) : undefined),
    [graph, hovered],
  );

  const nodes = useMemo((): Node[] => {
    if (!layout) {
      return [];
    }
    const entityNodes: Node[] = graph.nodes.flatMap(node => {
      const box = layout.nodes.get(node.id);
      if (!box) {
        return [];
      }
      let highlight: Highlight;
      if (onPath) {
        highlight = onPath.nodes.has(node.id) ? 'path' : 'dim';
      }
      return [
        {
          id: node.id,
          type: 'entity',
          position: { x: box.x, y: box.y },
          width: box.width,
          height: box.height,
          draggable: false,
          selectable: false,
          connectable: false,
          // Its name is its text: the label and the sublabel.
          ariaRole: 'button',
          data: { node, paint: palette.paint(node), highlight },
        },
      ];
    });
    const columns: Node[] = layout.columns.map(column => ({
      id: `column:${column.layer}`,
      type: 'column',
      position: { x: column.x, y: column.y },
      draggable: false,
      selectable: false,
      connectable: false,
      focusable: false,
      data: { title: column.title },
    }));
    return [...columns, ...entityNodes];
  }, [graph, layout, palette, onPath]);

  const edges = useMemo((): Edge[] => {
    if (!layout) {
      return [];
    }
    return graph.edges.flatMap(edge => {
      const points = layout.edges.get(edge.id);
      if (!points) {
        return [];
      }
      let highlight: Highlight;
      if (onPath) {
        highlight = onPath.edges.has(edge.id) ? 'path' : 'dim';
      }
      return [
        {
          id: edge.id,
          source: edge.from,
          target: edge.to,
          type: 'route',
          focusable: false,
          selectable: false,
          markerEnd: {
            type: 'arrowclosed' as const,
            width: 14,
            height: 14,
            color:
              highlight === 'path'
                ? theme.palette.primary.main
                : theme.palette.text.secondary,
          },
          data: { points, highlight, curve: layout.curves.has(edge.id) },
        },
      ];
    });
  }, [graph, layout, onPath, theme]);

  // Fit once a new layout is on the canvas.
  useEffect(() => {
    if (!layout) {
      return undefined;
    }
    const handle = requestAnimationFrame(() => {
      flow.fitView({ padding: FIT_PADDING });
    });
    return () => cancelAnimationFrame(handle);
  }, [layout, flow]);

  useEffect(() => {
    const onChange = () => {
      setFullScreen(
        document.fullscreenElement === frame.current?.parentElement,
      );
    };
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  const open = useCallback(
    (id: string) => {
      const node = graph.nodes.find(n => n.id === id);
      if (!node) {
        return;
      }
      if (node.type === 'group') {
        onGroupClick(node.group!);
      } else {
        onEntityClick(node);
      }
    },
    [graph, onEntityClick, onGroupClick],
  );
  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLDivElement>) => {
      if (event.key !== 'Enter' && event.key !== ' ') {
        return;
      }
      const target = (event.target as HTMLElement).closest?.(
        '.react-flow__node',
      );
      const id = target?.getAttribute('data-id');
      if (id && !id.startsWith('column:')) {
        event.preventDefault();
        open(id);
      }
    },
    [open],
  );

  const exportAs = useCallback(
    async (format: 'svg' | 'png') => {
      if (!layout) {
        return;
      }
      const svg = blastRadiusSvg(graph, layout, palette, title);
      const name = `blast-radius-${title.replace(/[^A-Za-z0-9_.-]+/g, '-')}`;
      try {
        downloadFile(
          `${name}.${format}`,
          format === 'svg'
            ? new Blob([svg], { type: 'image/svg+xml' })
            : await svgToPng(svg),
        );
      } catch (error) {
        alertApi.post({
          message: `The ${format.toUpperCase()} export failed: ${
            (error as Error).message
          }`,
          severity: 'error',
        });
      }
    },
    [graph, layout, palette, title, alertApi],
  );

  const toggleFullScreen = useCallback(() => {
    const element = frame.current?.parentElement;
    if (!element) {
      return;
    }
    if (document.fullscreenElement) {
      document.exitFullscreen?.();
    } else {
      element.requestFullscreen?.();
    }
  }, []);

  return (
    <Stack
      spacing={1}
      sx={{
        bgcolor: 'background.paper',
        ...(fullScreen
          ? { p: 2, height: '100vh', boxSizing: 'border-box' }
          : {}),
      }}
    >
      <Stack
        direction="row"
        spacing={1}
        flexWrap="wrap"
        useFlexGap
        alignItems="center"
        role="toolbar"
        aria-label="Graph view"
      >
        <Button
          size="small"
          variant="outlined"
          onClick={() => flow.fitView({ padding: FIT_PADDING, duration: 200 })}
        >
          Fit to screen
        </Button>
        <Button
          size="small"
          variant="outlined"
          onClick={() => flow.zoomIn({ duration: 150 })}
        >
          Zoom in
        </Button>
        <Button
          size="small"
          variant="outlined"
          onClick={() => flow.zoomOut({ duration: 150 })}
        >
          Zoom out
        </Button>
        <Button size="small" variant="outlined" onClick={toggleFullScreen}>
          {fullScreen ? 'Exit full screen' : 'Full screen'}
        </Button>
        <Box sx={{ flexGrow: 1 }} />
        <Button size="small" disabled={!layout} onClick={() => exportAs('png')}>
          Export PNG
        </Button>
        <Button size="small" disabled={!layout} onClick={() => exportAs('svg')}>
          Export SVG
        </Button>
      </Stack>
      <Box
        ref={frame}
        onKeyDown={onKeyDown}
        onFocus={event => {
          const id = (event.target as HTMLElement)
            .closest?.('.react-flow__node')
            ?.getAttribute('data-id');
          setHovered(id && !id.startsWith('column:') ? id : undefined);
        }}
        onBlur={() => setHovered(undefined)}
        data-testid="blast-canvas"
        data-fit-rows={layout?.rowsPerColumn}
        sx={{
          position: 'relative',
          height: fullScreen
            ? 'auto'
            : 'clamp(480px, calc(100vh - 340px), 1200px)',
          flexGrow: fullScreen ? 1 : undefined,
          border: 1,
          borderColor: 'divider',
          borderRadius: 1,
          '& .react-flow__node:focus-visible': {
            outline: `3px solid ${theme.palette.primary.main}`,
            outlineOffset: 2,
            borderRadius: '6px',
          },
          '& .react-flow__attribution a': { color: 'text.primary' },
        }}
      >
        {layoutState.error && (
          <ResponseErrorPanel
            error={layoutState.error}
            title="The graph could not be laid out"
          />
        )}
        {!layout && !layoutState.error && <Progress />}
        {layout && (
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={NODE_TYPES}
            edgeTypes={EDGE_TYPES}
            minZoom={0.05}
            maxZoom={2}
            nodesDraggable={false}
            nodesConnectable={false}
            elementsSelectable={false}
            edgesFocusable={false}
            zoomOnDoubleClick={false}
            onlyRenderVisibleElements={false}
            onNodeClick={(_event, node) => open(node.id)}
            onNodeMouseEnter={(_event, node) =>
              !node.id.startsWith('column:') && setHovered(node.id)
            }
            onNodeMouseLeave={() => setHovered(undefined)}
            aria-label={`Blast radius of ${title}`}
          />
        )}
      </Box>
    </Stack>
  );
}

/**
 * The blast radius as a graph: laid out by ELK in columns (the cluster,
 * the workloads by depth, their teams and systems, the downstream
 * clusters), drawn with React Flow: zoom, pan, fit, full screen; hovering
 * a node lights its paths back to the cluster; an entity opens its page, a
 * group opens in place; PNG and SVG exports of the drawing.
 */
export function BlastRadiusGraphView(props: BlastRadiusGraphViewProps) {
  return (
    <ReactFlowProvider>
      <GraphCanvas {...props} />
    </ReactFlowProvider>
  );
}
