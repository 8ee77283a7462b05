// The whole app: the session, the router and the table of pages. Each area of the app lists its
// own pages in pages/<area>/routes.js ({path, roles, load}); every page is its own chunk, loaded
// when first opened, so a trainer's phone never downloads the administrator's charts.
import { ErrorBoundary, LocationProvider, Route, Router, lazy, useLocation } from 'preact-iso';
import { useEffect } from 'preact/hooks';
import { useI18n } from './i18n/index.js';
import { SessionProvider, useSession } from './session.jsx';
import { OutboxProvider } from './offline/outbox.jsx';
import { Layout } from './ui/layout.jsx';
import { Loading, Page } from './ui/components.jsx';
import LoginPage from './pages/login/login.jsx';
import homeRoutes from './pages/home/routes.js';
import trainerRoutes from './pages/trainer/routes.js';
import attendanceRoutes from './pages/attendance/routes.js';
import learnerRoutes from './pages/learner/routes.js';
import adminRoutes from './pages/admin/routes.js';
import manageRoutes from './pages/manage/routes.js';
import peopleRoutes from './pages/people/routes.js';

const routes = [
  ...homeRoutes,
  ...trainerRoutes,
  ...attendanceRoutes,
  ...learnerRoutes,
  ...adminRoutes,
  ...manageRoutes,
  ...peopleRoutes,
].map((route) => ({ ...route, component: lazy(route.load) }));

/** Sends someone who is not signed in to the login page, and keeps pages to their roles. */
function Guarded({ route, ...props }) {
  const { status, me } = useSession();
  const location = useLocation();
  useEffect(() => {
    if (status === 'anonymous') {
      location.route(`/app/login?next=${encodeURIComponent(location.url)}`, true);
    }
  }, [status]);
  if (status === 'loading' || status === 'anonymous') return <Loading />;
  if (me && route.roles && !route.roles.includes(me.role)) return <NotFound />;
  const Component = route.component;
  return <Component {...props} />;
}

function NotFound() {
  const { t } = useI18n();
  return (
    <Page title={t('notFound.title')}>
      <p>
        <a href="/app">{t('notFound.home')}</a>
      </p>
    </Page>
  );
}

function Routes() {
  return (
    <Layout>
      <ErrorBoundary onError={(error) => console.error(error)}>
        <Router>
          <Route path="/" component={LoginPage} />
          <Route path="/app/login" component={LoginPage} />
          {routes.map((route) => (
            <Route path={route.path} component={(props) => <Guarded route={route} {...props} />} />
          ))}
          <Route default component={NotFound} />
        </Router>
      </ErrorBoundary>
    </Layout>
  );
}

export function App() {
  return (
    <LocationProvider scope="/app">
      <SessionProvider>
        <OutboxProvider>
          <Routes />
        </OutboxProvider>
      </SessionProvider>
    </LocationProvider>
  );
}
