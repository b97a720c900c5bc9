import { render } from 'preact';
import { filtersFromSearch } from './lib/filters';
import { prefetchQueue } from './lib/queue-source';
import { loadSession } from './lib/session';
import { App } from './ui/App';
import { PAGE } from './ui/Queue';
import './styles.css';

// The session and, on /queue, the first page start before the first render.
void loadSession();
if (location.pathname === '/queue') prefetchQueue(filtersFromSearch(location.search), PAGE);
render(<App />, document.getElementById('app')!);
