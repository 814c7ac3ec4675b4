// The reading list's filters and order, and the tab of the pages that belong to the list.
//
// Studylog writes the controls into the reading list (form.sl-filters), in the site's
// language, hidden: without JavaScript every paper shows, and no control that cannot
// work. This script shows them and keeps their state in the page's query string, so a
// filtered view can be shared, survives a reload, and back and forward step through it:
//
//   papers/?text=bert&status=read&topic=prompt-tuning&year=2021&sort=year
//
// (Not ?q=: Material's search opens on that.)
// Each paper's row (.sl-paper) carries what the filters read: data-key, data-status,
// data-topics, data-year, data-search (title, authors, venue, notes, arXiv ID) and,
// when the catalogue knows it, data-citations. It runs on every page Material shows,
// also after an instant navigation (document$).
(() => {
  const FIELDS = ["text", "status", "topic", "year", "sort"];
  const BY_TOPIC = "topic"; // the default order: grouped under the topics, as written

  // Case and accents aside: "frederic" finds "Frédéric".
  const fold = (text) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLocaleLowerCase();
  const folded = new WeakMap();
  const searchText = (element) => {
    if (!folded.has(element)) folded.set(element, fold(element.dataset.search ?? element.textContent));
    return folded.get(element);
  };

  // The flat orders: [missing, value] per row; rows without the value go last.
  const ORDERS = {
    year: (row) => [row.dataset.year ? 0 : 1, -Number(row.dataset.year || 0)],
    title: (row) => [0, (row.querySelector("a")?.textContent ?? "").trim()],
    citations: (row) => [row.dataset.citations ? 0 : 1, -Number(row.dataset.citations || 0)],
  };

  function setup(body) {
    const form = body.querySelector("form.sl-filters");
    if (!form) return null;
    const control = (name) => form.elements.namedItem(name);
    const sections = [...body.querySelectorAll("section.sl-topic")];
    const rows = sections.flatMap((section) => [...section.querySelectorAll(".sl-paper")]);
    const count = form.querySelector(".sl-filters__count");
    const empty = form.querySelector(".sl-filters__empty");
    if (!rows.some((row) => row.dataset.citations)) {
      control("sort").querySelector('option[value="citations"]')?.remove();
    }
    // The other orders show one flat list, a copy of each paper's first row, in place of the topics.
    const flat = document.createElement("div");
    flat.className = "sl-flat";
    flat.hidden = true;
    sections[0]?.before(flat);
    let flatOrder = null;
    let typing = false;

    const values = () => Object.fromEntries(FIELDS.map((name) => [name, control(name).value.trim()]));

    function fill(order) {
      if (flatOrder === order) return;
      flatOrder = order;
      const first = new Map();
      for (const row of rows) if (!first.has(row.dataset.key)) first.set(row.dataset.key, row);
      const collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true, sensitivity: "base" });
      const keyed = [...first.values()].map((row, index) => ({ row, index, key: ORDERS[order](row) }));
      keyed.sort((a, b) => {
        if (a.key[0] !== b.key[0]) return a.key[0] - b.key[0];
        const [x, y] = [a.key[1], b.key[1]];
        return (typeof x === "string" ? collator.compare(x, y) : x - y) || a.index - b.index;
      });
      flat.replaceChildren(...keyed.map(({ row }) => row.cloneNode(true)));
    }

    function apply() {
      const { text, status, topic, year, sort } = values();
      const terms = fold(text).split(/\s+/).filter(Boolean);
      const grouped = !(sort in ORDERS);
      const found = (element) => terms.every((term) => searchText(element).includes(term));
      const matches = (row) =>
        (!status || row.dataset.status === status) && (!year || row.dataset.year === year) && found(row);
      const shown = new Set();
      for (const section of sections) {
        const inTopic = grouped && (!topic || section.dataset.topic === topic);
        let any = false;
        for (const row of section.querySelectorAll(".sl-paper")) {
          row.hidden = !(inTopic && matches(row));
          if (!row.hidden) shown.add(row.dataset.key);
          any ||= !row.hidden;
        }
        // Resources are not papers: a status or a year leaves them out; the text finds them.
        for (const block of section.querySelectorAll(".sl-resources")) {
          let some = false;
          for (const item of block.querySelectorAll("li")) {
            item.hidden = !(inTopic && !status && !year && found(item));
            some ||= !item.hidden;
          }
          block.hidden = !some;
          any ||= some;
        }
        section.hidden = !any;
        // Its entry in the table of contents (the sidebar's, and the one in the menu on a phone).
        const heading = section.querySelector("h2[id]");
        const entries = heading ? body.querySelectorAll(`.md-nav--secondary a[href="#${CSS.escape(heading.id)}"]`) : [];
        for (const entry of entries) entry.closest("li").hidden = section.hidden;
      }
      flat.hidden = grouped;
      if (!grouped) {
        fill(sort);
        for (const row of flat.children) {
          row.hidden = !(matches(row) && (!topic || row.dataset.topics.split(" ").includes(topic)));
          if (!row.hidden) shown.add(row.dataset.key);
        }
      }
      count.textContent = form.dataset.count.replace("{shown}", String(shown.size));
      empty.hidden = shown.size > 0;
    }

    // The controls from the URL (a select given a value it lacks keeps its first option).
    function load() {
      const params = new URLSearchParams(location.search);
      for (const name of FIELDS) {
        const input = control(name);
        input.value = params.get(name) ?? "";
        if (input.tagName === "SELECT" && input.selectedIndex < 0) input.selectedIndex = 0;
      }
      typing = false;
      apply();
    }

    // The URL from the controls: a new history entry per change, one per burst of typing.
    function save(push) {
      const params = new URLSearchParams(location.search);
      for (const [name, value] of Object.entries(values())) {
        if (value && !(name === "sort" && value === BY_TOPIC)) params.set(name, value);
        else params.delete(name);
      }
      const query = params.toString();
      const url = location.pathname + (query ? `?${query}` : "") + location.hash;
      if (url !== location.pathname + location.search + location.hash) {
        history[push ? "pushState" : "replaceState"](history.state, "", url);
      }
    }

    form.addEventListener("input", (event) => {
      if (event.target.name !== "text") return;
      apply();
      save(!typing);
      typing = true;
    });
    form.addEventListener("change", (event) => {
      const wasTyping = typing;
      typing = false;
      if (event.target.name === "text" && wasTyping) return; // already applied and saved while typing
      apply();
      save(true);
    });
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("reset", (event) => {
      event.preventDefault();
      for (const name of FIELDS) {
        const input = control(name);
        if (input.tagName === "SELECT") input.selectedIndex = 0;
        else input.value = "";
      }
      typing = false;
      apply();
      save(true);
    });

    form.hidden = false;
    load();
    return { form, load };
  }

  // Paper and topic pages are not in the navigation, so Material highlights no tab on
  // them. They link back to the reading list (a.sl-back): highlight the tab leading there.
  function highlightTab(body) {
    for (const item of body.querySelectorAll(".sl-tab-active")) {
      item.classList.remove("md-tabs__item--active", "sl-tab-active");
    }
    const back = body.querySelector("article a.sl-back");
    if (!back || body.querySelector(".md-tabs__item--active")) return;
    const tab = [...body.querySelectorAll("a.md-tabs__link")].find((link) => link.href === back.href);
    tab?.closest(".md-tabs__item")?.classList.add("md-tabs__item--active", "sl-tab-active");
  }

  let current = null;
  document$.subscribe(({ body }) => {
    highlightTab(body);
    current = setup(body);
  });
  window.addEventListener("popstate", () => {
    if (current?.form.isConnected) current.load();
  });
})();
