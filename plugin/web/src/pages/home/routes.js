// /app: sends each account to the first page of its role.
export default [{ path: '/app', roles: null, load: () => import('./home.jsx') }];
