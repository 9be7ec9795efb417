// docker-compose.yml is kept correct by reading (no Docker engine here): the services, their wiring and the Redis
// settings BullMQ needs. (`docker compose config` accepts it where Compose is installed.)
import fs from 'node:fs';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';

const compose = YAML.parse(fs.readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
  services: Record<string, { command?: string[]; environment?: Record<string, string>; depends_on?: Record<string, unknown>; ports?: string[]; build?: string }>;
};

describe('docker-compose.yml', () => {
  it('runs the split roles against Redis and PostgreSQL', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['postgres', 'redis', 'scheduler', 'web', 'worker']);
    for (const role of ['scheduler', 'worker', 'web']) {
      const s = compose.services[role];
      expect(s.build).toBe('.');
      expect(s.environment?.REDIS_URL).toBe('redis://redis:6379');
      expect(s.environment?.DATABASE_URL).toMatch(/^postgres:\/\/.*@postgres:5432\//);
      expect(Object.keys(s.depends_on ?? {}).sort()).toEqual(['postgres', 'redis']);
    }
    expect(compose.services.worker.command).toEqual(['worker', '--queues', 'poll,article,digest,maintenance']);
    expect(compose.services.scheduler.command).toEqual(['scheduler']);
    expect(compose.services.web.command).toEqual(['serve']);
    expect(compose.services.web.ports).toEqual(['127.0.0.1:8080:8080']);
    // Scaling workers must not collide on host ports.
    expect(compose.services.worker.ports).toBeUndefined();
  });

  it('configures Redis as BullMQ requires', () => {
    const cmd = compose.services.redis.command!.join(' ');
    expect(cmd).toContain('--maxmemory-policy noeviction');
    expect(cmd).toContain('--appendonly yes');
  });
});
