// The learner pages: {path, roles, load}. A page module's default export is the page component; it
// receives the path's :params as props.
export default [
  { path: '/app/my', roles: ['learner'], load: () => import('./my.jsx') },
  { path: '/app/my/account', roles: ['learner'], load: () => import('./account.jsx') },
  { path: '/app/my/certificates/:id', roles: ['learner'], load: () => import('./qr.jsx') },
];
