// The tab strip (an ARIA tablist: arrows, Home, End) and the four tab panels. Network and Security are cards with
// charts; only the visible tab's charts are drawn (the others have no size), and they are redrawn on a theme change.
import { DASHBOARD_TABS, type DashboardTab } from '../src/shared/protocol';
import { applyTheme, drawChart, readTheme, type Chart } from './charts';
import { clear, h } from './dom';
import { networkCards } from './networkTab';
import { renderFilesTab } from './filesTab';
import { renderRecordsTab } from './recordsTab';
import { mitreTable, securityCards } from './securityTab';
import type { DashboardStore } from './state';
import { buildCard, type Card, type CardSpec } from './tables';
import { renderTriggersTab } from './triggersTab';

const TAB_LABELS: Record<DashboardTab, string> = {
  network: 'Network',
  security: 'Security',
  triggers: 'Triggers',
  records: 'Records',
  files: 'Files',
};

export class TabsView {
  readonly tablist = h('div', { role: 'tablist', 'aria-label': 'Dashboard views', class: 'tabs' });
  readonly panels = {} as Record<DashboardTab, HTMLElement>;
  private readonly tabs = {} as Record<DashboardTab, HTMLButtonElement>;
  private cards: Partial<Record<DashboardTab, Card[]>> = {};
  private charts: Chart[] = [];
  private drawnTab: DashboardTab | null = null;

  constructor(private readonly store: DashboardStore) {
    for (const tab of DASHBOARD_TABS) {
      const button = h(
        'button',
        {
          type: 'button',
          role: 'tab',
          id: `tab-${tab}`,
          'aria-controls': `panel-${tab}`,
          'aria-selected': 'false',
          tabindex: -1,
          'data-tab': tab,
        },
        TAB_LABELS[tab],
      );
      button.addEventListener('click', () => store.selectTab(tab));
      this.tabs[tab] = button;
      this.tablist.append(button);
      this.panels[tab] = h('section', {
        role: 'tabpanel',
        id: `panel-${tab}`,
        'aria-labelledby': `tab-${tab}`,
        tabindex: 0,
        class: 'panel',
        hidden: true,
        'data-panel': tab,
      });
    }
    this.tablist.addEventListener('keydown', (e) => {
      // Only the tabs shown (Files only for a folder analysis).
      const shown = DASHBOARD_TABS.filter((t) => !this.tabs[t].hidden);
      const i = shown.indexOf(this.shownTab());
      let next: number | null = null;
      if (e.key === 'ArrowRight') next = (i + 1) % shown.length;
      else if (e.key === 'ArrowLeft') next = (i - 1 + shown.length) % shown.length;
      else if (e.key === 'Home') next = 0;
      else if (e.key === 'End') next = shown.length - 1;
      if (next === null) return;
      e.preventDefault();
      const tab = shown[next];
      if (!tab) return;
      store.selectTab(tab);
      this.tabs[tab].focus();
    });
  }

  /** Shows the store's tab (and draws its charts). */
  /** The store's tab, or Network when it is the Files tab of a summary without files. */
  private shownTab(): DashboardTab {
    return this.store.tab === 'files' && !this.store.summary?.files ? 'network' : this.store.tab;
  }

  showTab(): void {
    const tab = this.shownTab();
    this.tabs.files.hidden = !this.store.summary?.files;
    for (const t of DASHBOARD_TABS) {
      const selected = t === tab;
      this.tabs[t].setAttribute('aria-selected', String(selected));
      this.tabs[t].tabIndex = selected ? 0 : -1;
      this.panels[t].hidden = !selected;
    }
    this.drawCharts();
  }

  /** Rebuilds every panel from the summary on screen. */
  render(): void {
    const s = this.store.summary;
    this.destroyCharts();
    if (!s) return;
    const theme = readTheme();
    const add = (f: Parameters<DashboardStore['addFilter']>[0]): void => this.store.addFilter(f);
    const tableOf = (dimension: CardSpec['dimension']): string | undefined =>
      this.store.queryTargets.tables.find((t) => t.dimension === dimension)?.id;
    const query = (spec: CardSpec): CardSpec => {
      const id = tableOf(spec.dimension);
      return id ? { ...spec, onQuery: () => this.store.copyQuery('table', id) } : spec;
    };
    const mitre = tableOf('mitre');
    this.cards = {
      network: networkCards(s, theme, add).map(query).map(buildCard),
      security: securityCards(s, theme, add).map(query).map(buildCard),
    };
    for (const tab of ['network', 'security'] as const) {
      clear(this.panels[tab]);
      const grid = h('div', { class: 'grid' });
      for (const card of this.cards[tab] ?? []) grid.append(card.el);
      if (tab === 'security')
        grid.append(mitreTable(s, add, mitre ? () => this.store.copyQuery('table', mitre) : undefined));
      this.panels[tab].append(grid);
    }
    this.renderTriggers();
    this.renderRecords();
    renderFilesTab(this.panels.files, s);
    this.showTab();
  }

  renderTriggers(): void {
    renderTriggersTab(this.panels.triggers, this.store);
  }

  renderRecords(): void {
    renderRecordsTab(this.panels.records, this.store);
  }

  /** Redraws the visible charts (after a theme change). */
  redrawCharts(): void {
    this.destroyCharts();
    this.drawCharts();
  }

  private destroyCharts(): void {
    for (const c of this.charts) c.destroy();
    this.charts = [];
    this.drawnTab = null;
  }

  private drawCharts(): void {
    const tab = this.shownTab();
    if (this.drawnTab === tab) return;
    this.destroyCharts();
    const list = this.cards[tab];
    if (!list) return;
    const theme = readTheme();
    applyTheme(theme);
    for (const card of list) {
      if (!card.canvas || !card.spec.chart) continue;
      this.charts.push(drawChart(card.canvas, card.spec.chart, theme, card.spec.onPick));
    }
    this.drawnTab = tab;
  }
}
