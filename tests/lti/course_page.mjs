// The pages a browser sees on the emulated platform: a course page embedding the tool in an
// iframe, the iframe's first document (an auto-posting login initiation form, as Moodle's
// launch.php and Canvas's tool form are) and Canvas's hidden `post_message_forwarding` frame.
// Where the platform offers LTI Platform Storage (Client Side postMessages 0.1 and postMessage
// Storage 0.1, as Canvas implements them in ui/shared/lti/jquery: lti.capabilities,
// lti.put_data, lti.get_data answered with subject + ".response", the same message_id, and
// error codes unsupported_subject, bad_request, wrong_origin, storage_exhaustion), the course
// page and the forwarding frame run the same listener over the platform origin's localStorage,
// partitioned by the sender's origin. Moodle offers none: its page ignores every postMessage.

const escapeHtml = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** An HTML page whose form posts `fields` to `action` as soon as it loads. */
export function autoPostPage({ action, fields, title = '', target = '' }) {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `  <input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}"/>`)
    .join('\n');
  const targetAttribute = target ? ` target="${escapeHtml(target)}"` : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
<form action="${escapeHtml(action)}" name="ltiAutoPostForm" id="ltiAutoPostForm" method="post" enctype="application/x-www-form-urlencoded"${targetAttribute}>
${inputs}
</form>
<script>document.getElementById('ltiAutoPostForm').submit();</script>
</body></html>
`;
}

/**
 * The platform side of the storage messages, run in the course page and the forwarding frame.
 * `toolOrigin` is the only origin whose messages are served; `frame` the frame named in the
 * capabilities answer for put_data / get_data (null: the receiving window itself).
 */
function storageScript({ toolOrigin, frame }) {
  return `(function () {
  var TOOL_ORIGIN = ${JSON.stringify(toolOrigin)};
  var FRAME = ${JSON.stringify(frame)};
  var CHAR_LIMIT = 4096, KEY_LIMIT = 500;
  var log = (window.ltiPlatformMessages = []);
  function storageKey(origin, key) { return 'lti|platform_storage|' + origin + '|' + key; }
  function ownKeys(origin) {
    var prefix = storageKey(origin, ''), keys = [];
    for (var i = 0; i < localStorage.length; i++) {
      var k = localStorage.key(i);
      if (k.indexOf(prefix) === 0) keys.push(k);
    }
    return keys;
  }
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (typeof data === 'string') { try { data = JSON.parse(data); } catch (e) { return; } }
    if (!data || typeof data !== 'object' || typeof data.subject !== 'string') return;
    if (/\\.response$/.test(data.subject)) return;
    var entry = { origin: event.origin, subject: data.subject, message_id: data.message_id, key: data.key };
    log.push(entry);
    function reply(body) {
      var message = { subject: data.subject + '.response' };
      if (data.message_id !== undefined) message.message_id = data.message_id;
      for (var name in body) message[name] = body[name];
      entry.response = message;
      if (event.source) event.source.postMessage(message, event.origin === 'null' ? '*' : event.origin);
    }
    function error(code, message) { reply({ error: message ? { code: code, message: message } : { code: code } }); }
    if (event.origin !== TOOL_ORIGIN) return error('wrong_origin', 'Messages are accepted from the launched tool only');
    if (['lti.capabilities', 'lti.put_data', 'lti.get_data'].indexOf(data.subject) < 0) return error('unsupported_subject');
    if (!data.message_id) return error('bad_request', "Missing required 'message_id' field");
    if (data.subject === 'lti.capabilities') {
      var storage = FRAME ? { frame: FRAME } : {};
      return reply({ supported_messages: [
        { subject: 'lti.capabilities' },
        Object.assign({ subject: 'lti.put_data' }, storage),
        Object.assign({ subject: 'lti.get_data' }, storage)
      ] });
    }
    if (typeof data.key !== 'string' || data.key === '') return error('bad_request', "Missing required 'key' field");
    var k = storageKey(event.origin, data.key);
    if (data.subject === 'lti.get_data') return reply({ key: data.key, value: localStorage.getItem(k) });
    if (data.value === null || data.value === undefined || data.value === '') {
      localStorage.removeItem(k);
      return reply({ key: data.key });
    }
    var value = String(data.value), keys = ownKeys(event.origin), used = 0;
    for (var i = 0; i < keys.length; i++) if (keys[i] !== k) used += keys[i].length + localStorage.getItem(keys[i]).length;
    if (localStorage.getItem(k) === null && keys.length >= KEY_LIMIT) return error('storage_exhaustion', 'Reached key limit for tool');
    if (used + k.length + value.length > CHAR_LIMIT) return error('storage_exhaustion', 'Reached byte limit for tool');
    localStorage.setItem(k, value);
    reply({ key: data.key, value: value });
  });
})();`;
}

/** The hidden frame Canvas names in lti_storage_target. */
export function forwardingFramePage({ toolOrigin }) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>post_message_forwarding</title></head>
<body><script>${storageScript({ toolOrigin, frame: null })}</script></body></html>
`;
}

/**
 * A course page embedding the tool: <iframe name="tool"> whose first document is `launchPath`.
 * `storageTarget`: null (no Platform Storage, as Moodle), '_parent' (this page answers) or
 * 'post_message_forwarding' (a hidden sibling frame of that name answers, as Canvas).
 */
export function coursePage({ context, user, launchPath, toolOrigin, storageTarget, lang = 'kk' }) {
  const frame = storageTarget === 'post_message_forwarding' ? 'post_message_forwarding' : null;
  const forwarding = frame ? '<iframe name="post_message_forwarding" title="post_message_forwarding" src="/post_message_forwarding" hidden></iframe>\n' : '';
  const script = storageTarget ? `<script>${storageScript({ toolOrigin, frame })}</script>\n` : '';
  return `<!DOCTYPE html>
<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><title>${escapeHtml(context.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<header><h1>${escapeHtml(context.title)}</h1><p>${escapeHtml(user.given)} ${escapeHtml(user.family)}</p></header>
<main>
${script}${forwarding}<iframe name="tool" title="Qatysu" src="${escapeHtml(launchPath)}"
  style="width:100%;height:80vh;border:0" allow="clipboard-write"></iframe>
</main>
</body></html>
`;
}
