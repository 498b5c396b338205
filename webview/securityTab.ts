// The Security tab: rejected traffic over time, the top blocked sources and ports, and the MITRE ATT&CK techniques
// the triggers saw (a technique row filters by it).
import type { AnalysisSummary } from '../src/shared/summary';
import { timeCard, topCard, type AddFilter } from './cards';
import type { Theme } from './charts';
import { fmtInt, h } from './dom';
import { mitreFilter } from './filterBar';
import { queryButton, type CardSpec } from './tables';

export function securityCards(s: AnalysisSummary, theme: Theme, addFilter: AddFilter): CardSpec[] {
  const sec = s.security;
  const color = theme.rejected;
  return [
    timeCard(
      {
        id: 'secTime',
        title: 'Rejected flows over time',
        series: sec.overTime,
        dimension: 'rejectedTime',
        withBytes: false,
        color,
        empty: 'No rejected record has a start time.',
      },
      addFilter,
    ),
    topCard(
      {
        id: 'blockedSources',
        title: 'Top blocked sources',
        keyHeader: 'Source',
        table: sec.blockedSources,
        dimension: 'blockedSource',
        kind: 'bar',
        metric: 'flows',
        empty: 'No rejected record.',
        color,
      },
      addFilter,
    ),
    topCard(
      {
        id: 'blockedPorts',
        title: 'Top blocked ports',
        keyHeader: 'Port (service)',
        table: sec.blockedPorts,
        dimension: 'blockedPort',
        kind: 'bar',
        metric: 'flows',
        empty: 'No rejected record with a destination port.',
        color,
      },
      addFilter,
    ),
  ];
}

export function mitreTable(summary: AnalysisSummary, addFilter: AddFilter, onQuery?: () => void): HTMLElement {
  const rows = summary.security.mitre;
  const el = h(
    'section',
    { class: 'card wide', 'data-card': 'mitre', 'aria-labelledby': 'card-mitre-title' },
    h(
      'header',
      null,
      h('h3', { id: 'card-mitre-title' }, 'MITRE ATT&CK'),
      onQuery && h('span', { class: 'actions' }, queryButton('Copy a query for the table MITRE ATT&CK…', onQuery)),
    ),
  );
  if (rows.length === 0) {
    el.append(h('p', { class: 'empty' }, 'No trigger with a MITRE ATT&CK mapping fired.'));
    return el;
  }
  const body = h('tbody');
  for (const r of rows) {
    const pick = h(
      'button',
      {
        type: 'button',
        class: 'link',
        'data-key': r.technique,
        'aria-label': `Filter by MITRE ATT&CK ${r.technique} ${r.techniqueName}`,
      },
      `${r.technique} ${r.techniqueName}`,
    );
    pick.addEventListener('click', () => addFilter(mitreFilter(r)));
    body.append(
      h(
        'tr',
        { 'data-technique': r.technique },
        h('th', { scope: 'row' }, pick),
        h('td', null, `${r.tactic} (${r.tacticId})`),
        h('td', { class: 'num' }, fmtInt(r.hits)),
        h('td', { class: 'num' }, `${fmtInt(r.sources)}${r.sourcesApproximate ? '+' : ''}`),
      ),
    );
  }
  el.append(
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data' },
        h('caption', { class: 'sr-only' }, 'MITRE ATT&CK techniques seen'),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'Technique'),
            h('th', { scope: 'col' }, 'Tactic'),
            h('th', { scope: 'col', class: 'num' }, 'Hits'),
            h('th', { scope: 'col', class: 'num' }, 'Sources'),
          ),
        ),
        body,
      ),
    ),
  );
  return el;
}
