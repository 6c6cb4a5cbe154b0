// Which view is shown, and the selection views hand to each other (Runs -> Compare, Live, Replay).
// Mirrors the view in the URL hash so reloads and the browser's back button keep the place.
export const VIEWS = [
  { id: 'design', label: 'Design', key: '1' },
  { id: 'runs', label: 'Runs', key: '2' },
  { id: 'live', label: 'Live', key: '3' },
  { id: 'compare', label: 'Compare', key: '4' },
  { id: 'environments', label: 'Environments', key: '5' },
  { id: 'analysis', label: 'Analysis', key: '6' },
] as const;
export type ViewId = (typeof VIEWS)[number]['id'];

function fromHash(): ViewId {
  const h = location.hash.replace(/^#\/?/, '');
  return (VIEWS.find((v) => v.id === h)?.id ?? 'design') as ViewId;
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
