// The trainer pages: {path, roles, load}. A page module's default export is the page component (or
// `load` answers the one it names); it receives the path's :params as props. An administrator sees every cohort through the same pages.
const roles = ['trainer', 'admin'];

export default [
  // A trainer's own totals (an administrator has the dashboard).
  { path: '/app/totals', roles: ['trainer'], load: () => import('./totals.jsx') },
  { path: '/app/cohorts', roles, load: () => import('./cohorts.jsx') },
  { path: '/app/cohorts/:id', roles, load: () => import('./cohort.jsx') },
  { path: '/app/cohorts/:id/register', roles, load: () => import('./register.jsx') },
  { path: '/app/cohorts/:id/import', roles, load: () => import('./import.jsx') },
  // Who changed a cohort or one of its sessions, and what (histories are for administrators).
  { path: '/app/cohorts/:id/history', roles: ['admin'], load: () => import('./history.jsx').then((m) => m.CohortHistoryPage) },
  { path: '/app/sessions/:id/history', roles: ['admin'], load: () => import('./history.jsx').then((m) => m.SessionHistoryPage) },
];
