/** What happens to an app's webhook secret when its settings change. */
export type WebhookSecretPlan = { kind: 'keep' } | { kind: 'clear' } | { kind: 'set'; secret: string } | { kind: 'generate' };

/**
 * Pure: a webhook URL always has a secret to sign with (one typed, else one generated and shown
 * once), and no URL means no secret. Null when a secret is given for an app that will have no URL.
 */
export function planWebhookSecret(
  current: { webhookUrl: string | null; hasSecret: boolean },
  change: { webhookUrl?: string | null; webhookSecret?: string },
): WebhookSecretPlan | null {
  const url = change.webhookUrl === undefined ? current.webhookUrl : change.webhookUrl;
  if (url === null) {
    if (change.webhookSecret !== undefined) return null;
    return current.hasSecret ? { kind: 'clear' } : { kind: 'keep' };
  }
  if (change.webhookSecret !== undefined) return { kind: 'set', secret: change.webhookSecret };
  return current.hasSecret ? { kind: 'keep' } : { kind: 'generate' };
}
