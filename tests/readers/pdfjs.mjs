// Read a PDF the way Firefox does: Mozilla pdf.js (npm pdfjs-dist, pinned in
// package-lock.json).  Prints JSON on stdout:
//   {"pages": [{"items": [...], "structTree": {...}, "annotations": [...]}]}
// items are getTextContent({includeMarkedContent: true}) items in stream order:
// {"str", "dir", "hasEOL"} for text, {"type", "tag", "id"} for marked content.
import { readFile } from "node:fs/promises";

const path = process.argv[2];
if (!path) {
  console.error("usage: node pdfjs.mjs FILE.pdf");
  process.exit(2);
}
// pdf.js 6 asks for Node 22 (Promise.withResolvers); Debian's Node 20 lacks
// only that, so it is supplied here before pdf.js loads.
if (!Promise.withResolvers) {
  Promise.withResolvers = function withResolvers() {
    let resolve, reject;
    const promise = new this((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}
const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
const data = new Uint8Array(await readFile(path));
const task = getDocument({ data, verbosity: 0, useSystemFonts: false });
const doc = await task.promise;
const pages = [];
for (let number = 1; number <= doc.numPages; number++) {
  const page = await doc.getPage(number);
  const content = await page.getTextContent({ includeMarkedContent: true });
  const items = content.items.map((item) =>
    "str" in item
      ? { str: item.str, dir: item.dir, hasEOL: item.hasEOL }
      : { type: item.type, tag: item.tag ?? null, id: item.id ?? null });
  const structTree = await page.getStructTree();
  const annotations = (await page.getAnnotations()).map((a) => ({
    subtype: a.annotationType === 2 ? "Link" : String(a.annotationType),
    url: a.url ?? null, rect: a.rect, contents: a.contentsObj?.str ?? null,
  }));
  pages.push({ items, structTree, annotations });
}
process.stdout.write(JSON.stringify({ pages }));
await task.destroy();
