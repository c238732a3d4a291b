// The records of the vault (newest first, 20 a page, the filters of GET /v1/vault/records and a WHERE clause) and one
// record with its proof.

import * as api from './api.js';
import {change, dl, fill, h, json, plural, time, value} from './dom.js';

const PAGE_SIZE = 20;

const ACTIONS = ['consent.given', 'consent.refused', 'preference.shown', 'preferences.click.agreetoall',
  'preferences.click.disagreetoall', 'preferences.click.savechoices'];
const CHANGES = ['granted', 'renewed', 'withdrawn', 'refused', 'superseded'];
const REGULATIONS = ['gdpr', 'ccpa', 'vcdpa', 'ctdpa', 'cpa', 'utah', 'cdpa', 'tcf', 'gpp', 'chilean-law-25',
  'australian-privacy', 'none'];
const SOURCES = ['web', 'ios', 'android', 'react-native', 'flutter', 'unity', 'vega-os', 'amp', 'api'];

/** The filters: the API's parameter, the field's label, its kind, and a hint. */
const FILTERS = [
  {name: 'from', label: 'From (inclusive)', kind: 'time'},
  {name: 'to', label: 'To (exclusive)', kind: 'time'},
  {name: 'action', label: 'Action', kind: 'select', options: ACTIONS},
  {name: 'change', label: 'Change', kind: 'select', options: CHANGES},
  {name: 'purpose', label: 'Purpose', kind: 'list'},
  {name: 'vendor', label: 'Vendor', kind: 'list'},
  {name: 'regulation', label: 'Regulation', kind: 'select', options: REGULATIONS},
  {name: 'country', label: 'Country', kind: 'list'},
  {name: 'source_type', label: 'Source', kind: 'select', options: SOURCES},
  {name: 'notice_id', label: 'Notice', kind: 'list'},
  {name: 'user_id', label: 'User', kind: 'list'},
];

/** Where each query's cursors were, by filter query: page n's cursor at index n - 1. */
const trails = new Map();

function filterQuery(params) {
  const q = new URLSearchParams();
  for (const f of [...FILTERS, {name: 'where'}]) {
    const v = params.get(f.name);
    if (v) {
      q.set(f.name, v);
    }
  }
  return q;
}

function apiParams(filters) {
  const out = {limit: PAGE_SIZE};
  for (const f of FILTERS) {
    const v = filters.get(f.name);
    if (!v) {
      continue;
    }
    out[f.name] = f.kind === 'list' ? v.split(',').map((x) => x.trim()).filter(Boolean) : v.trim();
  }
  if (filters.get('where')) {
    out.where = filters.get('where');
  }
  return out;
}

/** A filter's control; text ones are described by the form's hint on times or on lists. */
function field(f, current) {
  const id = 'f-' + f.name;
  const errorId = id + '-error';
  let control;
  if (f.kind === 'select') {
    control = h('select', {id, name: f.name, 'aria-describedby': errorId},
      h('option', {value: ''}, 'Any'),
      f.options.map((o) => h('option', {value: o, selected: o === current}, o)));
  } else {
    control = h('input', {id, name: f.name, type: 'text', value: current || '', autocomplete: 'off',
      spellcheck: 'false', placeholder: f.kind === 'time' ? 'YYYY-MM-DD' : null,
      'aria-describedby': (f.kind === 'time' ? 'filters-time-hint ' : 'filters-list-hint ') + errorId});
  }
  return h('div', {class: 'field'},
    h('label', {for: id}, f.label),
    control,
    h('p', {id: errorId, class: 'field-error'}));
}

/** How many filters a query sets (the WHERE clause counts as one). */
function activeCount(filters) {
  return [...filters.keys()].length;
}

/** The clause with the offending character marked and a caret under it, on the line that holds it. */
export function whereError(clause, message, position) {
  const at = Math.max(0, Math.min(position ?? clause.length, clause.length));
  const start = clause.lastIndexOf('\n', at - 1) + 1;
  const endAt = clause.indexOf('\n', at);
  const line = clause.slice(start, endAt < 0 ? clause.length : endAt).replace(/\t/g, ' ');
  const column = at - start;
  const marked = column < line.length
    ? [line.slice(0, column), h('mark', {}, line[column]), line.slice(column + 1)]
    : [line, h('mark', {}, ' ')];
  return [
    h('p', {class: 'where-message'}, message, ' (at character ' + (at + 1) + ')'),
    h('pre', {class: 'where-caret', 'aria-hidden': 'true'},
      h('code', {}, ...marked, '\n', ' '.repeat(column) + '^')),
  ];
}

function queryHelp() {
  return h('details', {class: 'help'},
    h('summary', {}, 'Query language'),
    h('p', {}, 'Fields: id, event_id, event_index, organization_id, user_id, organization_user_id, action, purpose, ',
      'vendor, legal_basis, value, decision, change, regulation, notice_id, country, region, source_type, ',
      'sdk_version, api_key_id, created_at, received_at.'),
    h('p', {}, 'Operators: = != <> < <= > >= IN (...) LIKE IS NULL IS NOT NULL, with NOT, AND, OR and parentheses. ',
      'Strings in single or double quotes; true, false; integers; instants as strings.'),
    h('p', {}, 'Example: ', h('code', {}, 'change = \'withdrawn\' AND purpose LIKE \'mark%\' AND created_at >= \'2026-11-01\'')));
}

export async function recordsPage(main, r, ctx) {
  const params = r.params;
  const filters = filterQuery(params);
  const key = filters.toString();
  const page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
  const cursor = params.get('cursor');
  const trail = trails.get(key) || [null];
  trails.set(key, trail);
  trail[page - 1] = cursor;

  const where = h('textarea', {id: 'f-where', name: 'where', rows: 2, spellcheck: 'false', autocomplete: 'off',
    'aria-describedby': 'f-where-hint f-where-error'});
  where.value = filters.get('where') || '';
  const active = activeCount(filters);
  const form = h('form', {class: 'filters', id: 'filters', 'aria-label': 'Filters', novalidate: true},
    h('p', {class: 'hint'},
      h('span', {id: 'filters-time-hint'}, 'Times: YYYY-MM-DD (00:00 UTC) or an RFC 3339 instant. '),
      h('span', {id: 'filters-list-hint'}, 'Text filters are exact and case-sensitive; separate several values with commas.')),
    h('div', {class: 'grid'}, FILTERS.map((f) => field(f, filters.get(f.name)))),
    h('div', {class: 'field where'},
      h('label', {for: 'f-where'}, 'WHERE'),
      where,
      h('p', {id: 'f-where-hint', class: 'hint'}, 'A clause of the query language, combined with the filters above.'),
      h('div', {id: 'f-where-error', class: 'field-error'}),
      queryHelp()),
    h('div', {class: 'actions'},
      h('button', {type: 'submit', id: 'apply'}, 'Apply filters'),
      h('button', {type: 'button', id: 'clear', class: 'secondary'}, 'Clear')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = new URLSearchParams();
    for (const [name, v] of new FormData(form)) {
      if (String(v).trim()) {
        q.set(name, String(v).trim());
      }
    }
    ctx.navigate('#/records' + (q.toString() ? '?' + q : ''));
  });
  form.querySelector('#clear').addEventListener('click', () => ctx.navigate('#/records'));
  // Enter in the WHERE box applies the filters; Shift+Enter starts a new line
  where.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // the filters fold away (on a phone they start folded); the summary says how many are set
  const box = h('details', {class: 'filters-box', id: 'filters-box',
    open: active > 0 || window.matchMedia('(min-width: 40rem)').matches},
  h('summary', {id: 'filters-toggle'}, 'Filters', active ? ' (' + active + ' set)' : ''), form);
  const results = h('section', {class: 'results', 'aria-labelledby': 'results-title'});
  fill(main, h('h1', {tabindex: -1}, 'Records'), box, results);

  let answer;
  try {
    answer = await api.get('/v1/vault/records', {...apiParams(filters), cursor}, {signal: ctx.signal});
  } catch (e) {
    if (!(e instanceof api.ApiError) || e.status !== 400) {
      throw e;
    }
    showErrors(form, e, ctx);
    fill(results, h('h2', {id: 'results-title', tabindex: -1}, 'No results'),
      h('p', {id: 'results-status'}, 'Correct the filters marked above.'));
    return;
  }
  const count = answer.records.length;
  const status = count === 0
    ? (page === 1 ? 'No records match these filters.' : 'No more records.')
    : 'Page ' + page + ': ' + plural(count, 'record', 'records') + ', newest first.';
  const nav = h('nav', {class: 'pager', 'aria-label': 'Pages'},
    h('button', {type: 'button', id: 'first-page', class: 'secondary', disabled: page === 1,
      on: {click: () => ctx.navigate(pageHash(filters, 1, null))}}, 'First page'),
    h('button', {type: 'button', id: 'previous-page', class: 'secondary', disabled: page === 1,
      on: {click: () => ctx.navigate(previousHash(filters, page, trail))}}, 'Previous page'),
    h('button', {type: 'button', id: 'next-page', disabled: !answer.next_cursor,
      on: {click: () => ctx.navigate(pageHash(filters, page + 1, answer.next_cursor))}}, 'Next page'));
  fill(results,
    h('h2', {id: 'results-title', tabindex: -1}, 'Results'),
    h('p', {id: 'results-status', role: 'status'}, status),
    count ? recordsTable(answer.records, {user: true}) : null,
    page > 1 || answer.next_cursor ? nav : null);
}

function pageHash(filters, page, cursor) {
  const q = new URLSearchParams(filters);
  if (page > 1) {
    q.set('page', String(page));
    q.set('cursor', cursor);
  }
  return '#/records' + (q.toString() ? '?' + q : '');
}

function previousHash(filters, page, trail) {
  const previous = page - 1;
  // a page reached from a link (not by paging here) has no known previous cursor: back to the first page
  if (previous > 1 && trail[previous - 1] === undefined) {
    return pageHash(filters, 1, null);
  }
  return pageHash(filters, previous, trail[previous - 1]);
}

const PARAM_FIELDS = new Map([...FILTERS.map((f) => [f.name, 'f-' + f.name]), ['where', 'f-where']]);

/** A 400's errors beside their fields; focus on the first, and for WHERE on the offending character. */
function showErrors(form, error, ctx) {
  let first = null;
  for (const e of error.fieldErrors()) {
    const id = PARAM_FIELDS.get(e.query);
    const control = id && form.querySelector('#' + id);
    if (!control) {
      continue;
    }
    control.setAttribute('aria-invalid', 'true');
    const slot = form.querySelector('#' + id + '-error');
    if (e.query === 'where') {
      fill(slot, whereError(control.value, e.message, e.position));
      slot.setAttribute('role', 'alert');
    } else {
      fill(slot, e.message);
      slot.setAttribute('role', 'alert');
    }
    if (!first) {
      first = control;
      if (e.query === 'where' && typeof e.position === 'number') {
        const at = Math.min(e.position, control.value.length);
        ctx.select = () => control.setSelectionRange(at, Math.min(at + 1, control.value.length));
      }
    }
  }
  if (!first) {
    throw error;
  }
  ctx.focusAfter = first;
}

/** Records as a table; on a narrow screen each row is a card whose cells say their column. */
export function recordsTable(records, {user, atButton} = {}) {
  const columns = ['Time (UTC)', user ? 'User' : null, 'Action', 'Purpose', 'Vendor', 'Change', 'Notice', 'Regulation',
    'Country', 'Source', atButton ? 'State' : null].filter(Boolean);
  return h('div', {class: 'table-wrap'},
    h('table', {class: 'records'},
      h('caption', {class: 'visually-hidden'}, 'Records, newest first'),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', {scope: 'col'}, c)))),
      h('tbody', {}, records.map((rec) => h('tr', {},
        cell('Time (UTC)', h('a', {href: '#/records/' + encodeURIComponent(rec.id), class: 'record-link',
          'aria-label': 'Record of ' + rec.created_at + ', ' + rec.action + (rec.purpose ? ' ' + rec.purpose : '')},
        time(rec.created_at))),
        user ? cell('User', h('a', {href: '#/users/' + encodeURIComponent(rec.user_id)}, rec.user_id)) : null,
        cell('Action', value(rec.action)),
        cell('Purpose', value(rec.purpose)),
        cell('Vendor', value(rec.vendor)),
        cell('Change', change(rec.change)),
        cell('Notice', value(rec.notice_id)),
        cell('Regulation', value(rec.regulation)),
        cell('Country', value(rec.country)),
        cell('Source', value(rec.source_type)),
        atButton ? cell('State', atButton(rec)) : null)))));
}

function cell(label, content) {
  return h('td', {'data-label': label}, content);
}

export async function recordPage(main, r, ctx) {
  const [id] = r.args;
  fill(main, h('h1', {tabindex: -1}, 'Record'), h('p', {role: 'status'}, 'Loading…'));
  let proof;
  try {
    proof = await api.get('/v1/vault/records/' + encodeURIComponent(id), {}, {signal: ctx.signal});
  } catch (e) {
    if (e instanceof api.ApiError && e.status === 404) {
      fill(main, h('h1', {tabindex: -1}, 'Record not found'),
        h('p', {}, 'No record of your organization has this id. ', h('a', {href: '#/records'}, 'Back to the records.')));
      return;
    }
    throw e;
  }
  const rec = proof.record;
  const event = proof.event || {};
  const agent = proof.user_agent || {};
  const source = event.source || {};
  const subject = rec.purpose ? 'purpose ' + rec.purpose : rec.vendor ? 'vendor ' + rec.vendor : rec.action;
  fill(main,
    h('p', {class: 'crumbs'}, h('a', {href: '#/records'}, 'Records'), ' › ',
      h('a', {href: '#/users/' + encodeURIComponent(rec.user_id)}, 'User ' + rec.user_id)),
    h('h1', {tabindex: -1}, rec.action + (subject !== rec.action ? ', ' + subject : '')),
    h('section', {'aria-labelledby': 'decision-title'},
      h('h2', {id: 'decision-title'}, 'The decision'),
      dl([
        ['Time (UTC)', time(rec.created_at)],
        ['Received (UTC)', time(rec.received_at)],
        ['User', h('a', {href: '#/users/' + encodeURIComponent(rec.user_id)}, rec.user_id)],
        ['Action', value(rec.action)],
        ['Purpose', value(rec.purpose)],
        ['Vendor', value(rec.vendor)],
        ['Legal basis', value(rec.legal_basis)],
        ['Value sent', value(rec.value)],
        ['Decision', value(rec.decision)],
        ['Change', change(rec.change)],
        ['Notice', value(rec.notice_id)],
        ['Regulation', value(rec.regulation)],
        ['Country', value(rec.country)],
        ['Region', value(rec.region)],
        ['Key', proof.api_key ? (proof.api_key.name ? proof.api_key.name + ' (' + proof.api_key.id + ')' : proof.api_key.id) : value(null)],
        ['Record id', h('code', {}, rec.id)],
        ['Event', h('code', {}, rec.event_id + ', item ' + rec.event_index)],
      ], 'facts'),
      h('p', {}, h('a', {href: '#/users/' + encodeURIComponent(rec.user_id) + '?at=' + encodeURIComponent(rec.created_at)},
        'The user\'s state at this time'))),
    h('section', {'aria-labelledby': 'proof-title'},
      h('h2', {id: 'proof-title'}, 'Proof'),
      dl([
        ['IP as stored', value(event.ip)],
        ['User agent', value(event.user_agent)],
        ['Browser', value([agent.browser, agent.browser_version].filter(Boolean).join(' '))],
        ['Operating system', value([agent.os, agent.os_version].filter(Boolean).join(' '))],
        ['Device', value(agent.device)],
        ['Source', value(source.type)],
        ['SDK version', value(source.sdk_version)],
        ['Page', value(source.url)],
        ['Country by IP', value(event.last_seen_country)],
      ], 'facts')),
    h('section', {'aria-labelledby': 'string-title'},
      h('h2', {id: 'string-title'}, 'Consent string'),
      event.consent_string
        ? [h('p', {class: 'wrap'}, h('code', {id: 'consent-string'}, event.consent_string)),
          event.consent_string_decoded
            ? json(event.consent_string_decoded, 'Decoded consent string')
            : h('p', {}, 'It does not decode.')]
        : h('p', {}, 'This event carried no consent string.')),
    h('section', {'aria-labelledby': 'original-title'},
      h('h2', {id: 'original-title'}, 'Original event'),
      h('p', {class: 'hint'}, 'The payload as it was received.'),
      json(event.payload, 'Original event')));
}
