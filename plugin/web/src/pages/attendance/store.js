// The marks of one session's sheet as this device knows them, kept in localStorage so that no tap
// is lost to a dropped connection, a closed tab or a flat battery.
//
// The record holds the server's last known sheet (`rows`, so the page can open without a
// connection), the heading shown above it, and `pending`: the marks made here that the server has
// not confirmed, one per enrolment:
//   {status, seq, base, base_status, sent}
// - `seq` grows with every tap, so a confirmation clears a mark only if it was not tapped again
//   while the request was on its way (a newer mark is never dropped).
// - `base` and `base_status` are the server's `marked_at` and status of that row when the mark was
//   first made here; if the server's row has changed since (someone else marked it), sending ours
//   would overwrite a newer mark, so it becomes a conflict the trainer settles instead. (The status
//   is compared too: two writes within one second share a `marked_at`.)
// - `sent` lists statuses sent in requests whose answer never came: finding one of them on the
//   server means our own request got through, not that someone else changed the row.
// The page writes the record after every change. Plain JS with no DOM, so it runs under node too.
// The sheets with marks still to send are one part of the device's queue (src/offline/queue.js),
// which sends them from whatever page is open (and the service worker with none open:
// src/offline/background.js); openSheet() gives the page and the queue the same
// store of a sheet, so neither writes over what the other just wrote.

/** The order one tap moves a mark through; a first tap marks present. */
export const cycle = ['present', 'absent', 'late', 'excused'];

/** The status after one more tap on a row showing `status` (null: not marked). */
export function nextStatus(status) {
  const index = cycle.indexOf(status);
  return index < 0 ? cycle[0] : cycle[(index + 1) % cycle.length];
}

const kVersion = 1;
const kMaxSent = 4;

/** Whether the server's row is no longer the one a mark made here was based on. */
function changedSince(row, mine) {
  return (row.marked_at ?? null) !== mine.base || (row.status ?? null) !== (mine.base_status ?? null);
}

const kKeyPrefix = 'qatysu.attendance.';

/** Where a session's sheet is kept: per account, so marks left unsent by one trainer on a shared
 * phone are never sent under another account's name. */
export function storageKey(sessionId, accountId = 'anonymous') {
  return `${kKeyPrefix}${accountId}.${sessionId}`;
}

function emptyRecord(sessionId) {
  return {
    version: kVersion,
    session_id: String(sessionId),
    rows: null,
    fetched_at: null,
    heading: null,
    pending: {},
    seq: 0,
    send_when_online: false,
    saved_at: null,
  };
}

export class SheetStore {
  /** `storage` is localStorage in the page (anything with getItem/setItem/removeItem in tests). */
  constructor(sessionId, storage, accountId = 'anonymous') {
    this.sessionId = String(sessionId);
    this.key = storageKey(sessionId, accountId);
    this.storage = storage;
    this.writable = true;
    this.record = this.read();
  }

  read() {
    try {
      const text = this.storage?.getItem(this.key);
      const record = text ? JSON.parse(text) : null;
      if (record && record.version === kVersion && record.session_id === this.sessionId && record.pending) {
        return record;
      }
    } catch {
      // Unreadable (private mode, or a damaged value): start from the server's sheet.
    }
    return emptyRecord(this.sessionId);
  }

  /** Writes the record; answers false (and remembers it) when the device refused. */
  write() {
    try {
      this.storage.setItem(this.key, JSON.stringify(this.record));
      this.writable = true;
    } catch {
      this.writable = false;
    }
    for (const listener of listeners) listener();
    return this.writable;
  }

  get rows() {
    return this.record.rows;
  }

  get heading() {
    return this.record.heading;
  }

  setHeading(heading) {
    this.record.heading = heading;
    this.write();
  }

  /** The server's sheet as just read (GET or PUT answer). */
  setServerRows(rows, now = new Date().toISOString()) {
    this.record.rows = rows.map((r) => ({
      enrolment_id: r.enrolment_id,
      participant_id: r.participant_id,
      participant_name: r.participant_name,
      status: r.status ?? null,
      marked_at: r.marked_at ?? null,
      marked_by: r.marked_by ?? null,
    }));
    this.record.fetched_at = now;
    this.write();
  }

  serverRow(enrolmentId) {
    return (this.record.rows || []).find((r) => r.enrolment_id === enrolmentId) || null;
  }

  pendingFor(enrolmentId) {
    return this.record.pending[enrolmentId] || null;
  }

  /** What the row shows: the mark made here if any, else the server's. */
  statusOf(enrolmentId) {
    const mine = this.pendingFor(enrolmentId);
    if (mine) return mine.status;
    return this.serverRow(enrolmentId)?.status ?? null;
  }

  /** Sets a row's mark here (kept on the device at once). */
  mark(enrolmentId, status) {
    const row = this.serverRow(enrolmentId);
    const existing = this.pendingFor(enrolmentId);
    this.record.seq += 1;
    const unchanged = row && row.status === status && (!existing || (!existing.conflict && existing.sent.length === 0 && !changedSince(row, existing)));
    if (unchanged) {
      // Back to what the server holds, nobody changed it meanwhile and no request of ours may have
      // changed it either: nothing left to send.
      delete this.record.pending[enrolmentId];
      return this.write();
    }
    this.record.pending[enrolmentId] = {
      status,
      seq: this.record.seq,
      base: existing ? existing.base : (row?.marked_at ?? null),
      base_status: existing ? existing.base_status : (row?.status ?? null),
      sent: existing ? existing.sent : [],
      ...(existing?.conflict ? { conflict: existing.conflict } : {}),
    };
    return this.write();
  }

  /** One tap: the next status of the cycle. Answers the new status. */
  tap(enrolmentId) {
    const status = nextStatus(this.statusOf(enrolmentId));
    this.mark(enrolmentId, status);
    return status;
  }

  /** Marks every row that shows no mark present; answers how many. */
  allPresent() {
    let count = 0;
    for (const row of this.record.rows || []) {
      if (this.statusOf(row.enrolment_id) === null) {
        this.record.seq += 1;
        this.record.pending[row.enrolment_id] = {
          status: 'present',
          seq: this.record.seq,
          base: row.marked_at ?? null,
          base_status: row.status ?? null,
          sent: [],
        };
        count += 1;
      }
    }
    if (count > 0) this.write();
    return count;
  }

  /** Marks made here and not yet confirmed by the server. */
  get pendingCount() {
    return Object.keys(this.record.pending).length;
  }

  get sendWhenOnline() {
    return this.record.send_when_online && this.pendingCount > 0;
  }

  /** After a save failed for want of a connection: send by itself once it returns. */
  setSendWhenOnline(value) {
    if (this.record.send_when_online !== value) {
      this.record.send_when_online = value;
      this.write();
    }
  }

  /** Unsettled conflicts: [{enrolment_id, mine, theirs, marked_at, marked_by, gone}]. */
  get conflicts() {
    return Object.entries(this.record.pending)
      .filter(([, p]) => p.conflict)
      .map(([id, p]) => ({ enrolment_id: Number(id), mine: p.status, ...p.conflict }));
  }

  /**
   * Compares the marks made here with the server's sheet just read (`rows`, which become the
   * known sheet). Marks the server already holds are cleared, marks over a row someone else
   * changed become conflicts, and the rest are answered as the PUT body's marks with the `seq`
   * each was sent at: {marks: [{enrolment_id, status}], seqs: {id: seq}}.
   */
  plan(rows) {
    this.setServerRows(rows);
    const marks = [];
    const seqs = {};
    for (const [key, mine] of Object.entries(this.record.pending)) {
      const id = Number(key);
      if (mine.conflict) continue;
      const row = this.serverRow(id);
      if (!row) {
        mine.conflict = { gone: true, theirs: null, marked_at: null, marked_by: null };
      } else if (row.status === mine.status) {
        delete this.record.pending[key];
      } else if (changedSince(row, mine) && !mine.sent.includes(row.status)) {
        mine.conflict = { gone: false, theirs: row.status, marked_at: row.marked_at, marked_by: row.marked_by };
      } else {
        marks.push({ enrolment_id: id, status: mine.status });
        seqs[key] = mine.seq;
        if (!mine.sent.includes(mine.status)) mine.sent = [...mine.sent, mine.status].slice(-kMaxSent);
      }
    }
    this.write();
    return { marks, seqs };
  }

  /**
   * The server accepted the marks sent at `seqs` and answered its sheet `rows`: clears each mark
   * not tapped again since; a mark tapped again stays, now based on our own write.
   */
  confirm(seqs, rows, now = new Date().toISOString()) {
    this.setServerRows(rows, now);
    for (const [key, seq] of Object.entries(seqs)) {
      const mine = this.record.pending[key];
      if (!mine) continue;
      if (mine.seq === seq) {
        delete this.record.pending[key];
      } else {
        const row = this.serverRow(Number(key));
        mine.base = row?.marked_at ?? null;
        mine.base_status = row?.status ?? null;
        mine.sent = [];
      }
    }
    if (this.pendingCount === 0) {
      this.record.send_when_online = false;
      this.record.saved_at = now;
    }
    this.write();
  }

  /**
   * What a send made from a copy of this record elsewhere (the service worker's, with no page
   * open: src/offline/background.js) found. `sent` maps an enrolment to the statuses its requests
   * carried (so finding one on the server is no conflict); `confirmed` (null when no answer came)
   * maps an enrolment to the `seq` of the mark the server now holds, and `rows` is the server's
   * sheet read at `at`. As in confirm(), a mark tapped again since keeps waiting. A sheet read here
   * after `at` knows better: then only `sent` is taken, and the next send clears what the server
   * holds.
   */
  absorb({ sent = {}, confirmed = null, rows = null, at = null }) {
    for (const [key, statuses] of Object.entries(sent)) {
      const mine = this.record.pending[key];
      if (!mine) continue;
      for (const status of statuses) {
        if (!mine.sent.includes(status)) mine.sent = [...mine.sent, status].slice(-kMaxSent);
      }
    }
    const stale = this.record.fetched_at && at && at < this.record.fetched_at;
    if (confirmed && rows && !stale) this.confirm(confirmed, rows, at);
    else this.write();
  }

  /** Settles a conflict: keep the mark made here (sent next time) or take the server's. */
  settle(enrolmentId, keepMine) {
    const mine = this.record.pending[enrolmentId];
    if (!mine?.conflict) return;
    if (keepMine && !mine.conflict.gone) {
      mine.base = mine.conflict.marked_at;
      mine.base_status = mine.conflict.theirs;
      delete mine.conflict;
    } else {
      delete this.record.pending[enrolmentId];
    }
    if (this.pendingCount === 0) this.record.send_when_online = false;
    this.write();
  }

  /** Drops every mark made here that the server has not confirmed (a cancelled session's sheet
   * takes none: the trainer chose not to keep them for a restore). */
  discardPending() {
    this.record.pending = {};
    this.record.send_when_online = false;
    this.write();
  }

  get savedAt() {
    return this.record.saved_at;
  }

  get fetchedAt() {
    return this.record.fetched_at;
  }
}

/** Memory standing in for localStorage: the service worker's copy of a sheet, and tests. */
export function memoryStorage(entries = []) {
  const items = new Map(entries);
  return {
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => items.set(key, String(value)),
    removeItem: (key) => items.delete(key),
    key: (i) => [...items.keys()][i] ?? null,
    get length() {
      return items.size;
    },
  };
}

const listeners = new Set();

/** Calls `listener` after every write of any sheet; answers the function that stops it. */
export function onSheetWrite(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const openStores = new Map();

/** The one store of a session's sheet for this account on `storage` (made on first use). */
export function openSheet(sessionId, storage, accountId = 'anonymous') {
  const key = storageKey(sessionId, accountId);
  let store = openStores.get(key);
  if (!store || store.storage !== storage) {
    store = new SheetStore(sessionId, storage, accountId);
    openStores.set(key, store);
  }
  return store;
}

/** The sessions whose sheets this account keeps on `storage`. */
export function keptSessions(storage, accountId = 'anonymous') {
  const prefix = storageKey('', accountId);
  const ids = [];
  try {
    for (let i = 0; i < storage.length; i += 1) {
      const key = storage.key(i);
      if (key && key.startsWith(prefix)) ids.push(key.slice(prefix.length));
    }
  } catch {
    // No storage: nothing kept.
  }
  return ids;
}

/**
 * One round of sending a sheet's marks: the server's sheet first (marks someone else changed
 * since ours were made become conflicts, marks it already holds are not sent again), then ONE PUT
 * of the rest. `request(path, options)` is api() with a time limit; `onPlanned` is called (and
 * awaited) once the plan is made, before the PUT: the page shows the conflicts at once, the service
 * worker notes what it is about to send. Throws what the request threw.
 */
export async function sendSheet(store, request, onPlanned = () => {}) {
  const path = `/sessions/${encodeURIComponent(store.sessionId)}/attendance`;
  const current = await request(path);
  const { marks, seqs } = store.plan(current.rows);
  await onPlanned();
  if (marks.length > 0) {
    const saved = await request(path, { method: 'PUT', body: { marks } });
    store.confirm(seqs, saved.rows);
  } else {
    store.confirm({}, current.rows);
  }
}

/** Counts of the sheet as shown: {total, marked, present, late, excused, absent}. */
export function countMarks(store) {
  const counts = { total: 0, marked: 0, present: 0, late: 0, excused: 0, absent: 0 };
  for (const row of store.rows || []) {
    counts.total += 1;
    const status = store.statusOf(row.enrolment_id);
    if (status) {
      counts.marked += 1;
      counts[status] += 1;
    }
  }
  return counts;
}

/**
 * Removes from `storage` every kept sheet that holds no unsent mark (names of people stay on a
 * shared phone no longer than needed); sheets with marks still to send are kept, so signing out
 * never loses a mark. Meant for sign-out. Answers how many were removed.
 */
export function forgetSavedSheets(storage) {
  const prefix = kKeyPrefix;
  const keys = [];
  try {
    for (let i = 0; i < storage.length; i += 1) {
      const key = storage.key(i);
      if (key && key.startsWith(prefix)) keys.push(key);
    }
    let removed = 0;
    for (const key of keys) {
      let record = null;
      try {
        record = JSON.parse(storage.getItem(key));
      } catch {
        record = null;
      }
      if (!record || !record.pending || Object.keys(record.pending).length === 0) {
        storage.removeItem(key);
        removed += 1;
      }
    }
    openStores.clear();
    return removed;
  } catch {
    return 0;
  }
}
