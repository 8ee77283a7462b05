// The admin pages: {path, roles, load}. A page module's default export is the page component; it
// receives the path's :params as props.
export default [{ path: '/app/dashboard', roles: ['admin'], load: () => import('./dashboard.jsx') }];
