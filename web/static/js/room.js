/* potenzial – the room a popup has on the map: the largest rectangle of the map that no control
 * (tool panel, legend, layer control, zoom, scale, attribution) and no side panel or bottom sheet
 * covers. Each covering box is cut away from one side of the map; every choice of sides is tried
 * and the largest free rectangle wins. */
import { state } from "./state.js";

const GAP = 8;
const SELECTORS = [".leaflet-control-container .leaflet-control", ".potenzial-side:not([hidden])"];

/* The boxes (relative to the map's container) of everything drawn over the map: the controls stacked in
 * one corner of the map as one box (their union), so that the search below stays small however many
 * controls a corner holds. */
export function coveringBoxes() {
  const map = state.map.getContainer().getBoundingClientRect();
  const byCorner = {};
  const boxes = [];
  SELECTORS.forEach(function (selector) {
    document.querySelectorAll(selector).forEach(function (el) {
      const r = el.getBoundingClientRect();
      if (r.width <= 0 || r.height <= 0) return;
      const box = {left: r.left - map.left, top: r.top - map.top, right: r.right - map.left, bottom: r.bottom - map.top};
      if (box.right <= 0 || box.bottom <= 0 || box.left >= map.width || box.top >= map.height) return;
      const corner = el.parentElement && el.parentElement.matches(".leaflet-top, .leaflet-bottom") ?
        el.parentElement.className : null;
      const same = corner === null ? null : byCorner[corner];
      if (same) {
        same.left = Math.min(same.left, box.left);
        same.top = Math.min(same.top, box.top);
        same.right = Math.max(same.right, box.right);
        same.bottom = Math.max(same.bottom, box.bottom);
        return;
      }
      if (corner !== null) byCorner[corner] = box;
      boxes.push(box);
    });
  });
  return {width: map.width, height: map.height, boxes: boxes};
}

/* The largest rectangle {left, top, right, bottom} of a ``width`` × ``height`` map free of ``boxes``,
 * where each box is cut away from the side of the map it is given (2 bits per box). */
export function freeRoom(width, height, boxes) {
  let best = {left: 0, top: 0, right: width, bottom: height, area: -1};
  const n = boxes.length;
  const choices = Math.pow(4, n);
  for (let c = 0; c < choices; c++) {
    let left = 0, top = 0, right = width, bottom = height;
    let code = c;
    for (let i = 0; i < n; i++) {
      const b = boxes[i];
      const side = code % 4;
      code = Math.floor(code / 4);
      if (side === 0) left = Math.max(left, b.right + GAP);
      else if (side === 1) right = Math.min(right, b.left - GAP);
      else if (side === 2) top = Math.max(top, b.bottom + GAP);
      else bottom = Math.min(bottom, b.top - GAP);
    }
    const area = Math.max(right - left, 0) * Math.max(bottom - top, 0);
    if (area > best.area) best = {left: left, top: top, right: right, bottom: bottom, area: area};
  }
  return best;
}

/* Leaflet popup options that keep the popup inside the free room: auto-pan padding and a size that fits. */
export function popupRoom(maxWidth, maxHeight) {
  const cover = coveringBoxes();
  // a box that covers the whole map cannot be cut away; at most 8 boxes keep the search small (4^8 choices)
  const boxes = cover.boxes.filter(function (b) {
    return !(b.left <= 0 && b.top <= 0 && b.right >= cover.width && b.bottom >= cover.height);
  }).slice(0, 8);
  const room = freeRoom(cover.width, cover.height, boxes);
  // the popup's frame around its content: margins, close button, tip below the box
  const frameX = 32, frameY = 48;
  return {
    autoPan: true,
    autoPanPaddingTopLeft: [Math.ceil(room.left), Math.ceil(room.top)],
    autoPanPaddingBottomRight: [Math.ceil(cover.width - room.right), Math.ceil(cover.height - room.bottom)],
    maxWidth: Math.max(Math.min(maxWidth, room.right - room.left - frameX), 120),
    minWidth: Math.min(180, Math.max(room.right - room.left - frameX, 60)),
    maxHeight: Math.max(Math.min(maxHeight, room.bottom - room.top - frameY), 60),
  };
}
