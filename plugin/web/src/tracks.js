// The tracks the service knows, with their names in kk, ru and en, from GET /api/v1/tracks: the
// list and the names live once, on the server (courses::knownTracks, courses::trackLabel), and
// every page reads them from here. They are fetched once per page load and shared; until they
// arrive, or when the request fails, a track is shown by its code (the page says how).
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';

let cached = null;
let pending = null;

/** The known tracks [{track, label: {kk, ru, en}}] in report order, fetched at most once. */
export function loadTracks() {
  if (cached) return Promise.resolve(cached);
  if (!pending) {
    pending = api('/tracks')
      .then((answer) => {
        cached = answer.items || [];
        return cached;
      })
      .finally(() => {
        pending = null; // a failed request is tried again by the next page that asks
      });
  }
  return pending;
}

/** The known tracks for a component: [] until they have loaded. */
export function useTracks() {
  const [tracks, setTracks] = useState(cached || []);
  useEffect(() => {
    let live = true;
    loadTracks()
      .then((list) => live && setTracks(list))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, []);
  return tracks;
}

/** The {kk, ru, en} name of `track` among `tracks`, or null for a track the service does not know. */
export function knownTrackLabel(tracks, track) {
  return tracks.find((known) => known.track === track)?.label || null;
}

/**
 * A track's name in the reader's language, as the service names it: from `tracks` (useTracks),
 * else from `label`, the {kk, ru, en} name the service sent with the record that carries the
 * track (a course's track_label, a totals value's label), else, until either has come, its code.
 * Every page names a track through this.
 */
export function trackName(i18n, tracks, track, label = null) {
  const name = knownTrackLabel(tracks, track) || label;
  return name ? i18n.pick(name) : track;
}

/** A comparison of track codes in the reports' order: the known ones first, the others by code. */
export function trackOrder(tracks) {
  const rank = (code) => {
    const index = tracks.findIndex((known) => known.track === code);
    return index < 0 ? tracks.length : index;
  };
  return (a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}
