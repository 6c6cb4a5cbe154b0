// A Chart.js line chart mounted through {@attach}: `<canvas {@attach lineChart(() => spec)}>`.
// The chart is created once per canvas; when the spec's data changes it is updated in place
// (no animation), so callers can feed it throttled live data without re-creating anything.
import {
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Title,
  Tooltip,
  type ChartDataset,
} from 'chart.js';
import type { Attachment } from 'svelte/attachments';
import { untrack } from 'svelte';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Title, Tooltip, Filler);

export interface LineSeries {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color?: string;
  dashed?: boolean;
  /** Drawn faint (raw values behind a smoothed line). */
  faint?: boolean;
}

export interface LineChartSpec {
  series: LineSeries[];
  xLabel: string;
  yLabel: string;
  title?: string;
  logY?: boolean;
}

const PALETTE = ['#4e79a7', '#e15759', '#59a14f', '#f28e2b', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7', '#9c755f', '#bab0ac'];

export function seriesColor(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

function toDatasets(spec: LineChartSpec): ChartDataset<'line', { x: number; y: number }[]>[] {
  return spec.series.map((s, i) => {
    const n = Math.min(s.x.length, s.y.length);
    const data = new Array<{ x: number; y: number }>(n);
    for (let k = 0; k < n; k++) data[k] = { x: s.x[k]!, y: s.y[k]! };
    const color = s.color ?? seriesColor(i);
    return {
      label: s.label,
      data,
      borderColor: s.faint ? `${color}40` : color,
      backgroundColor: color,
      borderWidth: s.faint ? 1 : 1.6,
      borderDash: s.dashed ? [5, 4] : [],
      pointRadius: n < 30 ? 2 : 0,
      tension: 0,
    };
  });
}

function textColor(): string {
  return getComputedStyle(document.documentElement).getPropertyValue('--fg').trim() || '#333';
}

/** The attachment factory. `get` is read reactively: its data updates the chart in place. */
export function lineChart(get: () => LineChartSpec): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const first = untrack(get);
    const fg = textColor();
    const chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: toDatasets(first) },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', intersect: false },
        plugins: {
          legend: { labels: { color: fg, boxWidth: 12 } },
          title: { display: !!first.title, text: first.title ?? '', color: fg },
          tooltip: { enabled: true },
        },
        scales: {
          x: { type: 'linear', title: { display: true, text: first.xLabel, color: fg }, ticks: { color: fg } },
          y: { type: first.logY ? 'logarithmic' : 'linear', title: { display: true, text: first.yLabel, color: fg }, ticks: { color: fg } },
        },
      },
    });
    $effect(() => {
      const spec = get();
      chart.data.datasets = toDatasets(spec);
      chart.update('none');
    });
    return () => chart.destroy();
  };
}
