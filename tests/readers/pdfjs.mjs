// Read a PDF the way Firefox does: Mozilla pdf.js (npm pdfjs-dist, pinned in
// package-lock.json).  Prints JSON on stdout:
//   {"pages": [{"items": [...], "structTree": {...}, "annotations": [...]}]}
// items are getTextContent({includeMarkedContent: true}) items in stream order:
// {"str", "dir", "hasEOL"} for text, {"type", "tag", "id"} for marked content.
import { readFile } from "node:fs/promises";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const path = process.argv[2];
if (!path) {
  console.error("usage: node pdfjs.mjs FILE.pdf");
  process.exit(2);
}
const data = new Uint8Array(await readFile(path));
const doc = await getDocument({ data, verbosity: 0, useSystemFonts: false }).promise;
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
await doc.destroy();
