import { useState } from 'react';

/** A secret the service shows once (an API key, a generated webhook secret), with a copy button. */
export function ShownOnce({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="shown-once">
      <span className="shown-once-label">{label}</span>
      <code className="mono" aria-label={label}>
        {value}
      </code>
      <button
        type="button"
        onClick={() =>
          void navigator.clipboard?.writeText(value).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}

export interface IssuedSecrets {
  appName: string;
  apiKey?: string;
  webhookSecret?: string | null;
}

/** What was just issued, until the operator says they have stored it: it cannot be shown again. */
export function IssuedSecretsPanel({ issued, onDone }: { issued: IssuedSecrets; onDone: () => void }) {
  return (
    <section className="card issued" aria-labelledby="issued-title" role="status">
      <h2 id="issued-title">Store this now for “{issued.appName}”</h2>
      <p>It is shown only this once: the service keeps only a hash of the API key, and never shows a webhook secret again.</p>
      {issued.apiKey ? <ShownOnce label="API key" value={issued.apiKey} /> : null}
      {issued.webhookSecret ? <ShownOnce label="Webhook signing secret" value={issued.webhookSecret} /> : null}
      <div className="actions">
        <button type="button" className="button-primary" onClick={onDone}>
          I have stored it
        </button>
      </div>
    </section>
  );
}
