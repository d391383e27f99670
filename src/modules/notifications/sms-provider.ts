/** Sends text messages; a real gateway (Twilio, MessageBird...) implements this. */
export interface SmsProvider {
  readonly name: string;
  send(message: { to: string; body: string }): Promise<void>;
}

export interface RecordedSms {
  to: string;
  body: string;
  at: Date;
}

/** Keeps the messages it is given instead of sending them (development and tests); the newest `limit` are kept. */
export class RecordingSmsProvider implements SmsProvider {
  readonly name = 'recording';
  readonly sent: RecordedSms[] = [];

  constructor(private readonly limit = 1000) {}

  async send(message: { to: string; body: string }): Promise<void> {
    this.sent.push({ ...message, at: new Date() });
    if (this.sent.length > this.limit) this.sent.splice(0, this.sent.length - this.limit);
  }
}
