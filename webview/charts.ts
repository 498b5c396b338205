// Chart.js, bundled locally, with only the controllers the dashboard draws. Colours come from the --vscode-* theme
// variables, read when a chart is drawn (and again when the theme changes), so light, dark and high-contrast read well.
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type ChartEvent,
  type ActiveElement,
} from 'chart.js';
import { fmtBytes, fmtInt } from './dom';

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  DoughnutController,
  ArcElement,
  CategoryScale,
  LinearScale,
  Tooltip,
  Legend,
);

export interface Theme {
  foreground: string;
  grid: string;
  background: string;
  palette: string[];
  accepted: string;
  rejected: string;
  bytes: string;
  highContrast: boolean;
  border: string;
  font: string;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const v = style.getPropertyValue(name).trim();
  return v || fallback;
}

export function readTheme(): Theme {
  const style = getComputedStyle(document.documentElement);
  const body = document.body.classList;
  const highContrast = body.contains('vscode-high-contrast') || body.contains('vscode-high-contrast-light');
  const fg = cssVar(style, '--vscode-foreground', '#cccccc');
  const blue = cssVar(style, '--vscode-charts-blue', '#3794ff');
  const red = cssVar(style, '--vscode-charts-red', '#f14c4c');
  const green = cssVar(style, '--vscode-charts-green', '#89d185');
  const yellow = cssVar(style, '--vscode-charts-yellow', '#cca700');
  const orange = cssVar(style, '--vscode-charts-orange', '#d18616');
  const purple = cssVar(style, '--vscode-charts-purple', '#b180d7');
  return {
    foreground: cssVar(style, '--vscode-charts-foreground', fg),
    grid: cssVar(style, '--vscode-charts-lines', 'rgba(128,128,128,0.35)'),
    background: cssVar(style, '--vscode-editor-background', '#1e1e1e'),
    palette: [blue, green, yellow, orange, purple, red],
    accepted: blue,
    rejected: red,
    bytes: purple,
    highContrast,
    border: highContrast
      ? cssVar(style, '--vscode-contrastBorder', fg)
      : cssVar(style, '--vscode-editor-background', '#1e1e1e'),
    font: cssVar(style, '--vscode-font-family', 'sans-serif'),
  };
}

/** Applies the theme to Chart.js defaults (before charts are created). */
export function applyTheme(theme: Theme): void {
  Chart.defaults.color = theme.foreground;
  Chart.defaults.borderColor = theme.grid;
  Chart.defaults.font.family = theme.font;
  Chart.defaults.animation = false;
}

export type ClickHandler = (index: number) => void;

export interface BarSpec {
  kind: 'bar';
  labels: string[];
  values: number[];
  metric: 'flows' | 'bytes';
  color: string;
  horizontal: boolean;
  label: string;
}

export interface DoughnutSpec {
  kind: 'doughnut';
  labels: string[];
  values: number[];
  metric: 'flows' | 'bytes';
  label: string;
}

export interface TimeSpec {
  kind: 'time';
  labels: string[];
  flows: number[];
  bytes: number[] | null;
  flowsLabel: string;
  color: string;
}

export type ChartSpec = BarSpec | DoughnutSpec | TimeSpec;

const fmtMetric = (metric: 'flows' | 'bytes', v: number): string => (metric === 'bytes' ? fmtBytes(v) : fmtInt(v));

interface ClickOptions {
  onClick?: (e: ChartEvent, elements: ActiveElement[]) => void;
  onHover?: (e: ChartEvent, elements: ActiveElement[]) => void;
}

function clickOptions(onClick: ClickHandler | undefined): ClickOptions {
  if (!onClick) return {};
  return {
    onClick: (_e: ChartEvent, elements: ActiveElement[]) => {
      const first = elements[0];
      if (first) onClick(first.index);
    },
    onHover: (e: ChartEvent, elements: ActiveElement[]) => {
      const target = e.native?.target;
      if (target instanceof HTMLCanvasElement) target.classList.toggle('clickable', elements.length > 0);
    },
  };
}

/** Draws a chart into `canvas`; the caller destroys it. */
export function drawChart(canvas: HTMLCanvasElement, spec: ChartSpec, theme: Theme, onClick?: ClickHandler): Chart {
  const borderWidth = theme.highContrast ? 1 : 0;
  if (spec.kind === 'bar') {
    const config: ChartConfiguration<'bar'> = {
      type: 'bar',
      data: {
        labels: spec.labels,
        datasets: [
          {
            label: spec.label,
            data: spec.values,
            backgroundColor: spec.color,
            borderColor: theme.foreground,
            borderWidth,
          },
        ],
      },
      options: {
        indexAxis: spec.horizontal ? 'y' : 'x',
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (ctx) => `${spec.label}: ${fmtMetric(spec.metric, Number(ctx.raw))}` } },
        },
        scales: {
          [spec.horizontal ? 'x' : 'y']: {
            beginAtZero: true,
            grid: { color: theme.grid },
            ticks: { precision: 0, callback: (v) => fmtMetric(spec.metric, Number(v)) },
          },
          [spec.horizontal ? 'y' : 'x']: { grid: { display: false }, ticks: { autoSkip: false } },
        },
        ...clickOptions(onClick),
      },
    };
    return new Chart(canvas, config);
  }
  if (spec.kind === 'doughnut') {
    const config: ChartConfiguration<'doughnut'> = {
      type: 'doughnut',
      data: {
        labels: spec.labels,
        datasets: [
          {
            label: spec.label,
            data: spec.values,
            backgroundColor: spec.values.map((_, i) => theme.palette[i % theme.palette.length] ?? theme.accepted),
            borderColor: theme.highContrast ? theme.foreground : theme.background,
            borderWidth: theme.highContrast ? 2 : 1,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { position: 'right', labels: { color: theme.foreground, boxWidth: 12 } },
          tooltip: {
            callbacks: { label: (ctx) => `${String(ctx.label)}: ${fmtMetric(spec.metric, Number(ctx.raw))}` },
          },
        },
        ...clickOptions(onClick),
      },
    };
    return new Chart(canvas, config);
  }
  const datasets: ChartConfiguration<'bar' | 'line'>['data']['datasets'] = [
    {
      type: 'bar',
      label: spec.flowsLabel,
      data: spec.flows,
      backgroundColor: spec.color,
      borderColor: theme.foreground,
      borderWidth,
      yAxisID: 'y',
      order: 2,
    },
  ];
  if (spec.bytes)
    datasets.push({
      type: 'line',
      label: 'Bytes',
      data: spec.bytes,
      borderColor: theme.bytes,
      backgroundColor: theme.bytes,
      pointRadius: spec.bytes.length > 60 ? 0 : 2,
      borderWidth: 2,
      yAxisID: 'y1',
      order: 1,
    });
  const config: ChartConfiguration<'bar' | 'line'> = {
    type: 'bar',
    data: { labels: spec.labels, datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: { display: spec.bytes !== null, labels: { color: theme.foreground, boxWidth: 12 } },
        tooltip: {
          callbacks: {
            label: (ctx) =>
              `${String(ctx.dataset.label)}: ${ctx.dataset.yAxisID === 'y1' ? fmtBytes(Number(ctx.raw)) : fmtInt(Number(ctx.raw))}`,
          },
        },
      },
      scales: {
        x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } },
        y: {
          beginAtZero: true,
          position: 'left',
          grid: { color: theme.grid },
          title: { display: true, text: 'flows' },
          ticks: { precision: 0, callback: (v) => fmtInt(Number(v)) },
        },
        ...(spec.bytes
          ? {
              y1: {
                beginAtZero: true,
                position: 'right' as const,
                grid: { display: false },
                title: { display: true, text: 'bytes' },
                ticks: { callback: (v: string | number) => fmtBytes(Number(v)) },
              },
            }
          : {}),
      },
      ...clickOptions(onClick),
    },
  };
  return new Chart(canvas, config);
}

export type { Chart };
