// Which view is shown, and the selection views hand to each other (Runs -> Compare, Live, Replay).
// Mirrors the view in the URL hash so reloads and the browser's back button keep the place.
export const VIEWS = [
  { id: 'design', label: 'Design', key: '1' },
  { id: 'runs', label: 'Runs', key: '2' },
  { id: 'live', label: 'Live', key: '3' },
  { id: 'compare', label: 'Compare', key: '4' },
  { id: 'environments', label: 'Environments', key: '5' },
  { id: 'analysis', label: 'Analysis', key: '6' },
  { id: 'paper', label: 'Paper results', key: '7' },
] as const;
export type ViewId = (typeof VIEWS)[number]['id'];

/** Set once the shipped evidence has been shown: the very first start opens Paper results. */
const FIRST_START_KEY = 'maxent-lab.paper-results-shown';

function fromHash(): ViewId {
  const h = location.hash.replace(/^#\/?/, '');
  const v = VIEWS.find((x) => x.id === h)?.id;
  if (v) return v;
  try {
    if (!localStorage.getItem(FIRST_START_KEY)) {
      localStorage.setItem(FIRST_START_KEY, '1');
      return 'paper';
    }
  } catch {
    // no storage (a locked-down browser): start on Design
  }
  return 'design';
}

export class Nav {
  view = $state<ViewId>(fromHash());
  /** Runs chosen in the Runs view for Compare (ids). */
  compareRunIds = $state.raw<number[]>([]);
  /** The run the Live view focuses on (null: every active run). */
  liveRunId = $state<number | null>(null);
  /** The run whose recorded evaluation episodes the Environments view's Replay tab opens (null: none asked). */
  replayRunId = $state<number | null>(null);

  go(view: ViewId): void {
    this.view = view;
    if (location.hash !== `#/${view}`) history.replaceState(null, '', `${location.pathname}${location.search}#/${view}`);
  }

  openCompare(runIds: number[]): void {
    this.compareRunIds = [...runIds];
    this.go('compare');
  }

  openLive(runId: number | null): void {
    this.liveRunId = runId;
    this.go('live');
  }

  openReplay(runId: number): void {
    this.replayRunId = runId;
    this.go('environments');
  }
}

export const nav = new Nav();
