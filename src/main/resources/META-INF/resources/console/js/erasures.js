// The erasure receipts: that an erasure happened, when, and how many events it removed; no personal data.

import * as api from './api.js';
import {fill, h, plural, time} from './dom.js';

export async function erasuresPage(main, r, ctx) {
  fill(main, h('h1', {tabindex: -1}, 'Erasures'),
    h('p', {class: 'hint'}, 'Receipts of the users erased from your organization, newest first. They hold no personal data.'),
    h('div', {id: 'erasures'}));
  const slot = main.querySelector('#erasures');
  const all = [];
  let page = await api.get('/v1/vault/erasures', {limit: 50}, {signal: ctx.signal});
  const render = () => {
    all.push(...page.erasures);
    fill(slot,
      h('p', {id: 'erasures-status', role: 'status', tabindex: -1},
        all.length ? plural(all.length, 'receipt', 'receipts') + (page.next_cursor ? ' (more below).' : '.') : 'No erasure yet.'),
      all.length ? h('div', {class: 'table-wrap'}, h('table', {class: 'erasures'},
        h('caption', {class: 'visually-hidden'}, 'Erasure receipts'),
        h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Erased at (UTC)'), h('th', {scope: 'col'}, 'Events removed'),
          h('th', {scope: 'col'}, 'Receipt'))),
        h('tbody', {}, all.map((e) => h('tr', {},
          h('td', {'data-label': 'Erased at (UTC)'}, time(e.erased_at)),
          h('td', {'data-label': 'Events removed', class: 'number'}, String(e.events_removed)),
          h('td', {'data-label': 'Receipt'}, h('code', {}, e.erasure_id))))))) : null,
      page.next_cursor ? h('button', {type: 'button', id: 'erasures-more', class: 'secondary', on: {click: async (ev) => {
        ev.target.disabled = true;
        page = await api.get('/v1/vault/erasures', {limit: 50, cursor: page.next_cursor}, {signal: ctx.signal});
        render();
        (slot.querySelector('#erasures-more') || slot.querySelector('#erasures-status')).focus();
      }}}, 'Older receipts') : null);
  };
  render();
}
