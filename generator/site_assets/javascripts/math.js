// Render the math that pymdownx.arithmatex marks up (generic mode), with the
// KaTeX copy served by this site: nothing is fetched from a CDN.
document$.subscribe(({ body }) => {
  for (const el of body.querySelectorAll(".arithmatex")) {
    const tex = el.textContent.trim();
    const display = tex.startsWith("\\[");
    const source = tex.replace(/^\\[[(]/, "").replace(/\\[\])]$/, "");
    katex.render(source, el, { displayMode: display, throwOnError: false });
  }
});
