// A user's timeline: their records, newest first, and their state as it was at a chosen instant.

import * as api from './api.js';
import {dl, fill, formatTime, h, plural, time, value} from './dom.js';
import {recordsTable} from './records.js';

const HISTORY_PAGE = 50;

function now() {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

export async function userPage(main, r, ctx) {
  const [userId] = r.args;
  const at = r.params.get('at') || '';
  const path = '#/users/' + encodeURIComponent(userId);

  const input = h('input', {id: 'state-at', type: 'text', value: at || now(), autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': 'state-at-hint state-at-error'});
  const form = h('form', {class: 'inline-form', id: 'state-form', novalidate: true},
    h('div', {class: 'field'},
      h('label', {for: 'state-at'}, 'Instant'),
      input,
      h('p', {id: 'state-at-hint', class: 'hint'}, 'An RFC 3339 instant, for example 2026-11-01T10:00:00Z.'),
      h('p', {id: 'state-at-error', class: 'field-error'})),
    h('div', {class: 'actions'},
      h('button', {type: 'submit', id: 'show-state'}, 'Show the state'),
      h('button', {type: 'button', id: 'state-now', class: 'secondary'}, 'Now')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.navigate(path + '?at=' + encodeURIComponent(input.value.trim()));
  });
  form.querySelector('#state-now').addEventListener('click', () => ctx.navigate(path + '?at=' + encodeURIComponent(now())));

  const stateSection = h('section', {class: 'state', 'aria-labelledby': 'state-title'},
    h('h2', {id: 'state-title'}, 'State at an instant'), form, h('div', {id: 'state-result'}));
  const historySection = h('section', {class: 'history', 'aria-labelledby': 'history-title'},
    h('h2', {id: 'history-title'}, 'History'), h('div', {id: 'history'}));
  fill(main,
    h('p', {class: 'crumbs'}, h('a', {href: '#/records'}, 'Records'), ' › User'),
    h('h1', {tabindex: -1}, 'User ', h('span', {class: 'id'}, userId)),
    stateSection, historySection);

  const instant = at || input.value;
  const atButton = (rec) => h('a', {href: path + '?at=' + encodeURIComponent(rec.created_at), class: 'state-link',
    'aria-label': 'State after the record of ' + formatTime(rec.created_at)}, 'State then');
  const [state, history] = await Promise.all([
    loadState(userId, instant, ctx).catch((e) => e),
    api.get('/v1/vault/records', {user_id: userId, limit: HISTORY_PAGE}, {signal: ctx.signal}),
  ]);
  if (state instanceof Error) {
    if (!(state instanceof api.ApiError) || state.status !== 400) {
      throw state;
    }
    input.setAttribute('aria-invalid', 'true');
    fill(main.querySelector('#state-at-error'), state.fieldErrors().map((e) => e.message).join('; ') || state.message);
    main.querySelector('#state-at-error').setAttribute('role', 'alert');
    if (at) {
      ctx.focusAfter = input;
    }
  } else {
    fill(main.querySelector('#state-result'), state);
  }
  showHistory(main.querySelector('#history'), userId, history, atButton, ctx);
}

async function loadState(userId, instant, ctx) {
  let user;
  try {
    user = await api.get('/v1/vault/users/' + encodeURIComponent(userId) + '/state', {at: instant}, {signal: ctx.signal});
  } catch (e) {
    if (e instanceof api.ApiError && e.status === 404) {
      return h('p', {id: 'state-summary', role: 'status'}, 'No event of this user by ' + formatTime(instant) + ': no consent known then.');
    }
    throw e;
  }
  const consents = user.consents || {};
  // IAB purposes by number, then named ones
  const purposes = [...(consents.purposes || [])].sort((a, b) => a.id.localeCompare(b.id, 'en', {numeric: true}));
  const vendors = consents.vendors || {};
  return [
    h('p', {id: 'state-summary', role: 'status'}, 'As it was at ', time(instant), ': version ', String(user.version),
      ', last changed ', time(user.updated_at), '.'),
    dl([
      ['Country', value(user.country)],
      ['Country last seen', value(user.last_seen_country)],
      ['First seen', time(user.created_at)],
      user.consents && consents.tcfcs ? ['TCF string', h('code', {class: 'wrap'}, consents.tcfcs)] : null,
    ]),
    purposes.length
      ? h('div', {class: 'table-wrap'}, h('table', {class: 'purposes', id: 'state-purposes'},
        h('caption', {}, 'Purposes'),
        h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Purpose'), h('th', {scope: 'col'}, 'Consent'),
          h('th', {scope: 'col'}, 'Legitimate interest'))),
        h('tbody', {}, purposes.map((p) => h('tr', {},
          h('th', {scope: 'row'}, p.id), h('td', {}, decision(p.enabled)), h('td', {}, decision(p.enabled_li)))))))
      : h('p', {}, 'No purpose decided.'),
    h('h3', {}, 'Vendors'),
    dl([
      ['Consent given', list(vendors.enabled)],
      ['Consent refused', list(vendors.disabled)],
      ['Legitimate interest allowed', list(vendors.enabled_li)],
      ['Legitimate interest objected', list(vendors.disabled_li)],
    ], 'facts vendors'),
  ];
}

function decision(v) {
  if (v === true) {
    return h('span', {class: 'badge badge-granted'}, 'yes');
  }
  if (v === false) {
    return h('span', {class: 'badge badge-withdrawn'}, 'no');
  }
  return h('span', {class: 'none'}, 'no decision');
}

const SHOWN_IDS = 30;

/** Vendor ids: all of a short list; of a long one (a TCF string names hundreds) the first, the rest on demand. */
function list(ids) {
  if (!ids || ids.length === 0) {
    return h('span', {class: 'none'}, 'none');
  }
  if (ids.length <= SHOWN_IDS) {
    return ids.join(', ') + (ids.length > 1 ? ' (' + ids.length + ' vendors)' : '');
  }
  return h('details', {},
    h('summary', {}, ids.length + ' vendors: ' + ids.slice(0, SHOWN_IDS).join(', ') + '…'),
    h('p', {class: 'wrap'}, ids.join(', ')));
}

function showHistory(slot, userId, page, atButton, ctx) {
  const all = [...page.records];
  const render = (next) => {
    const more = next
      ? h('button', {type: 'button', id: 'history-more', class: 'secondary', on: {click: async (event) => {
        event.target.disabled = true;
        const again = await api.get('/v1/vault/records', {user_id: userId, limit: HISTORY_PAGE, cursor: next},
          {signal: ctx.signal});
        all.push(...again.records);
        render(again.next_cursor);
        const button = slot.querySelector('#history-more');
        (button || slot.querySelector('#history-status')).focus();
      }}}, 'Older records')
      : null;
    fill(slot,
      h('p', {id: 'history-status', tabindex: -1},
        all.length ? plural(all.length, 'record', 'records') + ', newest first' + (next ? ' (more below).' : '.')
          : 'No records.'),
      all.length ? recordsTable(all, {atButton}) : null,
      more);
  };
  render(page.next_cursor);
}
