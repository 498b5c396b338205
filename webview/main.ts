// The dashboard webview's entry: builds the views, routes the host's messages into the store and the store's changes
// to the views. State lives in state.ts; each view in its own file (header, filter bar, tabs and their panels).
// All log text becomes Text nodes (see dom.ts).
import { DASHBOARD_TABS, assertNever, type HostMessage } from '../src/shared/protocol';
import { append, clear, fmtInt, h } from './dom';
import { FilterBar } from './filterBar';
import { HeaderView } from './header';
import { DashboardStore } from './state';
import { TabsView } from './tabs';

const app = document.getElementById('app') as HTMLElement;
const store = new DashboardStore();
const head = new HeaderView(store);
const filterBar = new FilterBar(store);
const tabs = new TabsView(store);

function showMessage(text: string, kind: 'loading' | 'error'): void {
  app.setAttribute('aria-busy', String(kind === 'loading'));
  clear(app);
  app.append(h('p', { class: kind, role: kind === 'error' ? 'alert' : 'status' }, text));
  if (kind === 'error' && store.filters.length > 0) {
    // A failed re-analysis before anything was drawn: offer the whole file instead.
    app.append(filterBar.el);
    filterBar.render();
  }
}

function renderSummary(): void {
  const s = store.summary;
  if (!s) return;
  const t0 = performance.now();
  if (!app.contains(tabs.tablist)) {
    clear(app);
    append(
      app,
      head.header,
      head.notes,
      head.overview,
      filterBar.el,
      tabs.tablist,
      ...DASHBOARD_TABS.map((t) => tabs.panels[t]),
      head.footer,
    );
  }
  app.setAttribute('aria-busy', 'false');
  head.render();
  filterBar.render();
  tabs.render();
  requestAnimationFrame(() => {
    const ms = performance.now() - t0;
    app.setAttribute('data-rendered', 'true');
    app.setAttribute('data-render-ms', ms.toFixed(1));
    head.renderFooter(ms);
    store.post({ type: 'rendered', ms, records: s.totals.records });
  });
}

store.onChange((change) => {
  // While a re-analysis runs, the numbers on screen are those of the previous filters: dim them.
  app.setAttribute('data-stale', String(store.summary !== null && !store.upToDate));
  switch (change) {
    case 'summary':
      renderSummary();
      return;
    case 'doc':
      if (store.summary) head.render();
      return;
    case 'filters':
      filterBar.render();
      if (store.summary) {
        // Until the filtered summary arrives, the hit lists and records on screen are those of the old filters.
        tabs.renderTriggers();
        tabs.renderRecords();
      }
      return;
    case 'filtering': {
      const f = store.filtering;
      if (store.summary) filterBar.renderProgress();
      else if (f?.error) showMessage(f.error, 'error');
      else if (f) {
        // Restored with filters (the webview reloaded): nothing drawn yet, so the progress is the page.
        const pct = f.fraction !== null && f.fraction > 0 ? ` ${Math.floor(f.fraction * 100)}%` : '';
        showMessage(`Filtering the records…${pct}`, 'loading');
      }
      return;
    }
    case 'records':
      tabs.renderRecords();
      return;
    case 'tab':
      tabs.showTab();
      return;
    case 'timing':
      head.renderFooter();
      return;
    case 'queries':
      // Sent before the first summary; after a webview reload it may come when one is drawn already.
      if (store.summary) tabs.render();
      return;
    default:
      assertNever(change);
  }
});

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const m = event.data;
  switch (m.type) {
    case 'loading':
      store.setDoc(m.doc);
      if (!store.summary) showMessage(m.message, 'loading');
      return;
    case 'summary':
      store.receiveSummary(m.doc, m.summary, m.filters);
      return;
    case 'filtering':
      store.receiveFiltering(m.filters, m.fraction, m.error);
      return;
    case 'document':
      store.setDoc(m.doc);
      return;
    case 'queryTargets':
      store.setQueryTargets(m.targets);
      return;
    case 'records':
      store.receiveRecords(m.requestId, m.page, m.error);
      return;
    case 'timing': {
      const analysis =
        m.analysisMs !== null
          ? ` (analysis ${fmtInt(m.analysisMs)} ms${m.summarySentMs !== null ? `, data sent at ${fmtInt(m.summarySentMs)} ms` : ''})`
          : '';
      head.footer.setAttribute('data-command-to-drawn-ms', String(m.commandToDrawnMs));
      store.setTiming(`charts drawn ${fmtInt(m.commandToDrawnMs)} ms after the command${analysis}`);
      return;
    }
    case 'error':
      if (!store.summary) showMessage(m.message, 'error');
      else head.alert(m.message);
      return;
    default:
      assertNever(m);
  }
});

// Redraw the visible charts when the theme changes (VS Code swaps the body classes and the --vscode-* variables).
new MutationObserver(() => {
  if (store.summary) tabs.redrawCharts();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

store.ready();
