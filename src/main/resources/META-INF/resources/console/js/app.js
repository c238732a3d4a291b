// The console's shell: sign-in, the hash routes, focus and titles. Every page is a module with a render function
// (main, route, context) that builds the page from the API; the key stays in sessionStorage and in Authorization headers.

import * as api from './api.js';
import {announce, fill, h} from './dom.js';
import {analyticsPage} from './analytics.js';
import {erasuresPage} from './erasures.js';
import {recordPage, recordsPage} from './records.js';
import {userPage} from './users.js';

const main = document.getElementById('main');

const ROUTES = [
  {pattern: /^\/records$/, section: 'records', render: recordsPage},
  {pattern: /^\/records\/([^/]+)$/, section: 'records', render: recordPage},
  {pattern: /^\/users\/([^/]+)$/, section: 'records', render: userPage},
  {pattern: /^\/analytics$/, section: 'analytics', render: analyticsPage},
  {pattern: /^\/erasures$/, section: 'erasures', render: erasuresPage},
];

let current = null;
let signInMessage = null;

/** The route of the location's hash: its path, its decoded path parameters and its query. */
function route() {
  const raw = location.hash.startsWith('#/') ? location.hash.slice(1) : '/records';
  const at = raw.indexOf('?');
  const path = at < 0 ? raw : raw.slice(0, at);
  const params = new URLSearchParams(at < 0 ? '' : raw.slice(at + 1));
  for (const r of ROUTES) {
    const m = path.match(r.pattern);
    if (m) {
      return {...r, path, params, args: m.slice(1).map(decodeURIComponent)};
    }
  }
  return {pattern: null, section: null, render: notFound, path, params, args: []};
}

/** Goes to a hash; renders again when it is the one shown already (a form submitted twice). */
export function navigate(hash) {
  if (location.hash === hash) {
    show();
  } else {
    location.hash = hash;
  }
}

/** Renders the route of the hash; a newer navigation cancels the requests of an older one. */
async function show() {
  if (!location.hash.startsWith('#/') && location.hash !== '') {
    return;
  }
  const r = route();
  if (!api.key()) {
    signIn();
    return;
  }
  const focusedId = document.activeElement && document.activeElement.id;
  const samePage = current && current.path === r.path;
  if (current) {
    current.abort.abort();
  }
  const abort = new AbortController();
  current = {path: r.path, abort};
  showShell(r.section);
  main.setAttribute('aria-busy', 'true');
  const context = {
    signal: abort.signal,
    navigate,
    focusAfter: null,
  };
  try {
    await r.render(main, r, context);
  } catch (e) {
    if (e.name === 'AbortError') {
      return;
    }
    if (e instanceof api.SignInRequired) {
      signInMessage = e.message;
      signIn();
      return;
    }
    fill(main, h('h1', {tabindex: -1}, 'Something went wrong'),
      h('p', {class: 'error', role: 'alert'}, e.message || String(e)),
      h('p', {}, h('button', {type: 'button', on: {click: show}}, 'Try again')));
    context.focusAfter = null;
  } finally {
    if (!abort.signal.aborted) {
      main.removeAttribute('aria-busy');
    }
  }
  if (abort.signal.aborted) {
    return;
  }
  const heading = main.querySelector('h1');
  document.title = (heading ? heading.textContent + ' · ' : '') + 'Consent vault console';
  // the page asked for a control (an error's field); else, on the same page, the control that was used; else the title
  const again = samePage && focusedId ? document.getElementById(focusedId) : null;
  const target = context.focusAfter || (again && !again.disabled ? again : null) || heading || main;
  target.focus();
  if (context.focusAfter && context.select) {
    context.select();
  }
  if (!context.focusAfter && again && !again.disabled) {
    announce(heading ? heading.textContent + ' updated' : 'Updated');
  }
}

function notFound(el) {
  fill(el, h('h1', {tabindex: -1}, 'Not found'),
    h('p', {}, 'There is no such page. ', h('a', {href: '#/records'}, 'Go to the records.')));
}

function showShell(section) {
  document.getElementById('nav').hidden = false;
  document.getElementById('session').hidden = false;
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.section === section) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  const org = sessionStorage.getItem('consent-vault.console.org');
  document.getElementById('session-org').textContent = org ? 'Organization ' + org : '';
}

/** The sign-in page. The key field has no name, so no form submission can ever carry it. */
function signIn() {
  if (current) {
    current.abort.abort();
    current = null;
  }
  document.getElementById('nav').hidden = true;
  document.getElementById('session').hidden = true;
  main.removeAttribute('aria-busy');
  const message = h('p', {id: 'sign-in-error', class: 'error', role: 'alert'});
  const input = h('input', {id: 'api-key', type: 'password', autocomplete: 'off', spellcheck: 'false',
    required: true, 'aria-describedby': 'api-key-hint sign-in-error'});
  const button = h('button', {type: 'submit', id: 'sign-in'}, 'Sign in');
  const form = h('form', {class: 'sign-in', method: 'post', novalidate: true},
    h('label', {for: 'api-key'}, 'API key'),
    h('p', {id: 'api-key-hint', class: 'hint'},
      'A key of your organization with the scope vault:read. It is kept for this browser tab only, until you sign out or close it.'),
    input, button, message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const presented = input.value.trim();
    if (!presented) {
      message.textContent = 'Enter an API key.';
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    button.disabled = true;
    message.textContent = '';
    try {
      const page = await api.get('/v1/vault/records', {limit: 1}, {apiKey: presented});
      api.keep(presented);
      const first = page.records[0];
      if (first) {
        sessionStorage.setItem('consent-vault.console.org', first.organization_id);
      }
      input.value = '';
      signInMessage = null;
      announce('Signed in');
      if (!location.hash.startsWith('#/')) {
        location.hash = '#/records';
      } else {
        show();
      }
    } catch (e) {
      input.setAttribute('aria-invalid', 'true');
      message.textContent = e.message;
      button.disabled = false;
      input.focus();
      input.select();
    }
  });
  fill(main, h('h1', {tabindex: -1}, 'Sign in to the consent vault'), form);
  document.title = 'Sign in · Consent vault console';
  if (signInMessage) {
    message.textContent = signInMessage;
  }
  input.focus();
}

document.getElementById('sign-out').addEventListener('click', () => {
  api.forget();
  sessionStorage.removeItem('consent-vault.console.org');
  signInMessage = 'Signed out.';
  signIn();
});

document.getElementById('skip').addEventListener('click', (event) => {
  // the hash carries the route: the skip link moves focus without changing it
  event.preventDefault();
  const heading = main.querySelector('h1');
  (heading || main).focus();
});

window.addEventListener('hashchange', show);
show();
