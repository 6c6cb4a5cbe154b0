// Public entry of the line chart factory (the implementation uses runes, so it lives in a .svelte.ts file).
export { lineChart, seriesColor, type LineChartSpec, type LineSeries } from './line-chart.svelte.ts';
