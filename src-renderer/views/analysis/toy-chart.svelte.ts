// Chart.js chart of the Analysis view's toy solver, mounted through {@attach}: lines of the exact
// solution against alpha, vertical markers (current alpha, alpha*), and stored toy runs as points
// (their alpha against the return their final evaluation ended on).
import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip, type ChartConfiguration, type Plugin } from 'chart.js';
import { untrack } from 'svelte';
import type { Attachment } from 'svelte/attachments';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, Legend, Tooltip);

export interface ToyLine {
  label: string;
  color: string;
  x: readonly number[];
  y: readonly number[];
  dashed?: boolean;
  stepped?: boolean;
}

export interface ToyPoints {
  label: string;
  color: string;
  points: { x: number; y: number }[];
  style?: 'circle' | 'rect' | 'triangle' | 'rectRot';
}

export interface ToyChartSpec {
  xLabel: string;
  yLabel: string;
  lines: ToyLine[];
  points: ToyPoints[];
  /** Vertical markers: x position and label. */
  markers: { x: number; label: string; color: string }[];
  xMax: number;
  yMin?: number;
  yMax?: number;
}

function markerPlugin(get: () => ToyChartSpec): Plugin {
  return {
    id: 'toyMarkers',
    afterDatasetsDraw(chart) {
      const { top, bottom, left, right } = chart.chartArea;
      const ctx = chart.ctx;
      for (const [k, m] of untrack(get).markers.entries()) {
        const px = chart.scales.x!.getPixelForValue(m.x);
        if (!(px >= left && px <= right)) continue;
        ctx.save();
        ctx.strokeStyle = m.color;
        ctx.setLineDash([5, 4]);
        ctx.beginPath();
        ctx.moveTo(px, top);
        ctx.lineTo(px, bottom);
        ctx.stroke();
        ctx.fillStyle = m.color;
        ctx.font = '11px sans-serif';
        ctx.fillText(m.label, Math.min(px + 4, right - 90), top + 12 + 13 * k);
        ctx.restore();
      }
    },
  };
}

function config(spec: ToyChartSpec, get: () => ToyChartSpec): ChartConfiguration {
  const fg = getComputedStyle(document.documentElement).getPropertyValue('--fg').trim() || '#333';
  return {
    type: 'line',
    data: {
      datasets: [
        ...spec.lines.map((l) => ({
          type: 'line' as const,
          label: l.label,
          data: l.x.map((x, i) => ({ x, y: l.y[i]! })),
          borderColor: l.color,
          backgroundColor: l.color,
          borderWidth: 2,
          borderDash: l.dashed ? [6, 4] : [],
          stepped: l.stepped ? ('middle' as const) : false,
          pointRadius: 0,
        })),
        ...spec.points.map((p) => ({
          type: 'scatter' as const,
          label: p.label,
          data: p.points,
          borderColor: p.color,
          backgroundColor: p.color,
          pointRadius: 6,
          pointStyle: p.style ?? 'circle',
        })),
      ],
    },
    plugins: [markerPlugin(get)],
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      plugins: { legend: { labels: { color: fg, boxWidth: 12 } }, tooltip: { enabled: true } },
      scales: {
        x: { type: 'linear', min: 0, max: spec.xMax, title: { display: true, text: spec.xLabel, color: fg }, ticks: { color: fg } },
        y: {
          type: 'linear',
          title: { display: true, text: spec.yLabel, color: fg },
          ticks: { color: fg },
          ...(spec.yMin !== undefined ? { min: spec.yMin } : {}),
          ...(spec.yMax !== undefined ? { max: spec.yMax } : {}),
        },
      },
    },
  };
}

export function toyChart(get: () => ToyChartSpec): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const chart = new Chart(canvas, config(untrack(get), get));
    $effect(() => {
      const cfg = config(get(), get);
      chart.data.datasets = cfg.data.datasets;
      chart.options = cfg.options!;
      chart.update('none');
      canvas.dataset.drawn = String(Number(canvas.dataset.drawn ?? '0') + 1);
    });
    return () => chart.destroy();
  };
}
