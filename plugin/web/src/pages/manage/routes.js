// The administrator's management pages: {path, roles, load}. A page module's default export is
// the page component; it receives the path's :params as props.
const admin = ['admin'];

export default [
  { path: '/app/manage', roles: admin, load: () => import('./hub.jsx') },
  { path: '/app/manage/programmes', roles: admin, load: () => import('./programmes.jsx') },
  { path: '/app/manage/programmes/:id', roles: admin, load: () => import('./programme.jsx') },
  { path: '/app/manage/localities', roles: admin, load: () => import('./localities.jsx') },
  { path: '/app/manage/courses', roles: admin, load: () => import('./courses.jsx') },
  { path: '/app/manage/cohorts', roles: admin, load: () => import('./cohorts.jsx') },
  { path: '/app/manage/accounts', roles: admin, load: () => import('./accounts.jsx') },
];
