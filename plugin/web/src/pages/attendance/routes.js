// The attendance pages: {path, roles, load}. A page module's default export is the page component; it
// receives the path's :params as props.
export default [
  // The sheet of one session: who came, marked on a phone, kept on the device until saved.
  { path: '/app/sessions/:id', roles: ['trainer', 'admin'], load: () => import('./sheet.jsx') },
];
