// Graphs (generator/graph): the graph page's map and the local graphs of paper and topic
// pages are SVG drawn at build time, whose nodes are links. This script adds what a
// drawing cannot do alone: pointing at a node lights up its neighbours and, on the map,
// zoom (buttons, or Ctrl + wheel), dragging to pan, and a topic filter. Without it the
// drawings still show and link. It holds no words: the page writes the controls' labels.
(() => {
  const ZOOM = 1.5;       // one step of the zoom buttons
  const NEAR = 1.8;       // from this zoom on, every label shows
  const LABEL_PX = 11;    // labels' size on screen on a zoomed map (the drawing's own size)

  function wire(root) {
    for (const svg of root.querySelectorAll("svg.sl-graph__svg:not([data-wired])")) {
      svg.setAttribute("data-wired", "");
      const graph = neighbours(svg);
      highlight(svg, graph);
      const box = svg.closest(".sl-graph--map");
      if (box) map(box, svg, graph);
    }
  }

  // Each node's index (data-n) -> the indices of its neighbours: from the edges' data-s / data-t
  // on the map, from the nodes' own data-near on a local graph (whose edges are merged paths).
  function neighbours(svg) {
    const near = new Map();
    const add = (a, b) => (near.get(a) || near.set(a, new Set()).get(a)).add(b);
    for (const edge of svg.querySelectorAll(".sl-edge[data-s]")) {
      add(edge.dataset.s, edge.dataset.t);
      add(edge.dataset.t, edge.dataset.s);
    }
    for (const node of svg.querySelectorAll(".sl-node[data-near]")) {
      for (const other of node.dataset.near.split(" ").filter(Boolean)) add(node.dataset.n, other);
    }
    return near;
  }

  function highlight(svg, near) {
    const nodes = [...svg.querySelectorAll(".sl-node")];
    const edges = [...svg.querySelectorAll(".sl-edge")];
    const on = (n) => {
      const around = near.get(n) || new Set();
      for (const node of nodes) node.classList.toggle("is-near", node.dataset.n === n || around.has(node.dataset.n));
      for (const edge of edges) edge.classList.toggle("is-near", edge.dataset.s === n || edge.dataset.t === n);
      svg.classList.add("sl-graph--focus");
    };
    const off = () => svg.classList.remove("sl-graph--focus");
    for (const node of nodes) {
      node.addEventListener("pointerenter", () => on(node.dataset.n));
      node.addEventListener("pointerleave", off);
      node.addEventListener("focus", () => on(node.dataset.n));
      node.addEventListener("blur", off);
    }
  }

  function map(box, svg, near) {
    const whole = svg.viewBox.baseVal;
    const sparse = svg.querySelector(".sl-label--minor") !== null;  // a large map: only some labels shown
    const home = { x: whole.x, y: whole.y, w: whole.width, h: whole.height };
    let view = { ...home };
    const show = (next) => {
      view = next;
      svg.setAttribute("viewBox", `${view.x} ${view.y} ${view.w} ${view.h}`);
      const zoom = home.w / view.w;
      svg.classList.toggle("sl-graph--near", zoom >= NEAR);
      // Zoomed in, labels keep their size on screen. Shown smaller than drawn (a phone, a large map),
      // a fully labelled map shrinks with its labels, which were laid out not to overlap at their
      // size; a large map, whose few labels have room, keeps them legible (up to a point).
      const perPixel = view.w / (svg.getBoundingClientRect().width || view.w);
      svg.style.fontSize = `${LABEL_PX * Math.min(perPixel, sparse ? 1.6 : 1)}px`;
    };
    // The point of the drawing under a point of the screen.
    const at = (clientX, clientY) => {
      const rect = svg.getBoundingClientRect();
      return {
        x: view.x + ((clientX - rect.left) / rect.width) * view.w,
        y: view.y + ((clientY - rect.top) / rect.height) * view.h,
      };
    };
    const zoomAt = (factor, point) => {
      const w = Math.min(home.w * 1.5, Math.max(home.w / 40, view.w / factor));
      const h = (w / view.w) * view.h;
      show({ x: point.x - ((point.x - view.x) * w) / view.w, y: point.y - ((point.y - view.y) * h) / view.h, w, h });
    };
    const middle = () => ({ x: view.x + view.w / 2, y: view.y + view.h / 2 });

    const tools = box.querySelector(".sl-graph__tools");
    if (tools) {
      tools.hidden = false;
      for (const button of tools.querySelectorAll("[data-zoom]")) {
        button.addEventListener("click", () => {
          const how = button.dataset.zoom;
          if (how === "fit") show(fitted(svg, home));
          else zoomAt(how === "in" ? ZOOM : 1 / ZOOM, middle());
        });
      }
      const filter = tools.querySelector(".sl-graph__filter");
      if (filter) filter.addEventListener("change", () => {
        pick(svg, near, filter.value);
        show(fitted(svg, home));
      });
    }
    svg.addEventListener("wheel", (event) => {
      if (!event.ctrlKey && !event.metaKey) return;  // a plain wheel scrolls the page
      event.preventDefault();
      zoomAt(event.deltaY < 0 ? 1.2 : 1 / 1.2, at(event.clientX, event.clientY));
    }, { passive: false });

    // Dragging pans; a drag that ends on a node does not follow its link.
    svg.classList.add("sl-graph--grab");
    let drag = null;
    let dragged = false;
    svg.addEventListener("pointerdown", (event) => {
      if (event.pointerType !== "mouse" || event.button !== 0) return;
      drag = { x: event.clientX, y: event.clientY, view: { ...view } };
      dragged = false;
    });
    svg.addEventListener("pointermove", (event) => {
      if (!drag) return;
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      if (!dragged && Math.hypot(dx, dy) < 4) return;
      if (!dragged) svg.setPointerCapture(event.pointerId);
      dragged = true;
      const rect = svg.getBoundingClientRect();
      show({ ...drag.view, x: drag.view.x - (dx / rect.width) * drag.view.w, y: drag.view.y - (dy / rect.height) * drag.view.h });
    });
    const end = () => { drag = null; };
    svg.addEventListener("pointerup", end);
    svg.addEventListener("pointercancel", end);
    svg.addEventListener("click", (event) => {
      if (dragged) {
        event.preventDefault();
        dragged = false;
      }
    }, true);
    show(home);
  }

  // Show one topic (by its node's index), its papers and what links them; "" shows all.
  function pick(svg, near, topic) {
    svg.classList.toggle("sl-graph--filtered", topic !== "");
    if (topic === "") return;
    const shown = new Set([topic]);
    for (const paper of near.get(topic) || []) {
      shown.add(paper);
      for (const other of near.get(paper) || []) shown.add(other);
    }
    for (const node of svg.querySelectorAll(".sl-node")) node.classList.toggle("is-shown", shown.has(node.dataset.n));
    for (const edge of svg.querySelectorAll(".sl-edge")) {
      edge.classList.toggle("is-shown", shown.has(edge.dataset.s) && shown.has(edge.dataset.t));
    }
  }

  // The view that holds every node shown, with a margin; the whole drawing when all are.
  function fitted(svg, home) {
    if (!svg.classList.contains("sl-graph--filtered")) return { ...home };
    let left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
    for (const node of svg.querySelectorAll(".sl-node.is-shown")) {
      const b = node.getBBox();
      left = Math.min(left, b.x); top = Math.min(top, b.y);
      right = Math.max(right, b.x + b.width); bottom = Math.max(bottom, b.y + b.height);
    }
    if (!(right > left)) return { ...home };
    const pad = 20;
    let w = right - left + 2 * pad, h = bottom - top + 2 * pad;
    // Keep the drawing's proportions, so the view fills the figure.
    if (w / h < home.w / home.h) w = (h * home.w) / home.h; else h = (w * home.h) / home.w;
    return { x: (left + right) / 2 - w / 2, y: (top + bottom) / 2 - h / 2, w, h };
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(({ body }) => wire(body));  // Material, instant navigation included
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => wire(document.body));
  } else {
    wire(document.body);
  }
})();
