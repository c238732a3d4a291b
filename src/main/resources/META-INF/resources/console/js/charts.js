// Charts as inline SVG, drawn at the width they are given and drawn again when it changes. Each chart is a figure
// whose numbers are also a table (in a <details> under it), so nothing is only in the picture.

import {fill, h, s} from './dom.js';

/** Series colours (each at least 3:1 against white) and dash patterns, so lines differ by more than colour. */
const COLOURS = ['#0b57d0', '#b3261e', '#146c2e', '#8e4a00', '#6f2da8', '#00696f', '#5f6368', '#a8005c'];
const DASHES = [null, '6 3', '2 3', '10 3 2 3', '4 4', '1 2', '8 2', '3 6'];
const HEIGHT = 240;
const PAD = {top: 12, right: 16, bottom: 36, left: 48};

export function colour(i) {
  return COLOURS[i % COLOURS.length];
}

/**
 * A figure: a title, the chart (drawn by draw(width) into an SVG), a legend and a table of the same numbers.
 * Draws again when its width changes.
 */
export function figure({id, title, description, draw, legend, table}) {
  const box = h('div', {class: 'chart', id: id + '-chart'});
  const fig = h('figure', {class: 'figure', id, 'aria-labelledby': id + '-title'},
    h('figcaption', {}, h('h2', {id: id + '-title'}, title), description ? h('p', {class: 'hint'}, description) : null),
    box,
    legend || null,
    h('details', {class: 'numbers', id: id + '-numbers'},
      h('summary', {id: id + '-numbers-toggle'}, 'Numbers of “' + title + '” as a table'),
      table));
  let width = 0;
  const observer = new ResizeObserver(() => redraw());
  const redraw = () => {
    if (!box.isConnected && width > 0) {
      // the page was left: nothing more to draw
      observer.disconnect();
      return;
    }
    const w = Math.max(280, Math.floor(box.clientWidth || 640));
    if (w !== width) {
      width = w;
      fill(box, draw(w));
    }
  };
  observer.observe(box);
  requestAnimationFrame(redraw);
  return fig;
}

/** A table of numbers: a caption, column headers, and rows whose first cell heads the row. */
export function table({id, caption, columns, rows}) {
  return h('div', {class: 'table-wrap'}, h('table', {class: 'numbers-table', id},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', {scope: 'col'}, c)))),
    h('tbody', {}, rows.map((row) => h('tr', {},
      h('th', {scope: 'row'}, row[0]),
      row.slice(1).map((v) => h('td', {class: 'number'}, v)))))));
}

/** A legend: a swatch drawn in the series' colour and dash, and its name. */
export function legend(names) {
  return h('ul', {class: 'legend'}, names.map((name, i) => h('li', {},
    s('svg', {width: 28, height: 12, 'aria-hidden': 'true', focusable: 'false'},
      s('line', {x1: 0, y1: 6, x2: 28, y2: 6, stroke: colour(i), 'stroke-width': 3, 'stroke-dasharray': DASHES[i % DASHES.length]})),
    name)));
}

function frame(width, label) {
  return s('svg', {width, height: HEIGHT, viewBox: '0 0 ' + width + ' ' + HEIGHT, role: 'img', 'aria-label': label,
    class: 'plot'});
}

function yAxis(svg, width, max, format, ticks) {
  const inner = HEIGHT - PAD.top - PAD.bottom;
  for (const t of ticks) {
    const y = PAD.top + inner - (t / max) * inner;
    svg.append(s('line', {x1: PAD.left, x2: width - PAD.right, y1: y, y2: y, class: 'grid'}));
    svg.append(s('text', {x: PAD.left - 6, y: y + 4, 'text-anchor': 'end', class: 'tick'}, format(t)));
  }
}

function xLabels(svg, labels, xOf, width) {
  const room = Math.max(1, Math.floor((width - PAD.left - PAD.right) / 64));
  const every = Math.max(1, Math.ceil(labels.length / room));
  labels.forEach((label, i) => {
    if (i % every === 0) {
      svg.append(s('text', {x: xOf(i), y: HEIGHT - PAD.bottom + 18, 'text-anchor': 'middle', class: 'tick'}, label));
    }
  });
}

/** Round ticks from 0 to a round maximum at or above max; whole numbers only (the charts count things). */
export function niceTicks(max) {
  if (max <= 0) {
    return {top: 1, ticks: [0, 1]};
  }
  const raw = max / 4;
  const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = Math.max(1, [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((m) => m >= raw) || raw);
  const top = Math.ceil(max / step) * step;
  const ticks = [];
  for (let t = 0; t <= top + step / 2; t += step) {
    ticks.push(Math.round(t * 1e6) / 1e6);
  }
  return {top, ticks};
}

/**
 * Lines over categories: series [{name, values}] with null for no value (the line breaks there), each point titled
 * with its numbers.
 */
export function lineChart({label, labels, series, max, ticks, format, pointTitle}) {
  return (width) => {
    const svg = frame(width, label);
    const inner = HEIGHT - PAD.top - PAD.bottom;
    const span = width - PAD.left - PAD.right;
    const xOf = (i) => PAD.left + (labels.length === 1 ? span / 2 : (i / (labels.length - 1)) * span);
    const yOf = (v) => PAD.top + inner - (v / max) * inner;
    yAxis(svg, width, max, format, ticks);
    xLabels(svg, labels, xOf, width);
    series.forEach((serie, k) => {
      let d = '';
      let pen = false;
      serie.values.forEach((v, i) => {
        if (v === null || v === undefined) {
          pen = false;
          return;
        }
        d += (pen ? 'L' : 'M') + xOf(i).toFixed(1) + ' ' + yOf(v).toFixed(1);
        pen = true;
      });
      if (d) {
        svg.append(s('path', {d, fill: 'none', stroke: colour(k), 'stroke-width': 2.5,
          'stroke-dasharray': DASHES[k % DASHES.length], class: 'series'}));
      }
      serie.values.forEach((v, i) => {
        if (v !== null && v !== undefined) {
          svg.append(s('circle', {cx: xOf(i), cy: yOf(v), r: 3.5, fill: colour(k), class: 'point'},
            s('title', {}, pointTitle(serie, i, v))));
        }
      });
    });
    return svg;
  };
}

/** Vertical bars over categories, each titled with its number. */
export function barChart({label, labels, values, format, barTitle}) {
  return (width) => {
    const svg = frame(width, label);
    const {top, ticks} = niceTicks(Math.max(0, ...values));
    const inner = HEIGHT - PAD.top - PAD.bottom;
    const span = width - PAD.left - PAD.right;
    const slot = span / Math.max(1, values.length);
    const xOf = (i) => PAD.left + slot * i + slot / 2;
    yAxis(svg, width, top, format, ticks);
    xLabels(svg, labels, xOf, width);
    values.forEach((v, i) => {
      const hgt = (v / top) * inner;
      svg.append(s('rect', {x: PAD.left + slot * i + Math.min(1, slot * 0.1), y: PAD.top + inner - hgt,
        width: Math.max(1, slot - Math.min(2, slot * 0.2)), height: Math.max(0, hgt), fill: colour(0), class: 'bar'},
      s('title', {}, barTitle(i, v))));
    });
    return svg;
  };
}

/** Horizontal bars, one a row, each with its number written beside it. */
export function funnelChart({label, rows}) {
  return (width) => {
    const rowHeight = 40;
    const height = rows.length * rowHeight + 8;
    const svg = s('svg', {width, height, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': label,
      class: 'plot'});
    const labelWidth = Math.min(150, width * 0.35);
    const span = width - labelWidth - 120;
    const max = Math.max(1, ...rows.map((r) => r.value));
    rows.forEach((r, i) => {
      const y = 4 + i * rowHeight;
      svg.append(s('text', {x: labelWidth - 8, y: y + 21, 'text-anchor': 'end', class: 'tick'}, r.name));
      const w = Math.max(r.value > 0 ? 2 : 0, (r.value / max) * span);
      svg.append(s('rect', {x: labelWidth, y: y + 6, width: w, height: 24, fill: colour(0), class: 'bar'},
        s('title', {}, r.name + ': ' + r.text)));
      svg.append(s('text', {x: labelWidth + w + 6, y: y + 23, class: 'value'}, r.text));
    });
    return svg;
  };
}
