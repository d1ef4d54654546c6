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

import { getBezierPath, Position } from '@xyflow/react';
import { BlastRadiusGraph, BlastRadiusGraphNode } from './blastRadiusGraph';
import { BlastRadiusLayout, Point } from './blastRadiusLayout';

/** How a node is painted, in the page and in an export alike. */
export interface BlastRadiusNodePaint {
  /** The stripe on the node's left and its border. */
  accent: string;
  background: string;
  text: string;
  secondaryText: string;
}

export interface BlastRadiusPalette {
  paint(node: BlastRadiusGraphNode): BlastRadiusNodePaint;
  edge: string;
  background: string;
  title: string;
}

/** An orthogonal route as an SVG path, its corners rounded. */
export function routePath(points: Point[], radius = 6): string {
  if (points.length === 0) {
    return '';
  }
  const parts = [`M ${points[0].x} ${points[0].y}`];
  for (let i = 1; i < points.length - 1; i++) {
    const [a, b, c] = [points[i - 1], points[i], points[i + 1]];
    const r = Math.min(
      radius,
      Math.hypot(b.x - a.x, b.y - a.y) / 2,
      Math.hypot(c.x - b.x, c.y - b.y) / 2,
    );
    const towards = (p: Point, q: Point, d: number) => {
      const length = Math.hypot(q.x - p.x, q.y - p.y) || 1;
      return {
        x: p.x + ((q.x - p.x) * d) / length,
        y: p.y + ((q.y - p.y) * d) / length,
      };
    };
    const before = towards(b, a, r);
    const after = towards(b, c, r);
    parts.push(
      `L ${before.x} ${before.y}`,
      `Q ${b.x} ${b.y} ${after.x} ${after.y}`,
    );
  }
  const last = points[points.length - 1];
  parts.push(`L ${last.x} ${last.y}`);
  return parts.join(' ');
}

/** An edge's path: ELK's orthogonal route, or a curve for one that skips columns. */
export function edgePath(points: Point[], curve: boolean): string {
  if (!curve || points.length < 2) {
    return routePath(points);
  }
  const [from, to] = [points[0], points[points.length - 1]];
  return getBezierPath({
    sourceX: from.x,
    sourceY: from.y,
    sourcePosition: Position.Right,
    targetX: to.x,
    targetY: to.y,
    targetPosition: Position.Left,
  })[0];
}

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, c => `&#${c.charCodeAt(0)};`);

/** Cut to what fits a node's width at the font's average glyph width. */
export function fitText(text: string, width: number, fontSize: number) {
  const max = Math.floor(width / (fontSize * 0.56));
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

const FONT = 'Helvetica, Arial, sans-serif';

/**
 * The drawing as a standalone SVG document: what an export writes, and
 * what the PNG export rasterises.
 */
export function blastRadiusSvg(
  graph: BlastRadiusGraph,
  layout: BlastRadiusLayout,
  palette: BlastRadiusPalette,
  title: string,
): string {
  const width = Math.ceil(layout.width);
  const height = Math.ceil(layout.height);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">`,
    `<title>${escapeXml(title)}</title>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="${palette.edge}"/></marker></defs>`,
    `<rect width="100%" height="100%" fill="${palette.background}"/>`,
  ];
  for (const column of layout.columns) {
    out.push(
      `<text x="${column.x}" y="${
        column.y + 20
      }" font-size="14" font-weight="700" fill="${palette.title}">${escapeXml(
        column.title,
      )}</text>`,
    );
  }
  for (const edge of graph.edges) {
    const route = layout.edges.get(edge.id);
    if (route) {
      const curve = layout.curves.has(edge.id);
      out.push(
        `<path d="${edgePath(route, curve)}" fill="none" stroke="${
          palette.edge
        }" stroke-width="${curve ? 1 : 1.5}"${
          curve ? ' stroke-dasharray="4 3"' : ''
        } marker-end="url(#arrow)"/>`,
      );
    }
  }
  for (const node of graph.nodes) {
    const box = layout.nodes.get(node.id);
    if (!box) {
      continue;
    }
    const paint = palette.paint(node);
    const text = box.width - 24;
    out.push(
      `<g transform="translate(${box.x} ${box.y})">`,
      `<rect width="${box.width}" height="${box.height}" rx="${
        node.type === 'group' ? 14 : 6
      }" fill="${paint.background}" stroke="${paint.accent}" stroke-width="${
        node.type === 'origin' ? 3 : 1.5
      }"${node.type === 'group' ? ' stroke-dasharray="5 3"' : ''}/>`,
      `<rect x="0" y="0" width="6" height="${box.height}" rx="3" fill="${paint.accent}"/>`,
      `<text x="16" y="19" font-size="15" font-weight="${
        node.type === 'origin' ? 700 : 500
      }" fill="${paint.text}">${escapeXml(
        fitText(node.label, text, 15),
      )}</text>`,
      `<text x="16" y="35" font-size="13" fill="${
        paint.secondaryText
      }">${escapeXml(fitText(node.sublabel, text, 13))}</text>`,
      `</g>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}

/** The SVG drawn on a canvas, as a PNG, at twice its size for sharp text. */
export async function svgToPng(svg: string, scale = 2): Promise<Blob> {
  // A data URL: the app's content security policy allows data: images, not blob: ones.
  const image = new Image();
  await new Promise<void>((resolve, reject) => {
    image.onload = () => resolve();
    image.onerror = () =>
      reject(new Error('The drawing could not be rendered'));
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  });
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(image.width * scale);
  canvas.height = Math.ceil(image.height * scale);
  const context = canvas.getContext('2d');
  if (!context) {
    throw new Error('This browser cannot draw on a canvas');
  }
  context.scale(scale, scale);
  context.drawImage(image, 0, 0);
  return await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob(
      blob =>
        blob ? resolve(blob) : reject(new Error('The PNG could not be made')),
      'image/png',
    ),
  );
}
