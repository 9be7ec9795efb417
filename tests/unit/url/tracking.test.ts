// One tracking-parameter list for feed-item identity and page canonical URLs: both stages strip the same names, so a
// story reached by a feed link and by its page's canonical URL gets one address.
import { describe, expect, it } from 'vitest';
import { isTrackingParam } from '../../../src/url/tracking.js';
import { identityUrl as itemUrl, stripTracking } from '../../../src/url/canonical.js';

describe('isTrackingParam', () => {
  it('knows names and prefixes from every former list, case-insensitively', () => {
    for (const n of ['utm_source', 'UTM_Medium', 'fbclid', 'gclsrc', 'ocid', 'smid', 'at_custom3', 'xtor', 'ref', 'rss', 'pk_campaign', 'mtm_kwd', 'wt.mc_id']) {
      expect(isTrackingParam(n), n).toBe(true);
    }
  });
  it('keeps parameters that select content', () => {
    for (const n of ['id', 'p', 'page', 'story', 'articleId', 'lang', 'reference', 'shared']) expect(isTrackingParam(n), n).toBe(false);
  });
});

describe('feed identity and page canonical agree', () => {
  it.each([
    'https://news.example/a?id=7&xtor=RSS-1&ocid=x',
    'https://news.example/a?id=7&smid=tw-share&at_custom1=y',
    'https://news.example/a?id=7&ref=rss&gclsrc=aw.ds&utm_campaign=z',
  ])('%s → only id=7 is left by both', (url) => {
    expect(stripTracking(url)).toBe('https://news.example/a?id=7');
    expect(itemUrl(url)).toBe('https://news.example/a?id=7');
  });
});
