// The filter bar: one chip per active filter (each removable), "Clear all", and whether the dashboard shows the
// filtered records yet. Also the filters a click makes, with the labels their chips show (row labels are log text:
// they only ever become text nodes).
import type { Filter, FilterDimension } from '../src/shared/protocol';
import type { TriggerSummary } from '../src/shared/summary';
import { clear, fmtTime, h, plural } from './dom';
import type { DashboardStore } from './state';

export const DIMENSION_NAMES: Record<FilterDimension, string> = {
  protocol: 'Protocol',
  dstport: 'Destination port',
  talker: 'Source',
  conversation: 'Conversation',
  region: 'Region',
  az: 'AZ',
  vpc: 'VPC',
  interface: 'Interface',
  flowDirection: 'Flow direction',
  trafficPath: 'Traffic path',
  blockedSource: 'Blocked source',
  blockedPort: 'Blocked port',
  time: 'Accepted flows starting',
  rejectedTime: 'Rejected flows starting',
  action: 'Action',
  trigger: 'Trigger',
  mitre: 'MITRE ATT&CK',
};

/** The filter of a table row (or its bar or slice). */
export function rowFilter(dimension: FilterDimension, row: { key: string; label: string }): Filter {
  return { dimension, key: row.key, label: `${DIMENSION_NAMES[dimension]} ${row.label}` };
}

/** The filter of a time bucket [t, t + bucketSeconds). */
export function timeFilter(dimension: 'time' | 'rejectedTime', t: number, bucketSeconds: number): Filter {
  return {
    dimension,
    key: String(t),
    end: t + bucketSeconds,
    label: `${DIMENSION_NAMES[dimension]} ${fmtTime(t)} + ${bucketSeconds} s`,
  };
}

export function triggerFilter(t: TriggerSummary): Filter {
  return { dimension: 'trigger', key: t.id, label: `${DIMENSION_NAMES.trigger} ${t.name}` };
}

export function mitreFilter(row: { technique: string; techniqueName: string }): Filter {
  return { dimension: 'mitre', key: row.technique, label: `${row.technique} ${row.techniqueName}` };
}

export class FilterBar {
  readonly el = h('div', { class: 'filter-bar', role: 'group', 'aria-label': 'Filters' });
  private readonly status = h('span', { class: 'sub filter-status', role: 'status', 'data-testid': 'filter-status' });

  constructor(private readonly store: DashboardStore) {}

  render(): void {
    const s = this.store;
    clear(this.el);
    this.el.setAttribute('aria-busy', String(s.filtering !== null && !s.filtering.error));
    this.el.setAttribute('data-applied', s.upToDate ? String(s.summaryFilters.length) : '');
    if (s.filters.length === 0) return;
    const chips = h('ul', { class: 'chips', 'aria-label': 'Active filters (all apply)' });
    s.filters.forEach((filter, i) => {
      const remove = h(
        'button',
        { type: 'button', class: 'chip-clear', 'aria-label': `Remove filter: ${filter.label}`, title: 'Remove' },
        '×',
      );
      remove.addEventListener('click', () => s.removeFilter(i));
      chips.append(
        h(
          'li',
          { class: 'chip', 'data-testid': 'filter-chip', 'data-dimension': filter.dimension },
          h('span', { class: 'chip-label' }, filter.label),
          remove,
        ),
      );
    });
    this.el.append(chips);
    if (s.filters.length > 1) {
      const all = h('button', { type: 'button', class: 'secondary chips-clear-all' }, 'Clear all');
      all.addEventListener('click', () => s.clearFilters());
      this.el.append(all);
    }
    this.renderStatus();
    this.el.append(this.status);
  }

  private renderStatus(): void {
    const s = this.store;
    clear(this.status);
    let text: string;
    if (s.filtering?.error) text = s.filtering.error;
    else if (s.filtering)
      text =
        s.filtering.fraction === null || s.filtering.fraction <= 0
          ? 'Filtering the records…'
          : `Filtering the records… ${Math.floor(s.filtering.fraction * 100)}%`;
    else if (s.summary) {
      const matched = s.summary.totals.records;
      text = `${plural(matched, 'record')} ${matched === 1 ? 'matches' : 'match'}${s.filters.length > 1 ? ' all filters' : ''}; every chart and table shows only ${matched === 1 ? 'it' : 'them'}.`;
    } else text = '';
    this.status.setAttribute('data-matched', s.upToDate && s.summary ? String(s.summary.totals.records) : '');
    this.status.classList.toggle('error', Boolean(s.filtering?.error));
    this.status.append(text);
  }

  /** Progress only: redraws the status line, keeping the chips (and the focus on them). */
  renderProgress(): void {
    this.el.setAttribute('aria-busy', String(this.store.filtering !== null && !this.store.filtering.error));
    this.renderStatus();
  }
}
