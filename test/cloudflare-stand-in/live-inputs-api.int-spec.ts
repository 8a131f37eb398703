import type Cloudflare from 'cloudflare';
import { loadOpenApiDocument } from './openapi-document';
import { compileComponentValidator } from './request-validator';
import { manualClock, sdkFailure, sdkFor } from './sdk-test-kit';
import { startCloudflareStandIn, type CloudflareStandIn } from './stand-in-server';

const YOUTUBE = 'rtmp://a.rtmp.youtube.com/live2';

describe('Cloudflare stand-in: live inputs and outputs through the official SDK', () => {
  let standIn: CloudflareStandIn;
  let cf: Cloudflare;
  let account_id: string;

  beforeAll(async () => {
    standIn = await startCloudflareStandIn();
    cf = sdkFor(standIn);
    account_id = standIn.accountId;
  });
  afterAll(() => standIn.close());
  beforeEach(() => standIn.control.reset());

  it('creates, reads, lists, updates and deletes a live input', async () => {
    const created = await cf.stream.liveInputs.create({
      account_id,
      meta: { name: 'glasses of user 1' },
      recording: { mode: 'automatic', timeoutSeconds: 10 },
      deleteRecordingAfterDays: 45,
    });
    expect(created).toMatchObject({
      uid: expect.stringMatching(/^[0-9a-f]{32}$/),
      rtmps: { url: 'rtmps://live.cloudflare.com:443/live/', streamKey: expect.stringMatching(/^[0-9a-f]{32}k[0-9a-f]{32}$/) },
      rtmpsPlayback: { url: 'rtmps://live.cloudflare.com:443/live/', streamKey: expect.any(String) },
      srt: { url: 'srt://live.cloudflare.com:778', streamId: expect.any(String), passphrase: expect.any(String) },
      webRTC: { url: expect.stringMatching(/^https:\/\/customer-[0-9a-f]+\.cloudflarestream\.com\/\w+\/webRTC\/publish$/) },
      webRTCPlayback: { url: expect.stringMatching(/\/webRTC\/play$/) },
      meta: { name: 'glasses of user 1' },
      recording: { mode: 'automatic', timeoutSeconds: 10, requireSignedURLs: false },
      deleteRecordingAfterDays: 45,
      enabled: true,
      status: null,
    });
    expect(created.rtmps?.streamKey).not.toEqual(created.rtmpsPlayback?.streamKey);

    const uid = created.uid!;
    expect(await cf.stream.liveInputs.get(uid, { account_id })).toEqual(created);

    const list = await cf.stream.liveInputs.list({ account_id });
    expect(list).toEqual({
      liveInputs: [
        {
          uid,
          created: created.created,
          modified: created.modified,
          meta: created.meta,
          deleteRecordingAfterDays: 45,
          enabled: true,
        },
      ],
      range: 1,
      total: 1,
    });

    const updated = await cf.stream.liveInputs.update(uid, { account_id, meta: { name: 'renamed' }, recording: { mode: 'off' } });
    expect(updated).toMatchObject({
      uid,
      meta: { name: 'renamed' },
      recording: { mode: 'off', timeoutSeconds: 10 },
      deleteRecordingAfterDays: 45,
    });
    expect(updated.rtmps).toEqual(created.rtmps);

    const cleared = await cf.stream.liveInputs.update(uid, { account_id, deleteRecordingAfterDays: null as unknown as number });
    expect(cleared.deleteRecordingAfterDays).toBeUndefined();
    expect((await cf.stream.liveInputs.list({ account_id, include_counts: true })).total).toBe(1);

    await cf.stream.liveInputs.delete(uid, { account_id });
    const gone = await sdkFailure(() => cf.stream.liveInputs.get(uid, { account_id }));
    expect(gone).toEqual({ status: 404, errors: [{ code: 10003, message: 'Live input not found' }], name: 'NotFoundError' });
    expect((await cf.stream.liveInputs.list({ account_id })).liveInputs).toEqual([]);
  });

  it('creates, lists, disables and deletes outputs; deleting the input deletes its outputs', async () => {
    const { uid } = await cf.stream.liveInputs.create({ account_id, recording: { mode: 'automatic' } });
    const output = await cf.stream.liveInputs.outputs.create(uid!, { account_id, url: YOUTUBE, streamKey: 'yt-key-1234' });
    expect(output).toEqual({
      uid: expect.stringMatching(/^[0-9a-f]{32}$/),
      url: YOUTUBE,
      streamKey: 'yt-key-1234',
      enabled: true,
    });
    const twitch = await cf.stream.liveInputs.outputs.create(uid!, {
      account_id,
      url: 'rtmps://live.twitch.tv/app',
      streamKey: 'live_123',
      enabled: false,
    });

    const listed = await cf.stream.liveInputs.outputs.list(uid!, { account_id });
    expect(listed.result).toEqual([output, twitch]);

    const disabled = await cf.stream.liveInputs.outputs.update(output.uid!, {
      account_id,
      live_input_identifier: uid!,
      enabled: false,
    });
    expect(disabled).toEqual({ ...output, enabled: false });

    standIn.control.setState(uid!, { state: 'connected' });
    await cf.stream.liveInputs.outputs.delete(twitch.uid!, { account_id, live_input_identifier: uid! });
    expect((await cf.stream.liveInputs.outputs.list(uid!, { account_id })).result).toEqual([disabled]);

    const unknown = await sdkFailure(() =>
      cf.stream.liveInputs.outputs.update(twitch.uid!, { account_id, live_input_identifier: uid!, enabled: true }),
    );
    expect(unknown).toMatchObject({ status: 404, errors: [{ code: 10003, message: 'Output not found' }] });

    await cf.stream.liveInputs.delete(uid!, { account_id });
    expect(await sdkFailure(() => cf.stream.liveInputs.outputs.list(uid!, { account_id }))).toMatchObject({ status: 404 });
  });

  it('accepts 50 outputs on one live input and refuses the 51st', async () => {
    const { uid } = await cf.stream.liveInputs.create({ account_id });
    for (let i = 1; i <= 50; i++) {
      await cf.stream.liveInputs.outputs.create(uid!, { account_id, url: `rtmp://example.com/live/${i}`, streamKey: `key-${i}` });
    }
    const refused = await sdkFailure(() =>
      cf.stream.liveInputs.outputs.create(uid!, { account_id, url: YOUTUBE, streamKey: 'one-too-many' }),
    );
    expect(refused).toEqual({
      status: 400,
      errors: [{ code: 10009, message: 'A live input can have at most 50 outputs; delete one before adding another' }],
      name: 'BadRequestError',
    });
    expect(standIn.control.outputs(uid!)).toHaveLength(50);
  });

  it('rejects bodies the schema rejects, naming the field, in Cloudflare’s error shape', async () => {
    const { uid } = await cf.stream.liveInputs.create({ account_id });
    const wrongType = await sdkFailure(() =>
      cf.stream.liveInputs.create({ account_id, recording: { mode: 42 as unknown as 'off' } }),
    );
    expect(wrongType).toEqual({
      status: 400,
      errors: [
        { code: 10005, message: 'recording.mode: must be of type string' },
        { code: 10005, message: 'recording.mode: must be one of "off", "automatic"' },
      ],
      name: 'BadRequestError',
    });
    const unknownEnum = await sdkFailure(() =>
      cf.stream.liveInputs.update(uid!, { account_id, recording: { mode: 'manual' as 'off' } }),
    );
    expect(unknownEnum.errors).toEqual([{ code: 10005, message: 'recording.mode: must be one of "off", "automatic"' }]);
    const tooShort = await sdkFailure(() => cf.stream.liveInputs.create({ account_id, deleteRecordingAfterDays: 7 }));
    expect(tooShort.errors).toEqual([{ code: 10005, message: 'deleteRecordingAfterDays: must be >= 30' }]);

    const noUrl = await sdkFailure(() =>
      cf.stream.liveInputs.outputs.create(uid!, {
        account_id,
        streamKey: 'k',
      } as Cloudflare.Stream.LiveInputs.OutputCreateParams),
    );
    expect(noUrl).toMatchObject({ status: 400, errors: [{ code: 10005, message: 'url: is required' }] });
    const httpUrl = await sdkFailure(() =>
      cf.stream.liveInputs.outputs.create(uid!, { account_id, url: 'https://example.com', streamKey: 'k' }),
    );
    expect(httpUrl.errors).toEqual([{ code: 10005, message: 'url: must be an rtmp://, rtmps:// or srt:// URL' }]);

    const { uid: outputUid } = await cf.stream.liveInputs.outputs.create(uid!, { account_id, url: YOUTUBE, streamKey: 'k' });
    const noEnabled = await sdkFailure(() =>
      cf.stream.liveInputs.outputs.update(outputUid!, {
        account_id,
        live_input_identifier: uid!,
      } as Cloudflare.Stream.LiveInputs.OutputUpdateParams),
    );
    expect(noEnabled.errors).toEqual([{ code: 10005, message: 'enabled: is required' }]);
    const urlChange = await sdkFailure(() =>
      cf.stream.liveInputs.outputs.update(outputUid!, {
        account_id,
        live_input_identifier: uid!,
        enabled: true,
        url: YOUTUBE,
      } as Cloudflare.Stream.LiveInputs.OutputUpdateParams),
    );
    expect(urlChange.errors).toEqual([{ code: 10005, message: "url: an output's update accepts only enabled" }]);
    expect(standIn.control.liveInputs()).toHaveLength(1);
  });

  it('rejects malformed JSON, non-object bodies and over-long identifiers', async () => {
    const post = (body: string) =>
      fetch(`${standIn.baseURL}/accounts/${account_id}/stream/live_inputs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${standIn.apiToken}`, 'content-type': 'application/json' },
        body,
      });
    const malformed = await post('{"meta":');
    expect({ status: malformed.status, body: await malformed.json() }).toEqual({
      status: 400,
      body: { result: null, success: false, errors: [{ code: 6007, message: 'Malformed JSON in request body' }], messages: [] },
    });
    const array = await post('[]');
    expect(await array.json()).toMatchObject({ errors: [{ code: 10005, message: '(body): must be a JSON object' }] });

    const longId = 'a'.repeat(33);
    const failure = await sdkFailure(() => cf.stream.liveInputs.get(longId, { account_id }));
    expect(failure).toMatchObject({
      status: 400,
      errors: [{ code: 10005, message: 'live_input_identifier: must NOT have more than 32 characters' }],
    });
  });

  it('answers a bad token with 403/10000 and an account the token does not own like Cloudflare does', async () => {
    const wrongToken = await sdkFailure(() =>
      sdkFor(standIn, { apiToken: 'not-the-token' }).stream.liveInputs.list({ account_id }),
    );
    expect(wrongToken).toEqual({
      status: 403,
      errors: [{ code: 10000, message: 'Authentication error' }],
      name: 'PermissionDeniedError',
    });

    const foreignAccount = await sdkFailure(() => cf.stream.liveInputs.list({ account_id: 'f'.repeat(32) }));
    expect(foreignAccount).toMatchObject({ status: 403, errors: [{ code: 10000, message: 'Authentication error' }] });

    const malformedAccount = await sdkFailure(() => cf.stream.liveInputs.list({ account_id: 'not-an-account' }));
    expect(malformedAccount).toMatchObject({
      status: 400,
      errors: [
        {
          code: 7003,
          message:
            'Could not route to /client/v4/accounts/not-an-account/stream/live_inputs, perhaps your object identifier is invalid?',
        },
        { code: 7000, message: 'No route for that URI' },
      ],
    });

    const noHeader = await fetch(`${standIn.baseURL}/accounts/${account_id}/stream/live_inputs`);
    expect(noHeader.status).toBe(403);
    const basic = await fetch(`${standIn.baseURL}/accounts/${account_id}/stream/live_inputs`, {
      headers: { authorization: 'Basic abc' },
    });
    expect(await basic.json()).toMatchObject({ errors: [{ code: 6003, error_chain: [{ code: 6111 }] }] });
    expect(standIn.control.counters().byStatus).toEqual({ '400': 2, '403': 3 });
  });

  it('honours Idempotency-Key on create: same input on retry, 409 once deleted, forgotten after six hours', async () => {
    const clock = manualClock();
    const timed = await startCloudflareStandIn({ now: clock.now });
    try {
      const sdk = sdkFor(timed);
      const params = { account_id: timed.accountId, meta: { name: 'retried' }, 'Idempotency-Key': 'stream-42-create' };
      const first = await sdk.stream.liveInputs.create(params);
      const retried = await sdk.stream.liveInputs.create(params);
      expect(retried).toEqual(first);
      expect(timed.control.liveInputs()).toHaveLength(1);

      await sdk.stream.liveInputs.delete(first.uid!, { account_id: timed.accountId });
      expect(await sdkFailure(() => sdk.stream.liveInputs.create(params))).toMatchObject({ status: 409, name: 'ConflictError' });

      clock.advance(6 * 3600_000);
      const afterExpiry = await sdk.stream.liveInputs.create(params);
      expect(afterExpiry.uid).not.toEqual(first.uid);
    } finally {
      await timed.close();
    }
  });

  it('rotates keys: new credentials, same uid and configuration', async () => {
    const created = await cf.stream.liveInputs.create({ account_id, meta: { name: 'rotating' } });
    const response = await fetch(`${standIn.baseURL}/accounts/${account_id}/stream/live_inputs/${created.uid}/rotate_keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${standIn.apiToken}` },
    });
    const { result } = (await response.json()) as { result: typeof created };
    expect(result).toMatchObject({ uid: created.uid, meta: { name: 'rotating' }, keysRotatedAt: expect.any(String) });
    expect(result.rtmps?.streamKey).not.toEqual(created.rtmps?.streamKey);
    expect((await cf.stream.liveInputs.get(created.uid!, { account_id })).rtmps).toEqual(result.rtmps);
  });

  it('answers in the response shapes of the schema', async () => {
    const document = loadOpenApiDocument();
    const shapes = {
      single: compileComponentValidator(document, 'stream_live_input_response_single'),
      collection: compileComponentValidator(document, 'stream_live_input_response_collection'),
      output: compileComponentValidator(document, 'stream_output_response_single'),
      outputs: compileComponentValidator(document, 'stream_output_response_collection'),
      videos: compileComponentValidator(document, 'stream_video_response_collection'),
      failure: compileComponentValidator(document, 'stream_api-response-common-failure'),
    };
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${standIn.baseURL}/accounts/${account_id}/stream/live_inputs${path}`, {
        method,
        headers: { authorization: `Bearer ${standIn.apiToken}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return response.json() as Promise<{ result: { uid: string } }>;
    };
    const created = await call('POST', '', {
      recording: { mode: 'automatic' },
      meta: { name: 'shapes' },
      deleteRecordingAfterDays: 30,
    });
    const uid = created.result.uid;
    await call('POST', `/${uid}/outputs`, { url: YOUTUBE, streamKey: 'k' });
    standIn.control.setState(uid, { state: 'connected' });
    standIn.control.makeLiveVideoAppear(uid);
    standIn.control.setState(uid, { state: 'disconnected' });
    standIn.control.setState(uid, { state: 'connected' });
    standIn.control.makeLiveVideoAppear(uid);

    const answers = {
      single: [created, await call('GET', `/${uid}`), await call('PUT', `/${uid}`, { enabled: true })],
      collection: [await call('GET', '')],
      output: [await call('POST', `/${uid}/outputs`, { url: YOUTUBE, streamKey: 'k2' })],
      outputs: [await call('GET', `/${uid}/outputs`)],
      videos: [await call('GET', `/${uid}/videos`)],
      failure: [await call('GET', `/${'0'.repeat(32)}`), await call('POST', '', { recording: { mode: 'x' } })],
    };
    for (const [shape, bodies] of Object.entries(answers)) {
      for (const body of bodies) {
        const validate = shapes[shape as keyof typeof shapes];
        expect({ shape, valid: validate(body), errors: validate.errors ?? null }).toEqual({ shape, valid: true, errors: null });
      }
    }
  });
});
