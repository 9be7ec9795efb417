// Where an HTML tag ends, found in linear time: the one scanner the page pre-cut, the extraction complexity guard
// and the feed sanitizer share (a `[^>]*>` pattern rescans to the end of the text from every `<`: quadratic on
// `'<a '` × 20,000). Pure.

/**
 * Index of the `>` that ends the tag whose name ends at `from`, or -1 when the text ends first (a browser drops such
 * a tag). Quoted attribute values (after `=`) may contain `>`. One forward pass: linear in the tag's length.
 */
export function tagEnd(html: string, from: number): number {
  for (let j = from; j < html.length; j++) {
    const c = html.charCodeAt(j);
    if (c === 62 /* > */) return j;
    if (c === 61 /* = */) {
      let k = j + 1;
      while (k < html.length && /\s/.test(html[k])) k++;
      const q = html[k];
      if (q === '"' || q === "'") {
        const e = html.indexOf(q, k + 1);
        if (e < 0) return -1;
        j = e;
      } else {
        j = k - 1;
      }
    }
  }
  return -1;
}
