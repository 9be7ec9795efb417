// The email channel: one message per digest over SMTP (nodemailer), HTML + plain-text parts, a Message-ID derived
// from the idempotency key (the same on every retry, M2), List-Id (RFC 2919) and List-Unsubscribe (RFC 2369)
// when configured. Failures are classified by how far the SMTP dialogue got: a reply code means the server
// answered (4xx transient, 5xx permanent); a lost connection after DATA means it may have accepted (unknown).
import nodemailer, { type Transporter } from 'nodemailer';
import type { EmailChannelConfig } from '../digest/config.js';
import { renderHtml, renderText, type HtmlOptions } from '../digest/render.js';
import type { Digest } from '../digest/types.js';
import { PermanentError, TransientError } from '../errors.js';
import { backoffMs, DeliveryUnknownError, sleep as realSleep, type Channel, type Receipt } from './channel.js';

/** Builds the nodemailer transport; tests inject one. `onClientCommand` sees every SMTP command sent. */
export type EmailTransportFactory = (cfg: EmailChannelConfig, onClientCommand: (cmd: string) => void) => Transporter;

export const defaultEmailTransport: EmailTransportFactory = (cfg, onClientCommand) => {
  const tap = (level: string) => (entry: { tnx?: string } | undefined, msg: unknown) => {
    if (level === 'debug' && entry?.tnx === 'client' && typeof msg === 'string') onClientCommand(msg);
  };
  return nodemailer.createTransport({
    host: cfg.smtp.host,
    port: cfg.smtp.port,
    secure: cfg.smtp.secure,
    auth: cfg.smtp.auth,
    // Credentials only over TLS: implicit (secure) or STARTTLS, required rather than "when offered", so a MITM that
    // strips STARTTLS from the EHLO answer gets a refused send, not the password. Opt-out: loopback relays only.
    requireTLS: Boolean(cfg.smtp.auth) && !cfg.smtp.secure && !cfg.smtp.allow_plaintext_auth,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 120_000,
    // The transaction log lets us see whether DATA was sent, which decides "not sent" vs "outcome unknown".
    transactionLog: true,
    logger: { trace: tap('trace'), debug: tap('debug'), info: tap('info'), warn: tap('warn'), error: tap('error'), fatal: tap('fatal') } as never,
  });
};

export interface EmailOptions {
  transport?: EmailTransportFactory;
  /** Attempts within one run for 4xx / connection failures before the job is retried later. */
  attempts?: number;
  backoffBaseMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  html?: HtmlOptions;
}

/** Domain part of the From address, for the Message-ID (RFC 5322 §3.6.4). */
function fromDomain(from: string): string {
  const m = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from.trim());
  return m ? m[1].toLowerCase() : 'wirewatch.invalid';
}

export function messageIdFor(cfg: Pick<EmailChannelConfig, 'from'>, d: Pick<Digest, 'digestId' | 'period'>, key: string): string {
  return `<wirewatch.${d.digestId}.${d.period}.${key}@${fromDomain(cfg.from)}>`;
}

const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').trim();

/** The nodemailer message (exported for tests). */
export function buildEmail(cfg: EmailChannelConfig, d: Digest, key: string, opts: { now?: Date; html?: HtmlOptions } = {}) {
  const subject = `${d.title} — ${d.period}`.replace(/[\r\n]+/g, ' ');
  return {
    from: cfg.from,
    to: cfg.to,
    subject,
    messageId: messageIdFor(cfg, d, key),
    date: opts.now ?? new Date(),
    text: renderText(d),
    html: renderHtml(d, { ...opts.html, unsubscribeUrl: cfg.unsubscribe }),
    headers: {
      'Auto-Submitted': 'auto-generated',
      'X-Wirewatch-Digest': `${d.digestId}/${d.period}`,
      // Written by hand: nodemailer 7's `list.id` turns "a.example.org" into "<http://a.example.org>".
      ...(cfg.list_id ? { 'List-Id': `<${oneLine(cfg.list_id).replace(/[<>]/g, '')}>` } : {}),
      ...(cfg.unsubscribe ? { 'List-Unsubscribe': `<${oneLine(cfg.unsubscribe).replace(/[<>]/g, '')}>` } : {}),
    },
  };
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  command?: string;
}

/** Classify a nodemailer error given whether the DATA command had been sent on this connection. */
export function classifySmtpError(err: SmtpError, dataSent: boolean): Error {
  const what = `email: ${err.message}`;
  // STARTTLS refused or failed (it may carry the server's 5xx to STARTTLS): credentials were not sent.
  if (err.code === 'ETLS') {
    return new PermanentError('smtp_etls', `${what} (TLS is required to send credentials: smtp.secure, STARTTLS, or smtp.allow_plaintext_auth on loopback)`, { cause: err });
  }
  if (err.responseCode && err.responseCode >= 400 && err.responseCode < 500) return new TransientError(`smtp_${err.responseCode}`, what, { cause: err });
  if (err.responseCode && err.responseCode >= 500) return new PermanentError(`smtp_${err.responseCode}`, what, { cause: err });
  if (err.code === 'EAUTH' || err.code === 'EENVELOPE' || err.code === 'EMESSAGE') {
    return new PermanentError(`smtp_${(err.code ?? '').toLowerCase()}`, what, { cause: err });
  }
  // No reply code: the connection broke. Before DATA nothing was handed over; after it, the server may have
  // queued the message and its "250" was lost (M1).
  return dataSent ? new DeliveryUnknownError(`${what} (connection lost after DATA; the server may have accepted it)`, { cause: err }) : new TransientError(`smtp_${(err.code ?? 'conn').toLowerCase()}`, what, { cause: err });
}

export function emailChannel(name: string, cfg: EmailChannelConfig, opts: EmailOptions = {}): Channel {
  const factory = opts.transport ?? defaultEmailTransport;
  const sleep = opts.sleep ?? realSleep;
  const attempts = opts.attempts ?? 3;
  return {
    name,
    type: 'email',
    repeatable: false,
    async send(d: Digest, key: string): Promise<Receipt> {
      const msg = buildEmail(cfg, d, key, { now: opts.now?.(), html: opts.html });
      for (let attempt = 1; ; attempt++) {
        let dataSent = false;
        const transport = factory(cfg, (cmd) => {
          if (/^DATA\b/i.test(cmd) || /^BDAT\b/i.test(cmd)) dataSent = true;
        });
        try {
          const info = await transport.sendMail(msg);
          return { messageId: info.messageId ?? msg.messageId, response: info.response, accepted: info.accepted, rejected: info.rejected, attempts: attempt };
        } catch (e) {
          const err = classifySmtpError(e as SmtpError, dataSent);
          if (!(err instanceof TransientError) || attempt >= attempts) throw err;
          await sleep(backoffMs(attempt, opts.backoffBaseMs ?? 2_000));
        } finally {
          transport.close();
        }
      }
    },
  };
}
