// The service worker's part of background sending (background.js), bundled into sw.js by
// scripts/service-worker.mjs. On `sync`: an open page of the app sends as it always does (asked by
// postMessage; it answers how many marks still wait), else the worker sends the copies itself.
// Marks still waiting make the sync fail, so the browser tries it again later.
import { kSendMessage, kSyncTag, sendCopies } from './background.js';

export { kSyncTag };

/** How long an open page may take to answer before the sync counts as failed. */
const kPageSeconds = 60;

function askPage(page) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(1), kPageSeconds * 1000);
    channel.port1.onmessage = (event) => {
      clearTimeout(timer);
      resolve(Number(event.data?.waiting ?? 1));
    };
    page.postMessage({ type: kSendMessage }, [channel.port2]);
  });
}

/** What the `sync` event waits for: `scope` is the worker's global scope. */
export async function syncMarks(scope) {
  const pages = await scope.clients.matchAll({type: 'window'});
  if (pages.length === 0) return sendCopies();
  const focused = pages.find((page) => page.focused) || pages[0];
  if ((await askPage(focused)) > 0) throw new Error('marks still wait');
  return undefined;
}
