import { Field } from '../../components/Field';
import type { AppDraft, AppFormErrors } from '../../app-form';

interface Props {
  draft: AppDraft;
  errors: AppFormErrors;
  onChange: (draft: AppDraft) => void;
  /** An app that already has a webhook secret: a blank field keeps it. */
  secretMasked: string | null;
  /** The package name is chosen once, at creation (it identifies the app). */
  withPackageName: boolean;
}

/** The fields an app is created and edited with. */
export function AppSettingsFields({ draft, errors, onChange, secretMasked, withPackageName }: Props) {
  const set = (change: Partial<AppDraft>) => onChange({ ...draft, ...change });
  return (
    <>
      <Field label="Name" error={errors.name}>
        {(props) => (
          <input {...props} name="name" maxLength={100} value={draft.name} onChange={(e) => set({ name: e.target.value })} />
        )}
      </Field>
      {withPackageName ? (
        <Field
          label="Package name"
          error={errors.packageName}
          hint="Unique, e.g. com.example.glasses. Left blank: made from the name."
        >
          {(props) => (
            <input
              {...props}
              name="packageName"
              autoComplete="off"
              spellCheck={false}
              value={draft.packageName}
              onChange={(e) => set({ packageName: e.target.value })}
            />
          )}
        </Field>
      ) : null}
      <Field
        label="Webhook URL"
        error={errors.webhookUrl}
        hint="Signed POSTs of every stream and destination status change. Blank: no webhooks."
      >
        {(props) => (
          <input
            {...props}
            name="webhookUrl"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            placeholder="https://app.example.com/restream-webhook"
            value={draft.webhookUrl}
            onChange={(e) => set({ webhookUrl: e.target.value })}
          />
        )}
      </Field>
      <Field
        label={secretMasked ? 'New webhook secret' : 'Webhook secret'}
        error={errors.webhookSecret}
        hint={
          secretMasked
            ? 'Never shown again once saved. Blank keeps the current one.'
            : 'Never shown again once saved. Blank: one is generated and shown once.'
        }
      >
        {(props) => (
          <input
            {...props}
            name="webhookSecret"
            type="password"
            autoComplete="new-password"
            spellCheck={false}
            value={draft.webhookSecret}
            onChange={(e) => set({ webhookSecret: e.target.value })}
          />
        )}
      </Field>
      <Field
        label="Default reconnect window (seconds)"
        error={errors.defaultReconnectWindowSeconds}
        hint="How long the slate stays on air when the glasses drop, for streams that do not say (0–600; 0: no slate)."
      >
        {(props) => (
          <input
            {...props}
            name="defaultReconnectWindowSeconds"
            type="number"
            inputMode="numeric"
            min={0}
            max={600}
            step={1}
            value={draft.defaultReconnectWindowSeconds}
            onChange={(e) => set({ defaultReconnectWindowSeconds: e.target.value })}
          />
        )}
      </Field>
      <label className="switch">
        <input
          type="checkbox"
          name="recordByDefault"
          checked={draft.recordByDefault}
          onChange={(e) => set({ recordByDefault: e.target.checked })}
        />
        Record streams by default
      </label>
      {errors.form ? <p className="field-error">{errors.form}</p> : null}
    </>
  );
}
