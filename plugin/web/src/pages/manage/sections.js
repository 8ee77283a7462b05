// The management pages in the order the hub lists them (each /app/manage/<section>).
export const sections = ['programmes', 'localities', 'courses', 'cohorts', 'accounts'];
