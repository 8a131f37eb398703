/// <reference types="jest" />
import { createAppRequest, draftOf, EMPTY_APP_DRAFT, errorsFromIssues, updateAppRequest } from './app-form';
import type { AdminApp } from './types';

const app: AdminApp = {
  id: 'app_1',
  name: 'Glasses',
  packageName: 'com.example.glasses',
  webhookUrl: 'https://hooks.example.com/restream',
  webhookSecretMasked: '****wxyz',
  recordByDefault: false,
  defaultReconnectWindowSeconds: 60,
  createdAt: '2026-12-02T10:00:00.000Z',
};

describe('the Apps page forms', () => {
  it('makes a create request, leaving blank optional fields to the service', () => {
    expect(createAppRequest({ ...EMPTY_APP_DRAFT, name: ' Vision ', defaultReconnectWindowSeconds: '30' })).toEqual({
      request: {
        name: ' Vision ',
        packageName: undefined,
        webhookUrl: undefined,
        webhookSecret: undefined,
        recordByDefault: false,
        defaultReconnectWindowSeconds: 30,
      },
      errors: null,
    });
  });

  it('says what to fix, field by field, with the service’s own rules', () => {
    const checked = createAppRequest({
      name: '  ',
      packageName: 'has spaces',
      webhookUrl: 'ftp://hooks.example.com',
      webhookSecret: 'short',
      recordByDefault: true,
      defaultReconnectWindowSeconds: '601',
    });
    expect(checked.errors).toEqual({
      name: 'must not be empty',
      packageName: 'letters, digits, ".", "_" or "-", at most 100',
      webhookUrl: 'must be an http:// or https:// URL',
      webhookSecret: 'must be at least 16 characters',
      defaultReconnectWindowSeconds: 'must be at most 600 seconds',
    });
    expect(createAppRequest({ ...EMPTY_APP_DRAFT, name: 'A', defaultReconnectWindowSeconds: '' }).errors).toEqual({
      defaultReconnectWindowSeconds: 'must be a number of seconds',
    });
    expect(createAppRequest({ ...EMPTY_APP_DRAFT, name: 'A', defaultReconnectWindowSeconds: '2.5' }).errors).toEqual({
      defaultReconnectWindowSeconds: 'must be a whole number of seconds',
    });
  });

  it('sends only what changed; a blank secret keeps the current one, a cleared URL turns webhooks off', () => {
    expect(updateAppRequest(app, { ...draftOf(app), recordByDefault: true, defaultReconnectWindowSeconds: '0' })).toEqual({
      request: { recordByDefault: true, defaultReconnectWindowSeconds: 0 },
      errors: null,
    });
    expect(updateAppRequest(app, { ...draftOf(app), webhookSecret: 'a-new-secret-of-20ch' }).request).toEqual({
      webhookSecret: 'a-new-secret-of-20ch',
    });
    expect(updateAppRequest(app, { ...draftOf(app), webhookUrl: ' ' }).request).toEqual({ webhookUrl: null });
    expect(updateAppRequest(app, draftOf(app))).toEqual({ request: null, errors: { form: 'Nothing has changed.' } });
    expect(updateAppRequest(app, { ...draftOf(app), webhookUrl: '', webhookSecret: 'a-new-secret-of-20ch' }).errors).toEqual({
      webhookSecret: 'a webhook secret needs a webhook URL',
    });
  });

  it('puts the service’s issues next to their fields', () => {
    expect(
      errorsFromIssues([
        { path: 'body.webhookUrl', message: 'bad' },
        { path: '', message: 'whole' },
      ]),
    ).toEqual({
      webhookUrl: 'bad',
      form: 'whole',
    });
  });
});
