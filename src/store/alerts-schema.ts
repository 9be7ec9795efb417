// Row types of the tables migration 007-alerts adds (alerts and WebSub); `Database` (schema.ts) extends these.

/** One row per (alert rule, story): the rule fired for that story, once. */
export interface AlertFiredTable {
  alert_id: string;
  story_key: string;
  topic_id: string;
  item_id: string;
  reason: string;
  story: string;
  fired_at: string;
  due_at: string;
  message: string | null;
}

/** Every item of a story that fired a rule: later articles of the story and the next digest look here. */
export interface AlertItemsTable {
  alert_id: string;
  item_id: string;
  story_key: string;
  fired_at: string;
}

/** One alert message per (rule, topic, window): built once, delivered through the outbox. */
export interface AlertMessagesTable {
  alert_id: string;
  message: string;
  topic_id: string;
  built_at: string;
  content: string;
}

/** A WebSub subscription of one feed (src/websub/). */
export interface WebsubSubscriptionsTable {
  feed_id: string;
  hub: string;
  topic: string;
  secret: string;
  /** requested | active | failed | unsubscribed */
  state: string;
  lease_s: number | null;
  expires_at: string | null;
  requested_at: string;
  verified_at: string | null;
  last_push_at: string | null;
  pushes: number;
  failures: number;
  error: string | null;
  updated_at: string;
}

export interface AlertTables {
  alert_fired: AlertFiredTable;
  alert_items: AlertItemsTable;
  alert_messages: AlertMessagesTable;
  websub_subscriptions: WebsubSubscriptionsTable;
}
