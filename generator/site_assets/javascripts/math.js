// Render the math that pymdownx.arithmatex marks up (generic mode), with the
// KaTeX copy served by this site: nothing is fetched from a CDN.
document$.subscribe(({ body }) => {
  for (const el of body.querySelectorAll(".arithmatex")) {
    const tex = el.textContent.trim();
    const display = tex.startsWith("\\[");
    const source = tex.replace(/^\\[[(]/, "").replace(/\\[\])]$/, "");
    katex.render(source, el, { displayMode: display, throwOnError: false });
  }
  // Math in a heading reaches Material's table of contents as text, \(...\): render it there too.
  for (const link of body.querySelectorAll(".md-nav__link")) renderInText(link);
});

function renderInText(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const found = [];
  while (walker.nextNode()) {
    if (walker.currentNode.nodeValue.includes("\\(")) found.push(walker.currentNode);
  }
  for (const node of found) {
    // Split at each \(...\): even parts are text, odd parts TeX.
    const parts = node.nodeValue.split(/\\\(([\s\S]+?)\\\)/);
    if (parts.length < 3) continue;
    const rendered = parts.map((part, n) => {
      if (n % 2 === 0) return document.createTextNode(part);
      const math = document.createElement("span");
      math.className = "sl-math";
      katex.render(part, math, { throwOnError: false });
      return math;
    });
    node.replaceWith(...rendered);
  }
}
