// The alerts: and websub: sections of wirewatch.yml: validated at start, errors named by file, line and key.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { tempDir } from '../../support/stores.js';
import { issuesOf } from '../../support/config-issues.js';

const REPO_TOPICS = path.resolve('config/topics.yml');

function load(yaml: string) {
  const dir = tempDir('ww-cfg-');
  fs.writeFileSync(path.join(dir, 'wirewatch.yml'), `topics_file: ${REPO_TOPICS}\n${yaml}`);
  return () => loadConfig({ configPath: path.join(dir, 'wirewatch.yml') }, {});
}

const HOOK = '    channels: [{ type: webhook, url: "https://hooks.example/x", format: slack }]\n';

describe('alerts configuration', () => {
  it('loads a rule with its defaults; websub defaults to auto', () => {
    const cfg = load(`alerts:\n  - id: desk\n    title: Desk\n    topics: [nato]\n    trigger: { breaking: { outlets: 4 } }\n${HOOK}`)();
    expect(cfg.alerts[0]).toMatchObject({ id: 'desk', coalesce_minutes: 5, trigger: { breaking: { outlets: 4, within_h: 6 }, combine: 'any' } });
    expect(cfg.websub).toMatchObject({ enabled: 'auto', lease_s: 864_000 });
  });
  it('names unknown topics, bad quiet hours and a missing trigger by line and key', () => {
    const issues = issuesOf(load(
      `alerts:\n  - id: desk\n    title: Desk\n    topics: [nato, bananas]\n    trigger: {}\n${HOOK}    quiet_hours: { from: "25:00", to: "07:00", tz: Mars/Olympus }\n`,
    ));
    expect(issues).toEqual(expect.arrayContaining([
      expect.stringMatching(/alerts\[0\]\.trigger: set `min_score`, `breaking`, or both/),
      expect.stringMatching(/alerts\[0\]\.quiet_hours\.from: must be "HH:MM"/),
      expect.stringMatching(/alerts\[0\]\.quiet_hours\.tz: is not an IANA time zone/),
    ]));
    const topics = issuesOf(load(`alerts:\n  - id: desk\n    title: Desk\n    topics: [nato, bananas]\n    trigger: { min_score: 3 }\n${HOOK}`));
    expect(topics).toEqual([expect.stringMatching(/:5 alerts\[0\]\.topics\[1\]: unknown topic "bananas"/)]);
  });
});
