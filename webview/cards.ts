// Card specs for the summary's top tables and time series (Network and Security tabs): a chart plus its table,
// where a click on a bar, slice, time bucket or table row adds that row's filter.
import type { Filter, FilterDimension } from '../src/shared/protocol';
import type { TimeSeries, TopTable } from '../src/shared/summary';
import type { ChartSpec } from './charts';
import { fmtBucket, fmtInt } from './dom';
import { DIMENSION_NAMES, rowFilter, timeFilter } from './filterBar';
import type { CardSpec, Row } from './tables';

export type AddFilter = (filter: Filter) => void;

function topRows(t: TopTable): Row[] {
  return t.rows.map((r) => ({ key: r.key, label: r.label, flows: r.flows, bytes: r.bytes, packets: r.packets }));
}

function approxNote(t: TopTable): string | undefined {
  return t.approximate
    ? `Approximate: more than ${fmtInt(t.distinct)} distinct values; the top rows come from a heavy-hitter sketch.`
    : undefined;
}

export interface TopCardOptions {
  readonly id: string;
  readonly title: string;
  readonly keyHeader: string;
  readonly table: TopTable;
  readonly dimension: FilterDimension;
  readonly kind: 'bar' | 'doughnut';
  readonly metric: 'flows' | 'bytes';
  readonly empty: string;
  readonly color: string;
}

export function topCard(o: TopCardOptions, addFilter: AddFilter): CardSpec {
  const rows = topRows(o.table);
  const values = rows.map((r) => (o.metric === 'bytes' ? r.bytes : r.flows));
  const labels = rows.map((r) => r.label);
  const chart: ChartSpec =
    o.kind === 'doughnut'
      ? { kind: 'doughnut', labels, values, metric: o.metric, label: o.metric }
      : {
          kind: 'bar',
          labels,
          values,
          metric: o.metric,
          color: o.color,
          horizontal: true,
          label: o.metric === 'bytes' ? 'Bytes' : 'Flows',
        };
  return {
    id: o.id,
    title: o.title,
    keyHeader: o.keyHeader,
    rows,
    chart,
    empty: o.empty,
    note: approxNote(o.table),
    dimension: o.dimension,
    onPick: (i) => {
      const row = rows[i];
      if (row) addFilter(rowFilter(o.dimension, row));
    },
    pickName: (row) => `Filter by ${DIMENSION_NAMES[o.dimension]} ${row.label}`,
  };
}

export interface TimeCardOptions {
  readonly id: string;
  readonly title: string;
  readonly series: TimeSeries;
  readonly dimension: 'time' | 'rejectedTime';
  readonly withBytes: boolean;
  readonly color: string;
  readonly empty: string;
}

export function timeCard(o: TimeCardOptions, addFilter: AddFilter): CardSpec {
  const { series } = o;
  const rows: Row[] = series.points.map((p) => ({
    key: String(p.t),
    label: fmtBucket(p.t, series.bucketSeconds),
    flows: p.flows,
    bytes: p.bytes,
    packets: p.packets,
  }));
  return {
    id: o.id,
    title: o.title,
    keyHeader: `Start (UTC, ${series.bucketSeconds} s buckets)`,
    rows,
    chart: {
      kind: 'time',
      labels: rows.map((r) => r.label),
      flows: rows.map((r) => r.flows),
      bytes: o.withBytes ? rows.map((r) => r.bytes) : null,
      flowsLabel: o.dimension === 'time' ? 'Accepted flows' : 'Rejected flows',
      color: o.color,
    },
    empty: o.empty,
    wide: true,
    dimension: o.dimension,
    onPick: (i) => {
      const p = series.points[i];
      if (p) addFilter(timeFilter(o.dimension, p.t, series.bucketSeconds));
    },
    pickName: (row) => `Filter by flows starting in the bucket ${row.label}`,
  };
}
