// Query parameters that only track a click and never select content: one list for every stage that canonicalises
// a URL (url/canonical.ts, for feed items' identity and for a page's canonical URL), so the same
// story reached from a feed link and from the page's own canonical URL gets the same address.

/** Exact names, compared lower-cased. */
const NAMES = new Set([
  'fbclid', 'gclid', 'gclsrc', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'mc_cid', 'mc_eid', 'yclid', 'ysclid', '_ga',
  '_gl', 'ref', 'ref_src', 'ref_url', 'igshid', 'mkt_tok', 'oly_anon_id', 'oly_enc_id', 'vero_id', 'wt_mc', 'wt.mc_id',
  '__s', '_hsenc', '_hsmi', 'hsctatracking', 's_cid', 'cmpid', 'ocid', 'icid', 'ncid', 'sr_share', 'smid', 'rss',
  'at_medium', 'at_campaign', 'spm', 'share', 'xtor',
]);

/** Name prefixes (lower-case): utm_source…, Matomo/Piwik pk_… and mtm_…, AT Internet at_custom1…, and the like. */
const PREFIXES = ['utm_', 'pk_', 'mtm_', 'itm_', '__twitter', 'trk_', 'at_custom'];

/** True when the query parameter `name` is tracking only (removing it never changes the page). */
export function isTrackingParam(name: string): boolean {
  const n = name.toLowerCase();
  return NAMES.has(n) || PREFIXES.some((p) => n.startsWith(p));
}
