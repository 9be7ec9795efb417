// DOM walking without jsdom's selector engine or HTMLCollection proxies. Both cost: indexing an HTMLCollection goes
// through a Proxy (~10 ms a page), and querySelectorAll's engine caches per window, keeping every parsed document's
// nodes alive (measured: ~3.5 MB a page) until the window closes.

/** Visit every element under `root` (not `root` itself) in document order, iteratively. */
export function forEachElement(root: Element | null | undefined, visit: (el: Element) => void): void {
  if (!root) return;
  let el: Element | null = root.firstElementChild;
  while (el) {
    visit(el);
    if (el.firstElementChild) {
      el = el.firstElementChild;
      continue;
    }
    while (el && el !== root && !el.nextElementSibling) el = el.parentElement;
    el = el && el !== root ? el.nextElementSibling : null;
  }
}
