// Chart.js charts of the Compare view, mounted through {@attach}:
//   <canvas {@attach compareChart(() => spec, crosshair)}>
// Band charts draw, per group, a band (lower..upper filled), the aggregate line, and optionally
// member runs (raw values faint behind smoothed ones). Interval charts draw a dot with a whisker
// per group and series. A shared Crosshair draws the same x in every band chart (synchronised
// panels). The chart is created once per canvas and updated in place when the spec changes.
import {
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
  type ChartConfiguration,
  type ChartDataset,
  type Plugin,
} from 'chart.js';
import { untrack } from 'svelte';
import type { Attachment } from 'svelte/attachments';
import { withAlpha, type BandChartSpec, type CompareChartSpec, type IntervalChartSpec } from './compare-spec.ts';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, Legend, Title, Tooltip, Filler);

/** The x position shared by every band chart of a view (null: pointer outside the charts). */
export class Crosshair {
  x = $state<number | null>(null);
}

type Role = 'lower' | 'upper' | 'center' | 'raw' | 'smoothed' | 'point';
type Pt = { x: number; y: number };
type DS = ChartDataset<'line' | 'scatter', Pt[]> & { role?: Role; whisker?: { lower: number; upper: number }[] };

function pts(x: readonly number[], y: readonly (number | null)[]): Pt[] {
  const n = Math.min(x.length, y.length);
  const out = new Array<Pt>(n);
  for (let i = 0; i < n; i++) out[i] = { x: x[i]!, y: y[i] ?? Number.NaN };
  return out;
}

function bandDatasets(spec: BandChartSpec): DS[] {
  const out: DS[] = [];
  for (const m of spec.members) {
    out.push({
      type: 'line',
      role: m.kind,
      label: `${m.label} (${m.kind})`,
      data: pts(m.x, m.y),
      borderColor: withAlpha(m.color, m.kind === 'raw' ? 0.18 : 0.45),
      borderWidth: 1,
      pointRadius: 0,
      tension: 0,
    });
  }
  for (const b of spec.bands) {
    const few = b.x.length < 40;
    out.push({ type: 'line', role: 'lower', label: `${b.label} lower`, data: pts(b.x, b.lower), borderWidth: 0, pointRadius: 0, fill: false });
    out.push({
      type: 'line',
      role: 'upper',
      label: `${b.label} upper`,
      data: pts(b.x, b.upper),
      borderWidth: 0,
      pointRadius: 0,
      fill: '-1',
      backgroundColor: withAlpha(b.color, 0.2),
    });
    out.push({
      type: 'line',
      role: 'center',
      label: `${b.label}: ${b.legend}`,
      data: pts(b.x, b.center),
      borderColor: b.color,
      backgroundColor: b.color,
      borderWidth: 2,
      pointRadius: few ? 2.5 : 0,
      tension: 0,
    });
  }
  return out;
}

function intervalDatasets(spec: IntervalChartSpec): DS[] {
  const S = spec.series.length;
  return spec.series.map((s, si) => {
    const mine = spec.points.filter((p) => p.series === s);
    const offset = S === 1 ? 0 : -0.18 + (0.36 * si) / (S - 1);
    return {
      type: 'scatter',
      role: 'point',
      label: `${s}: ${spec.statistic}`,
      data: mine.map((p) => ({ x: spec.categories.indexOf(p.category) + offset, y: p.value ?? Number.NaN })),
      whisker: mine.map((p) => ({ lower: p.lower ?? Number.NaN, upper: p.upper ?? Number.NaN })),
      borderColor: mine[0]?.color ?? '#888',
      backgroundColor: mine[0]?.color ?? '#888',
      pointRadius: 5,
      pointStyle: si === 0 ? 'circle' : 'rectRot',
    };
  });
}

/** Whiskers of interval charts and the synchronised crosshair of band charts. */
function overlayPlugin(crosshair: Crosshair | undefined): Plugin {
  return {
    id: 'compareOverlay',
    afterDatasetsDraw(chart) {
      const ctx = chart.ctx;
      const { left, right, top, bottom } = chart.chartArea;
      chart.data.datasets.forEach((d, i) => {
        const ds = d as DS;
        if (!ds.whisker || !chart.isDatasetVisible(i)) return;
        ctx.save();
        ctx.strokeStyle = String(ds.borderColor);
        ctx.lineWidth = 2;
        ds.whisker.forEach((w, k) => {
          const p = (ds.data as Pt[])[k]!;
          if (!Number.isFinite(w.lower) || !Number.isFinite(w.upper)) return;
          const px = chart.scales.x!.getPixelForValue(p.x);
          const y0 = chart.scales.y!.getPixelForValue(w.lower);
          const y1 = chart.scales.y!.getPixelForValue(w.upper);
          ctx.beginPath();
          ctx.moveTo(px, y0);
          ctx.lineTo(px, y1);
          ctx.moveTo(px - 5, y0);
          ctx.lineTo(px + 5, y0);
          ctx.moveTo(px - 5, y1);
          ctx.lineTo(px + 5, y1);
          ctx.stroke();
        });
        ctx.restore();
      });
      const refs = (chart.options.plugins as { compareRefs?: { y: number; label: string; color: string }[] }).compareRefs ?? [];
      for (const r of refs) {
        const py = chart.scales.y!.getPixelForValue(r.y);
        if (py < top || py > bottom) continue;
        ctx.save();
        ctx.strokeStyle = r.color;
        ctx.setLineDash([6, 4]);
        ctx.beginPath();
        ctx.moveTo(left, py);
        ctx.lineTo(right, py);
        ctx.stroke();
        ctx.fillStyle = r.color;
        ctx.font = '11px sans-serif';
        ctx.fillText(r.label, left + 4, py - 4);
        ctx.restore();
      }
      const x = crosshair?.x;
      if (x === null || x === undefined) return;
      const px = chart.scales.x!.getPixelForValue(x);
      if (px < left || px > right) return;
      ctx.save();
      ctx.strokeStyle = 'rgba(128,128,128,0.8)';
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(px, top);
      ctx.lineTo(px, bottom);
      ctx.stroke();
      ctx.restore();
    },
  };
}

function fg(): string {
  return getComputedStyle(document.documentElement).getPropertyValue('--fg').trim() || '#333';
}

/** The full Chart.js configuration of a spec (also used to render PNG exports off screen). */
export function chartConfig(spec: CompareChartSpec, crosshair?: Crosshair, color = fg(), showLegend = false): ChartConfiguration<'line' | 'scatter', Pt[]> {
  const datasets = spec.kind === 'bands' ? bandDatasets(spec) : intervalDatasets(spec);
  const categories = spec.kind === 'intervals' ? spec.categories : [];
  return {
    type: 'line',
    data: { datasets },
    plugins: [overlayPlugin(crosshair)],
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      spanGaps: false,
      interaction: { mode: 'nearest', intersect: false, axis: 'x' },
      plugins: {
        legend: {
          // on screen the view draws an HTML legend (readable, selectable); exports draw this one
          display: showLegend,
          labels: {
            color,
            boxWidth: 12,
            filter: (item, data) => {
              const role = (data.datasets[item.datasetIndex!] as DS).role;
              return role === 'center' || role === 'point';
            },
          },
        },
        // the view shows the title above the canvas; exports carry it inside the image
        title: { display: showLegend, text: spec.title, color },
        // read by the overlay plugin (not a Chart.js plugin of its own)
        ...({ compareRefs: spec.kind === 'bands' ? (spec.refLines ?? []) : [] } as object),
        tooltip: {
          enabled: true,
          filter: (item) => {
            const role = (item.dataset as DS).role;
            return role === 'center' || role === 'point';
          },
        },
      },
      scales: {
        x:
          spec.kind === 'bands'
            ? {
                type: 'linear',
                title: { display: true, text: spec.xLabel, color },
                ticks: { color },
                ...(spec.xMin !== undefined ? { min: spec.xMin } : {}),
                ...(spec.xMax !== undefined ? { max: spec.xMax } : {}),
              }
            : {
                type: 'linear',
                min: -0.5,
                max: categories.length - 0.5,
                title: { display: true, text: 'group', color },
                ticks: { color, autoSkip: false, callback: (v) => categories[Number(v)] ?? '' },
                // one tick per category, at the integers (a linear scale would start at -0.5)
                afterBuildTicks: (axis) => {
                  axis.ticks = categories.map((_, i) => ({ value: i }));
                },
              },
        y: {
          type: 'linear',
          title: { display: true, text: spec.yLabel, color },
          ticks: { color },
          ...(spec.kind === 'bands' && spec.yMin !== undefined ? { min: spec.yMin } : {}),
          ...(spec.kind === 'bands' && spec.yMax !== undefined ? { max: spec.yMax } : {}),
        },
      },
    },
  };
}

/** Charts created by this factory, by canvas (exports re-render them; tests read them). */
export const chartsByCanvas = new WeakMap<HTMLCanvasElement, { chart: Chart; spec: () => CompareChartSpec }>();

/** The attachment factory: `get` is read reactively and the chart updates in place. */
export function compareChart(get: () => CompareChartSpec, crosshair?: Crosshair): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const chart = new Chart(canvas, chartConfig(untrack(get), crosshair) as ChartConfiguration);
    chartsByCanvas.set(canvas, { chart, spec: get });
    const onMove = (e: MouseEvent) => {
      if (!crosshair || untrack(get).kind !== 'bands') return;
      const rect = canvas.getBoundingClientRect();
      const { left, right } = chart.chartArea;
      const px = e.clientX - rect.left;
      crosshair.x = px >= left && px <= right ? chart.scales.x!.getValueForPixel(px)! : null;
    };
    const onLeave = () => {
      if (crosshair) crosshair.x = null;
    };
    canvas.addEventListener('mousemove', onMove);
    canvas.addEventListener('mouseleave', onLeave);
    $effect(() => {
      const spec = get();
      const cfg = chartConfig(spec, crosshair);
      chart.data.datasets = cfg.data.datasets as ChartDataset[];
      chart.options = cfg.options as typeof chart.options;
      chart.update('none');
      // tests and the benchmark wait for this: the data of the latest spec is on the canvas
      canvas.dispatchEvent(new CustomEvent('lab:drawn', { detail: { datasets: chart.data.datasets.length } }));
      canvas.dataset.drawn = String(Number(canvas.dataset.drawn ?? '0') + 1);
    });
    $effect(() => {
      void crosshair?.x;
      chart.draw();
    });
    return () => {
      canvas.removeEventListener('mousemove', onMove);
      canvas.removeEventListener('mouseleave', onLeave);
      chart.destroy();
    };
  };
}

/** Render a spec off screen at `scale` times its on-screen size and return a PNG data URL. */
export function chartPng(spec: CompareChartSpec, width: number, height: number, scale: number): string {
  const canvas = document.createElement('canvas');
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const holder = document.createElement('div');
  holder.style.cssText = `position:fixed;left:-10000px;top:0;width:${width}px;height:${height}px`;
  holder.appendChild(canvas);
  document.body.appendChild(holder);
  const cfg = chartConfig(spec, undefined, '#222', true);
  cfg.options = { ...cfg.options, responsive: false, devicePixelRatio: scale };
  cfg.plugins = [
    ...(cfg.plugins ?? []),
    {
      id: 'whiteBackground',
      beforeDraw(c) {
        c.ctx.save();
        c.ctx.fillStyle = '#ffffff';
        c.ctx.fillRect(0, 0, c.width, c.height);
        c.ctx.restore();
      },
    },
  ];
  const chart = new Chart(canvas, cfg as ChartConfiguration);
  const url = canvas.toDataURL('image/png');
  chart.destroy();
  holder.remove();
  return url;
}
