import { describe, expect, it } from 'vitest';
import { buildEmail, classifySmtpError, messageIdFor } from '../../../src/deliver/email.js';
import { DeliveryUnknownError } from '../../../src/deliver/channel.js';
import { emailChannelSchema } from '../../../src/digest/config.js';
import { PermanentError, TransientError } from '../../../src/errors.js';
import { fixtureDigest } from '../digest/helpers.js';

const cfg = emailChannelSchema.parse({ type: 'email', to: 'a@example.org', from: 'Wire <digest@News.Example.org>', smtp: { host: 'h' } });
const err = (o: object) => Object.assign(new Error('x'), o);

describe('email', () => {
  it('Message-ID is deterministic and in the sender domain', () => {
    expect(messageIdFor(cfg, { digestId: 'morning', period: '2026-11-26' }, 'abc')).toBe('<wirewatch.morning.2026-11-26.abc@news.example.org>');
    const m = buildEmail(cfg, fixtureDigest(), 'abc');
    expect(m.messageId).toBe('<wirewatch.morning.2026-11-26.abc@news.example.org>');
    expect(m.subject).toBe('Morning <b>brief</b> — 2026-11-26');
    expect(m.headers).not.toHaveProperty('List-Id');
  });

  it('classifies SMTP failures by reply code and by whether DATA was sent', () => {
    expect(classifySmtpError(err({ responseCode: 451, command: 'DATA' }), true)).toBeInstanceOf(TransientError);
    expect(classifySmtpError(err({ responseCode: 550, command: 'RCPT TO' }), false)).toBeInstanceOf(PermanentError);
    expect(classifySmtpError(err({ code: 'EAUTH' }), false)).toBeInstanceOf(PermanentError);
    expect(classifySmtpError(err({ code: 'ECONNECTION', command: 'CONN' }), false)).toBeInstanceOf(TransientError);
    expect(classifySmtpError(err({ code: 'ETIMEDOUT', command: 'CONN' }), true)).toBeInstanceOf(DeliveryUnknownError);
  });
});
