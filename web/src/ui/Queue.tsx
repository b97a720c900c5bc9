// The agent queue: most urgent first, live countdowns in business and wall
// time, filters and saved views, j/k/Enter/r, live updates.
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Me, Organisation, QueueItem } from '../api/types';
import { observeServerNow, onClockJump, serverNow } from '../lib/clock';
import { businessText, liveState, wallText } from '../lib/countdown';
import { listOrganisations, useAsync } from '../lib/data';
import {
  ALL_STATUSES,
  BUILT_IN_VIEWS,
  describeFilters,
  deleteView,
  filtersFromSearch,
  filtersToSearch,
  loadViews,
  saveView,
  type QueueFilters,
  type SavedView,
} from '../lib/filters';
import { handleQueueKey } from '../lib/keys';
import { connectLive, type Live } from '../lib/live';
import { fetchQueue, takePrefetchedQueue, usingFallback } from '../lib/queue-source';
import { followSelection, queueReducer, type QueueData } from '../lib/queue-state';
import { navigate } from '../lib/router';
import { Link } from './Link';
import { VirtualList } from './VirtualList';
import { ErrorBox, OrganisationOptions, Page, StateBadge, StatusBadge, Waiting, statusLabel } from './common';

export const PAGE = 100;
const MAX_ROWS = 5000;

function useNarrow(): boolean {
  const q = typeof matchMedia === 'function' ? matchMedia('(max-width: 720px)') : null;
  const [narrow, setNarrow] = useState(!!q?.matches);
  useEffect(() => {
    if (!q) return;
    const fn = () => setNarrow(q.matches);
    q.addEventListener('change', fn);
    return () => q.removeEventListener('change', fn);
  }, []);
  return narrow;
}

/** Ticks once a second so countdowns move. */
function useNow(): number {
  const [now, setNow] = useState(serverNow());
  useEffect(() => {
    const t = setInterval(() => setNow(serverNow()), 1000);
    const off = onClockJump(() => setNow(serverNow()));
    return () => {
      clearInterval(t);
      off();
    };
  }, []);
  return now;
}

type Loaded = QueueData;

export function Queue({ search, me }: { search: string; me: Me }) {
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelectedState] = useState(-1);
  // Keys read the selection through a ref: a second key can come before the re-render.
  const selectedRef = useRef(-1);
  const setSelected = (i: number) => {
    selectedRef.current = i;
    setSelectedState(i);
  };
  const [views, setViews] = useState<SavedView[]>(() => loadViews(localStorage));
  const [liveMode, setLiveMode] = useState('connecting');
  const [orgs] = useAsync(listOrganisations, []);
  const now = useNow();
  const narrow = useNarrow();
  const loading = useRef(false);
  const dataRef = useRef<Loaded | null>(null);
  dataRef.current = data;
  const listRef = useRef<HTMLDivElement>(null);

  const refresh = useCallback(
    async (mode: 'replace' | 'poll' | 'more') => {
      if (loading.current && mode !== 'replace') return;
      loading.current = true;
      try {
        const cur = dataRef.current;
        if (mode === 'more') {
          if (!cur?.cursor || cur.items.length >= MAX_ROWS) return;
          const r = await fetchQueue(filters, { cursor: cur.cursor, limit: PAGE });
          if (!r.page) return;
          setData(queueReducer(cur, { type: 'more', page: r.page, max: MAX_ROWS }));
          return;
        }
        // Replace and poll re-read what is loaded (at least one page, at most 500 rows).
        const limit = Math.min(500, Math.max(PAGE, mode === 'poll' ? (cur?.items.length ?? PAGE) : PAGE));
        const r = await ((mode === 'replace' ? takePrefetchedQueue(filters, limit) : null) ?? fetchQueue(filters, { limit, etag: mode === 'poll' ? cur?.etag : null }));
        if (!r.page) return; // 304
        // The selection indexes the rows shown now (a replace may have landed while this poll ran).
        const shown = dataRef.current;
        const next = queueReducer(shown, { type: 'page', page: r.page, etag: r.etag });
        if (shown && next) setSelected(followSelection(shown.items, next.items, selectedRef.current));
        dataRef.current = next;
        setData(next);
        setError(null);
        if (mode === 'replace' && typeof performance !== 'undefined') performance.mark('queue-first-page');
      } catch (e) {
        setError(e);
      } finally {
        loading.current = false;
      }
    },
    [filters],
  );

  useEffect(() => {
    setData(null);
    setSelected(-1);
    void refresh('replace');
  }, [refresh]);

  // Live updates: a ticket event or a poll re-reads the loaded rows; a minute's
  // timer too, so states the client cannot derive (a calendar opening) follow.
  useEffect(() => {
    let pending: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      if (pending) return;
      pending = setTimeout(() => {
        pending = undefined;
        void refresh('poll');
      }, 250);
    };
    const live: Live = connectLive({
      onTicket: soon,
      onClock: (n) => {
        observeServerNow(n);
        soon();
      },
      onPoll: () => void refresh('poll'),
      pollMs: usingFallback() ? 15000 : 5000,
    });
    const modeTimer = setInterval(() => setLiveMode(live.mode()), 1000);
    const minute = setInterval(() => void refresh('poll'), 60000);
    const offJump = onClockJump(soon);
    return () => {
      live.close();
      clearInterval(modeTimer);
      clearInterval(minute);
      offJump();
      if (pending) clearTimeout(pending);
    };
  }, [refresh]);

  const items = data?.items ?? [];
  // Keys read the rows through a ref set while rendering: a key pressed as soon
  // as the rows are painted (before effects run) sees them.
  const itemsRef = useRef(items);
  itemsRef.current = items;
  useEffect(() => {
    const open = (i: number, reply = false) => {
      const it = itemsRef.current[i];
      if (it) navigate(`/tickets/${it.number}${reply ? '?reply=1' : ''}`);
    };
    const onKey = (e: KeyboardEvent) => {
      const handled = handleQueueKey(e, {
        count: () => itemsRef.current.length,
        selected: () => selectedRef.current,
        select: (i) => setSelected(i),
        open: (i) => open(i),
        reply: (i) => open(i, true),
      });
      if (handled) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  // Keyboard selection moves focus to the row's link, so screen readers follow.
  useEffect(() => {
    if (selected < 0) return;
    const id = items[selected]?.number;
    requestAnimationFrame(() => listRef.current?.querySelector<HTMLAnchorElement>(`a[data-number="${id}"]`)?.focus({ preventScroll: true }));
  }, [selected]);

  const setFilters = (f: QueueFilters) => navigate(`/queue${filtersToSearch(f)}`);
  const orgList = orgs.data ?? [];
  const orgName = (id: number) => orgList.find((o) => o.id === id)?.name;
  const heading = describeFilters(filters, orgName);
  const rowHeight = narrow ? 132 : 68;

  return (
    <Page title="Queue">
      <p class="sr-only" id="queue-keys">
        Keys: j and k move through the tickets, Enter opens the selected ticket, r opens it to reply.
      </p>
      <div class="queue-layout">
        <aside class="views" aria-label="Views">
          <h2 class="h-small">Views</h2>
          <ul>
            {BUILT_IN_VIEWS.map((v) => (
              <li key={v.name}>
                <Link href={`/queue${v.search}`} aria-current={search === v.search ? 'page' : undefined}>
                  {v.name}
                </Link>
              </li>
            ))}
            {views.map((v) => (
              <li key={`u-${v.name}`} class="saved">
                <Link href={`/queue${v.search}`} aria-current={search === v.search ? 'page' : undefined}>
                  {v.name}
                </Link>
                <button type="button" class="link small" aria-label={`Delete view ${v.name}`} onClick={() => setViews(deleteView(localStorage, v.name))}>
                  ×
                </button>
              </li>
            ))}
          </ul>
          <SaveView onSave={(name) => setViews(saveView(localStorage, { name, search }))} />
        </aside>
        <div class="queue-main">
          <Filters filters={filters} orgs={orgList} items={items} onChange={setFilters} me={me} />
          <div class="queue-status" role="status" aria-live="polite">
            <strong>{data ? `${data.total ?? items.length}${data.cursor ? '+' : ''} tickets` : 'Loading…'}</strong> · {heading}
            <span class="muted"> · {liveMode === 'stream' ? 'live' : liveMode === 'polling' ? 'updating every few seconds' : 'connecting'}</span>
          </div>
          {usingFallback() ? <Waiting endpoint="GET /api/v1/queue">Until then the queue reads /api/v1/tickets and shows wall time only, without business time or warnings.</Waiting> : null}
          <ErrorBox error={error} />
          {data && items.length === 0 ? <p class="empty">No tickets match this view.</p> : null}
          <div ref={listRef} aria-describedby="queue-keys">
            <VirtualList
              items={items}
              rowHeight={rowHeight}
              label={`Tickets, ${heading}, most urgent first`}
              keyOf={(i) => i.number}
              total={data?.total ?? null}
              scrollToIndex={selected}
              onNearEnd={() => void refresh('more')}
              renderRow={(it, i) => <Row item={it} selected={i === selected} now={now} evaluatedAt={data?.evaluatedAt ?? now} onFocus={() => setSelected(i)} />}
            />
          </div>
        </div>
      </div>
    </Page>
  );
}

function Row({ item, selected, now, evaluatedAt, onFocus }: { item: QueueItem; selected: boolean; now: number; evaluatedAt: number; onFocus: () => void }) {
  const state = liveState(item, now);
  const business = businessText(item, evaluatedAt, now);
  const wall = wallText(item, now);
  return (
    <div class={`qrow state-${state}${selected ? ' selected' : ''}`}>
      <div class="q-state">
        <StateBadge state={state} />
      </div>
      <div class="q-subject">
        <Link href={`/tickets/${item.number}`} data-number={item.number} onFocus={onFocus}>
          <span class="num">#{item.number}</span> {item.subject}
        </Link>
        <div class="muted small">
          {item.organisation_name} · {item.requester_name}
        </div>
      </div>
      <div class="q-meta">
        <span class="badge severity">{item.severity}</span> <StatusBadge status={item.status} />
        <div class="muted small">{item.assignee_name ?? 'unassigned'}</div>
      </div>
      <div class="q-due">
        <div>{business}</div>
        <div class="muted small">{wall}</div>
      </div>
    </div>
  );
}

function SaveView({ onSave }: { onSave: (name: string) => void }) {
  const [name, setName] = useState('');
  return (
    <form
      class="save-view"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) onSave(name);
        setName('');
      }}
    >
      <label for="view-name">Save these filters as</label>
      <input id="view-name" value={name} maxLength={80} onInput={(e) => setName(e.currentTarget.value)} placeholder="view name" />
      <button type="submit">Save view</button>
    </form>
  );
}

function Filters({ filters, orgs, items, onChange }: { filters: QueueFilters; orgs: Organisation[]; items: QueueItem[]; onChange: (f: QueueFilters) => void; me: Me }) {
  const plans = [...new Set(orgs.map((o) => o.plan_id ?? ''))].filter(Boolean).sort();
  const severities = [...new Set([...items.map((i) => i.severity), ...filters.severity])].filter(Boolean).sort();
  const set = (p: Partial<QueueFilters>) => onChange({ ...filters, ...p });
  return (
    <form class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <div class="f">
        <label for="f-assignee">Assignee</label>
        <select id="f-assignee" value={filters.assignee} onChange={(e) => set({ assignee: e.currentTarget.value as QueueFilters['assignee'] })}>
          <option value="any">anyone</option>
          <option value="me">me</option>
          <option value="none">unassigned</option>
        </select>
      </div>
      <div class="f check">
        <input id="f-team" type="checkbox" checked={filters.team} onChange={(e) => set({ team: e.currentTarget.checked })} />
        <label for="f-team">My team</label>
      </div>
      <div class="f check">
        <input id="f-breached" type="checkbox" checked={filters.breached} onChange={(e) => set({ breached: e.currentTarget.checked })} />
        <label for="f-breached">Breached</label>
      </div>
      <div class="f check">
        <input id="f-due" type="checkbox" checked={filters.dueToday} onChange={(e) => set({ dueToday: e.currentTarget.checked })} />
        <label for="f-due">Due today</label>
      </div>
      <div class="f">
        <label for="f-org">Organisation</label>
        <select id="f-org" value={filters.organisationId ?? ''} onChange={(e) => set({ organisationId: e.currentTarget.value ? Number(e.currentTarget.value) : null })}>
          <OrganisationOptions orgs={orgs} none="all" />
        </select>
      </div>
      <div class="f">
        <label for="f-plan">Plan</label>
        <select id="f-plan" value={filters.plan ?? ''} onChange={(e) => set({ plan: e.currentTarget.value || null })}>
          <option value="">all</option>
          {plans.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </div>
      <div class="f">
        <label for="f-sev">Severity</label>
        <select id="f-sev" value={filters.severity[0] ?? ''} onChange={(e) => set({ severity: e.currentTarget.value ? [e.currentTarget.value] : [] })}>
          <option value="">all</option>
          {severities.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div class="f">
        <label for="f-status">Status</label>
        <select id="f-status" value={filters.status.join(',')} onChange={(e) => set({ status: e.currentTarget.value ? e.currentTarget.value.split(',') : [] })}>
          <option value="">open (new, open, waiting)</option>
          {ALL_STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
          <option value={ALL_STATUSES.join(',')}>any status</option>
        </select>
      </div>
    </form>
  );
}
