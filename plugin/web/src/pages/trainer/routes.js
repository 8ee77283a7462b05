// The trainer pages: {path, roles, load}. A page module's default export is the page component; it
// receives the path's :params as props. An administrator sees every cohort through the same pages.
const roles = ['trainer', 'admin'];

export default [
  { path: '/app/cohorts', roles, load: () => import('./cohorts.jsx') },
  { path: '/app/cohorts/:id', roles, load: () => import('./cohort.jsx') },
  { path: '/app/cohorts/:id/register', roles, load: () => import('./register.jsx') },
  { path: '/app/cohorts/:id/import', roles, load: () => import('./import.jsx') },
];
