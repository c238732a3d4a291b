// DOM helpers: every text goes in as a text node, never as markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(el, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === 'on') {
      for (const [type, listener] of Object.entries(value)) {
        el.addEventListener(type, listener);
      }
    } else if (name === 'text') {
      el.textContent = String(value);
    } else if (name === 'value' && 'value' in el && el.namespaceURI !== SVG_NS) {
      el.value = value;
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** An HTML element: h('a', {href: '#/x'}, 'text', otherNode). */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element. */
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** Replaces the children of an element. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** An RFC 3339 instant from the API, shown in UTC as written ("2026-11-01 10:00:00 UTC"), in a <time>. */
export function time(iso) {
  if (!iso) {
    return h('span', {class: 'none'}, '—');
  }
  return h('time', {datetime: iso}, formatTime(iso));
}

export function formatTime(iso) {
  return iso.replace('T', ' ').replace(/Z$/, ' UTC');
}

/** A value for a definition list or a table cell: null is a dash, booleans are words. */
export function value(v) {
  if (v === null || v === undefined || v === '') {
    return h('span', {class: 'none'}, '—');
  }
  if (typeof v === 'boolean') {
    return v ? 'true' : 'false';
  }
  return String(v);
}

/** The change of a record as a badge whose colour repeats its word. */
export function change(c) {
  if (!c) {
    return h('span', {class: 'none'}, '—');
  }
  return h('span', {class: 'badge badge-' + c}, c);
}

/** A definition list from [term, description] pairs. */
export function dl(pairs, cls) {
  return h('dl', {class: cls || 'facts'},
    pairs.filter(Boolean).map(([term, desc]) => h('div', {}, h('dt', {}, term), h('dd', {}, desc))));
}

/** Says something to screen readers without moving focus. */
export function announce(message) {
  const region = document.getElementById('announce');
  region.textContent = '';
  // a change of text, even to the same words, is what a live region reads
  requestAnimationFrame(() => { region.textContent = message; });
}

/** Pretty JSON in a focusable, scrollable block. */
export function json(data, label) {
  return h('pre', {class: 'json', tabindex: 0, 'aria-label': label}, h('code', {}, pretty(data, '')));
}

/** JSON indented by two spaces, with arrays of plain values on one line (a TCF string lists hundreds of ids). */
export function pretty(v, indent) {
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0 || v.every((x) => x === null || typeof x !== 'object')) {
      return '[' + v.map((x) => JSON.stringify(x)).join(', ') + ']';
    }
    return '[\n' + v.map((x) => inner + pretty(x, inner)).join(',\n') + '\n' + indent + ']';
  }
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 0) {
      return '{}';
    }
    return '{\n' + keys.map((k) => inner + JSON.stringify(k) + ': ' + pretty(v[k], inner)).join(',\n') + '\n' + indent + '}';
  }
  return JSON.stringify(v === undefined ? null : v);
}

export function plural(n, one, many) {
  return n + ' ' + (n === 1 ? one : many);
}
