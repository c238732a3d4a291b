// Consent analytics: opt-in rate per purpose per day, banner conversion, events per hour; each chart with its table.

import * as api from './api.js';
import {fill, h} from './dom.js';
import {barChart, figure, funnelChart, legend, lineChart, table} from './charts.js';

const DAY = 86400000;
const HOURLY_DAYS = 7;

function day(date) {
  return date.toISOString().slice(0, 10);
}

function parseDay(text) {
  return /^\d{4}-\d{2}-\d{2}$/.test(text || '') && !Number.isNaN(Date.parse(text + 'T00:00:00Z'))
    ? new Date(text + 'T00:00:00Z') : null;
}

/** Every bucket start of [from, to), so that a bucket without events is shown as one. */
function starts(from, to, step) {
  const out = [];
  for (let t = from.getTime(); t < to.getTime(); t += step) {
    out.push(new Date(t).toISOString());
  }
  return out;
}

function byStart(buckets) {
  const map = new Map();
  for (const b of buckets || []) {
    map.set(new Date(b.start).toISOString(), b);
  }
  return map;
}

function percent(rate) {
  return rate === null || rate === undefined ? '—' : (Math.round(rate * 1000) / 10).toFixed(1) + '%';
}

function share(n, of) {
  return of > 0 ? percent(n / of) : '—';
}

export async function analyticsPage(main, r, ctx) {
  const today = new Date(Date.now() - (Date.now() % DAY));
  const to = parseDay(r.params.get('to')) || new Date(today.getTime() + DAY);
  const from = parseDay(r.params.get('from')) || new Date(to.getTime() - 30 * DAY);
  const purpose = (r.params.get('purpose') || '').trim();

  const input = (id, label, v, hint) => h('div', {class: 'field'},
    h('label', {for: id}, label),
    h('input', {id, name: id.slice(2), type: 'text', value: v, autocomplete: 'off', spellcheck: 'false',
      'aria-describedby': id + '-hint ' + id + '-error'}),
    h('p', {id: id + '-hint', class: 'hint'}, hint),
    h('p', {id: id + '-error', class: 'field-error'}));
  const form = h('form', {class: 'filters', id: 'analytics-form', 'aria-label': 'Period', novalidate: true},
    h('div', {class: 'grid'},
      input('a-from', 'From', day(from), 'Inclusive, YYYY-MM-DD (UTC).'),
      input('a-to', 'To', day(to), 'Exclusive, YYYY-MM-DD (UTC).'),
      input('a-purpose', 'Purpose', purpose, 'Optional: one purpose id.')),
    h('div', {class: 'actions'}, h('button', {type: 'submit', id: 'analytics-apply'}, 'Show')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = new URLSearchParams();
    for (const [name, v] of new FormData(form)) {
      if (String(v).trim()) {
        q.set(name, String(v).trim());
      }
    }
    ctx.navigate('#/analytics?' + q);
  });
  const charts = h('div', {id: 'charts', class: 'charts'});
  fill(main, h('h1', {tabindex: -1}, 'Analytics'), form, charts);

  if (to <= from) {
    markError(form, 'a-to', 'must be after From', ctx);
    return;
  }
  const hourFrom = new Date(Math.max(from.getTime(), to.getTime() - HOURLY_DAYS * DAY));
  const common = purpose ? {purpose} : {};
  let daily;
  let hourly;
  try {
    [daily, hourly] = await Promise.all([
      api.get('/v1/analytics/consents', {from: day(from), to: day(to), interval: 'day', ...common}, {signal: ctx.signal}),
      api.get('/v1/analytics/consents', {from: day(hourFrom), to: day(to), interval: 'hour', ...common}, {signal: ctx.signal}),
    ]);
  } catch (e) {
    if (e instanceof api.ApiError && e.status === 400) {
      const fields = {from: 'a-from', to: 'a-to', purpose: 'a-purpose'};
      const known = e.fieldErrors().filter((x) => fields[x.query]);
      if (known.length) {
        known.forEach((x) => markError(form, fields[x.query], x.message, ctx));
        return;
      }
    }
    throw e;
  }

  const days = starts(from, to, DAY);
  const dayBuckets = byStart(daily.buckets);
  const dayRows = days.map((start) => dayBuckets.get(start) || {start, events: 0, users: 0, shown: 0, agree_to_all: 0,
    disagree_to_all: 0, save_choices: 0, purposes: {}});
  const dayLabels = days.map((d) => d.slice(5, 10));
  const purposes = [...new Set(dayRows.flatMap((b) => Object.keys(b.purposes || {})))].sort();

  const hours = starts(hourFrom, to, 3600000);
  const hourBuckets = byStart(hourly.buckets);
  const hourRows = hours.map((start) => hourBuckets.get(start) || {start, events: 0, users: 0});
  const totalEvents = dayRows.reduce((n, b) => n + b.events, 0);

  fill(charts,
    h('p', {id: 'analytics-summary', role: 'status'},
      totalEvents + ' events from ' + day(from) + ' to ' + day(to) + ' (exclusive)' + (purpose ? ', purpose ' + purpose : '') + '.'),
    optIn(days, dayLabels, dayRows, purposes),
    conversion(days, dayRows),
    perHour(hours, hourRows, hourFrom, to));
}

function markError(form, id, message, ctx) {
  const control = form.querySelector('#' + id);
  control.setAttribute('aria-invalid', 'true');
  const slot = form.querySelector('#' + id + '-error');
  slot.textContent = message;
  slot.setAttribute('role', 'alert');
  ctx.focusAfter = ctx.focusAfter || control;
}

function optIn(days, labels, rows, purposes) {
  const series = purposes.map((p) => ({name: p, values: rows.map((b) => {
    const c = (b.purposes || {})[p];
    return c && c.opt_in_rate !== null && c.opt_in_rate !== undefined ? c.opt_in_rate : null;
  })}));
  const cell = (b, p) => {
    const c = (b.purposes || {})[p];
    if (!c) {
      return '—';
    }
    const yes = c.granted + c.renewed;
    const all = yes + c.withdrawn + c.refused;
    return all ? percent(c.opt_in_rate) + ' (' + yes + ' of ' + all + ')' : '—';
  };
  return figure({
    id: 'opt-in',
    title: 'Opt-in rate per purpose per day',
    description: 'Granted and renewed, of all granted, renewed, withdrawn and refused decisions of the day.',
    draw: purposes.length
      ? lineChart({label: 'Opt-in rate per purpose per day, lines from 0 to 100%', labels, series, max: 1,
        ticks: [0, 0.25, 0.5, 0.75, 1], format: (t) => Math.round(t * 100) + '%',
        pointTitle: (serie, i, v) => serie.name + ', ' + days[i].slice(0, 10) + ': ' + percent(v)})
      : () => h('p', {class: 'empty'}, 'No purpose decided in this period.'),
    legend: purposes.length ? legend(purposes) : null,
    table: table({id: 'opt-in-table', caption: 'Opt-in rate per purpose per day (UTC)',
      columns: ['Day', ...purposes], rows: rows.map((b, i) => [days[i].slice(0, 10), ...purposes.map((p) => cell(b, p))])}),
  });
}

function conversion(days, rows) {
  const sum = (k) => rows.reduce((n, b) => n + (b[k] || 0), 0);
  const shown = sum('shown');
  const clicks = [['Agree to all', sum('agree_to_all')], ['Disagree to all', sum('disagree_to_all')],
    ['Save choices', sum('save_choices')]];
  const funnelRows = [{name: 'Shown', value: shown, text: String(shown)},
    ...clicks.map(([name, n]) => ({name, value: n, text: n + ' (' + share(n, shown) + ' of shown)'}))];
  return figure({
    id: 'conversion',
    title: 'Banner conversion',
    description: 'Banners shown, and the clicks that followed, over the period.',
    draw: funnelChart({label: 'Banner conversion: ' + funnelRows.map((r) => r.name + ' ' + r.text).join(', '),
      rows: funnelRows}),
    table: table({id: 'conversion-table', caption: 'Banner conversion per day (UTC)',
      columns: ['Day', 'Shown', 'Agree to all', 'Disagree to all', 'Save choices', 'Clicked'],
      rows: [...rows.map((b, i) => [days[i].slice(0, 10), String(b.shown), String(b.agree_to_all),
        String(b.disagree_to_all), String(b.save_choices),
        share(b.agree_to_all + b.disagree_to_all + b.save_choices, b.shown)]),
      ['Total', String(shown), ...clicks.map(([, n]) => String(n)), share(clicks.reduce((n, [, c]) => n + c, 0), shown)]]}),
  });
}

function perHour(hours, rows, from, to) {
  const labels = hours.map((t) => t.slice(5, 10) + ' ' + t.slice(11, 13) + 'h');
  return figure({
    id: 'per-hour',
    title: 'Events per hour',
    description: 'Stored events per hour (UTC), ' + day(from) + ' to ' + day(to) + ' (the last ' + HOURLY_DAYS
      + ' days of the period at most).',
    draw: barChart({label: 'Events per hour, bars', labels, values: rows.map((b) => b.events), format: String,
      barTitle: (i, v) => hours[i].slice(0, 13).replace('T', ' ') + ':00 UTC: ' + v + ' events'}),
    table: table({id: 'per-hour-table', caption: 'Events per hour (UTC)', columns: ['Hour (UTC)', 'Events', 'Users'],
      rows: rows.map((b, i) => [hours[i].slice(0, 13).replace('T', ' ') + ':00', String(b.events), String(b.users)])}),
  });
}
