// The home page: sign up or log in, create a room and share its link, and the public rooms open now.
// (The full web app comes with its own issue; this page is the shortest path from a fresh server to a room.)

const $ = (selector) => document.querySelector(selector);

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new Error(json?.error?.message ?? `HTTP ${response.status}`);
  return json;
}

function showError(message) {
  $('#banner-text').textContent = message;
  $('#banner').hidden = false;
}

async function refresh() {
  let me = null;
  try {
    me = await api('GET', '/api/me');
  } catch {
    me = null;
  }
  $('#who').textContent = me ? `Logged in as ${me.displayName}` : '';
  $('#account').hidden = Boolean(me);
  $('#create').hidden = !me;
  const { rooms } = await api('GET', '/api/rooms');
  const list = $('#rooms');
  list.replaceChildren();
  for (const room of rooms.filter((r) => r.state === 'open')) {
    const item = document.createElement('li');
    const a = document.createElement('a');
    a.href = room.link;
    a.textContent = `${room.title} (${room.kind}, ${room.people} in it)`;
    item.append(a);
    list.append(item);
  }
  if (!list.children.length) list.append(Object.assign(document.createElement('li'), { textContent: 'No public room is open.' }));
}

async function account(path, extra = {}) {
  try {
    await api('POST', path, { username: $('#username').value.trim(), password: $('#password').value, ...extra });
    await refresh();
  } catch (error) {
    showError(error.message);
  }
}

$('#banner-close').addEventListener('click', () => { $('#banner').hidden = true; });
$('#account-form').addEventListener('submit', (event) => {
  event.preventDefault();
  account('/api/sessions');
});
$('#sign-up').addEventListener('click', () => account('/api/accounts'));
$('#log-out').addEventListener('click', async () => {
  await api('DELETE', '/api/sessions/current').catch(() => {});
  await refresh();
});
$('#create-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const room = await api('POST', '/api/rooms', {
      kind: $('#kind').value,
      title: $('#title').value,
      activity: $('#activity').value,
      visibility: $('#private').checked ? 'private' : 'public',
      knock: $('#knock').checked,
    });
    const url = new URL(room.link, location.href).href;
    $('#link').href = url;
    $('#link').textContent = url;
    $('#created').hidden = false;
    await refresh();
  } catch (error) {
    showError(error.message);
  }
});
$('#copy').addEventListener('click', () => navigator.clipboard?.writeText($('#link').href));
refresh().catch((error) => showError(error.message));
