// The app shell: who is signed in decides between the agent console and the
// customer portal; /status is public.
import { type Me } from '../api/types';
import { match, navigate, useLocation } from '../lib/router';
import { isStaff, signOut, useSession } from '../lib/session';
import { listOrganisations, useAsync } from '../lib/data';
import { Link } from './Link';
import { Login } from './Login';
import { Queue } from './Queue';
import { TicketPage } from './TicketPage';
import { OrganisationList, OrganisationPage } from './Organisations';
import { PolicyList, PolicyPage } from './Policies';
import { Reports } from './Reports';
import { HeldMailList, HeldMailPage } from './HeldMail';
import { SenderRulesPage } from './SenderRules';
import { PortalHome, PortalNewTicket, PortalTicket } from './Portal';
import { StatusPage } from './StatusPage';
import { Loading } from './common';

function NotFound() {
  return (
    <section class="page">
      <h1>Not found</h1>
      <p>
        There is no page at this address. <Link href="/">Go to the start page</Link>.
      </p>
    </section>
  );
}

function Nav({ me, path }: { me: Me; path: string }) {
  const staff = isStaff(me);
  // A contact's organisation: from /me when the server names it, else their one organisation.
  const [orgs] = useAsync(() => (staff || me.organisation_name ? Promise.resolve([]) : listOrganisations()), [me.id]);
  const orgName = me.organisation_name ?? orgs.data?.[0]?.name;
  const items = staff
    ? [
        ['/queue', 'Queue'],
        ['/organisations', 'Organisations'],
        ['/policies', 'Policies'],
        ['/reports', 'Reports'],
        ['/mail/held', 'Held mail'],
        ['/status', 'Status'],
      ]
    : [
        ['/portal', 'My tickets'],
        ['/portal/new', 'New ticket'],
        ['/status', 'Status'],
      ];
  return (
    <header class="top">
      <Link href="/" class="brand">
        sladesk
      </Link>
      <nav aria-label="Main">
        <ul>
          {items.map(([href, label]) => (
            <li key={href}>
              <Link href={href!} aria-current={path === href || (href !== '/portal' && path.startsWith(href + '/')) ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div class="who">
        <span>
          {me.name} <span class="muted">({me.role}{orgName ? `, ${orgName}` : ''})</span>
        </span>
        <button type="button" class="link" onClick={() => void signOut().then(() => navigate('/login'))}>
          Sign out
        </button>
      </div>
    </header>
  );
}

function Routes({ me, path, search }: { me: Me; path: string; search: string }) {
  const staff = isStaff(me);
  let m: Record<string, string> | null;
  if (path === '/') {
    navigate(staff ? '/queue' : '/portal', true);
    return null;
  }
  if (staff) {
    if (path === '/queue') return <Queue search={search} me={me} />;
    if ((m = match('/tickets/:number', path))) return <TicketPage number={Number(m.number)} me={me} search={search} />;
    if (path === '/organisations') return <OrganisationList />;
    if ((m = match('/organisations/:id', path))) return <OrganisationPage id={Number(m.id)} me={me} />;
    if (path === '/policies') return <PolicyList />;
    if ((m = match('/policies/:id', path))) return <PolicyPage id={m.id ?? ''} search={search} />;
    if (path === '/reports') return <Reports search={search} />;
    if (path === '/mail/held') return <HeldMailList search={search} me={me} />;
    if (path === '/mail/sender-rules') return <SenderRulesPage me={me} />;
    if ((m = match('/mail/held/:id', path))) return <HeldMailPage id={Number(m.id)} me={me} />;
  } else {
    if (path === '/portal') return <PortalHome me={me} />;
    if (path === '/portal/new') return <PortalNewTicket me={me} />;
    if ((m = match('/portal/tickets/:number', path))) return <PortalTicket number={Number(m.number)} me={me} />;
  }
  if (path.startsWith('/tickets/') || path.startsWith('/portal') || path === '/queue') {
    navigate(staff ? '/queue' : '/portal', true);
    return null;
  }
  return <NotFound />;
}

export function App() {
  const { path, search } = useLocation();
  const session = useSession(); // main.tsx started GET /me

  if (path === '/status') {
    return (
      <>
        <a class="skip" href="#main">Skip to content</a>
        {session.status === 'signed-in' ? <Nav me={session.me} path={path} /> : <header class="top"><Link href="/" class="brand">sladesk</Link><nav aria-label="Main"><ul><li><Link href="/login">Sign in</Link></li></ul></nav></header>}
        <main id="main"><StatusPage /></main>
      </>
    );
  }
  if (session.status === 'loading') return <main id="main"><Loading what="sladesk" /></main>;
  if (session.status === 'signed-out') {
    if (path !== '/login') {
      navigate(`/login?next=${encodeURIComponent(path + search)}`, true);
      return null;
    }
    return (
      <main id="main">
        <Login reason={session.reason} search={search} />
      </main>
    );
  }
  if (path === '/login') {
    const next = new URLSearchParams(search).get('next');
    navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', true);
    return null;
  }
  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <Nav me={session.me} path={path} />
      <main id="main">
        <Routes me={session.me} path={path} search={search} />
      </main>
    </>
  );
}
