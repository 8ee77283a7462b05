// The administrator's pages about people: a person's page (their data, enrolments, certificates
// and history), correcting their details, their personal data (export, consent, erasure), the
// likely duplicates, and merging two records. {path, roles, load}.
const admin = ['admin'];

export default [
  {path: '/app/people/duplicates', roles: admin, load: () => import('./duplicates.jsx')},
  {path: '/app/people/:id', roles: admin, load: () => import('./person.jsx')},
  {path: '/app/people/:id/edit', roles: admin, load: () => import('./edit.jsx')},
  {path: '/app/people/:id/data', roles: admin, load: () => import('./data.jsx')},
  {path: '/app/people/:id/merge/:other', roles: admin, load: () => import('./merge.jsx')},
];
