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

import { useTheme } from '@mui/material/styles';

/** One day of a daily chart; a null value is a day without data. */
export interface DailyChartPoint {
  date: string;
  value: number | null;
  /** What the day's tooltip says, e.g. "2026-11-20: 99.95%". */
  label: string;
}

/** @public */
export interface DailyChartProps {
  points: DailyChartPoint[];
  /** What the chart shows, for screen readers. */
  title: string;
  /** The lowest and highest value the chart spans; default 0 to the largest. */
  domain?: [number, number];
  /** A line across the chart, e.g. the SLO objective. */
  threshold?: { value: number; label: string };
  /** Which side of the threshold is bad: days there are drawn in the error colour. */
  badWhen?: 'below' | 'above';
  height?: number;
}

const WIDTH = 300;

/**
 * A small bar chart of daily figures in plain SVG (no chart library): one
 * bar per day, a dashed threshold, tooltips per day, the theme's colours.
 */
export function DailyChart(props: DailyChartProps) {
  const { points, title, threshold, badWhen = 'below', height = 64 } = props;
  const theme = useTheme();
  const values = points
    .map(p => p.value)
    .filter((v): v is number => v !== null);
  const [low, high] = props.domain ?? [0, Math.max(0, ...values)];
  const span = high - low || 1;
  const y = (value: number) =>
    height - ((Math.min(Math.max(value, low), high) - low) / span) * height;
  const slot = WIDTH / Math.max(points.length, 1);
  const barWidth = Math.max(slot * 0.7, 1);
  const isBad = (value: number) =>
    threshold !== undefined &&
    (badWhen === 'below' ? value < threshold.value : value > threshold.value);

  return (
    <svg
      role="img"
      data-testid="daily-chart"
      aria-label={title}
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      height={height}
      preserveAspectRatio="none"
      style={{ display: 'block' }}
    >
      <title>{title}</title>
      {points.map((point, i) => {
        const x = i * slot + (slot - barWidth) / 2;
        if (point.value === null) {
          return (
            <rect
              key={point.date}
              x={x}
              y={height - 1}
              width={barWidth}
              height={1}
              fill={theme.palette.text.disabled}
            >
              <title>{point.label}</title>
            </rect>
          );
        }
        const top = y(point.value);
        return (
          <rect
            key={point.date}
            data-date={point.date}
            x={x}
            y={top}
            width={barWidth}
            height={Math.max(height - top, 1)}
            fill={
              isBad(point.value)
                ? theme.palette.error.main
                : theme.palette.primary.main
            }
          >
            <title>{point.label}</title>
          </rect>
        );
      })}
      {threshold && (
        <line
          x1={0}
          x2={WIDTH}
          y1={y(threshold.value)}
          y2={y(threshold.value)}
          stroke={theme.palette.warning.main}
          strokeDasharray="4 3"
          strokeWidth={1}
          vectorEffect="non-scaling-stroke"
        >
          <title>{threshold.label}</title>
        </line>
      )}
    </svg>
  );
}
