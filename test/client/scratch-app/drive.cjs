// What an app does with the installed package, whichever way it loaded it (app.mjs: import,
// app.cjs: require). Prints one JSON line per step; the test answers `subscribed` by reporting the
// stream live through the relay endpoint, then reads the final `done` line.
const { BASE_URL, API_KEY, USER_ID, STREAM_KEY } = process.env;

function print(step, data) {
  process.stdout.write(`${JSON.stringify({ step, ...data })}\n`);
}

async function until(probe, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function caught(promise) {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    return error;
  }
}

module.exports = async function drive(sdk, resolvedFrom) {
  const client = new sdk.RestreamClient({ baseUrl: BASE_URL, apiKey: API_KEY });
  const started = await client.startManagedStream({
    userId: USER_ID,
    restreamDestinations: [{ name: 'YouTube', url: 'rtmp://a.rtmp.youtube.com/live2', streamKey: STREAM_KEY }],
  });
  const got = await client.getStream(started.streamId);
  const listed = await client.listStreams({ userId: USER_ID, status: 'live' });
  const missing = await caught(client.getStream('ms_does_not_exist'));
  const again = await caught(client.startManagedStream({ userId: USER_ID }));

  const events = [];
  const subscription = client.onStreamStatus(started.streamId, (event) => events.push(event));
  const seen = (type, statuses) => events.find((e) => e.type === type && statuses.includes(e.status));
  await until(() => seen('stream.status', ['connecting']), 'the history (stream connecting)');
  print('subscribed', { streamId: started.streamId, destinationId: started.destinations[0].id, state: subscription.state });
  await until(() => seen('stream.status', ['active']), 'stream active, live');
  await until(() => seen('destination.status', ['broadcasting']), 'destination broadcasting, live');

  const stopped = await client.stopStream(started.streamId);
  await until(() => seen('stream.status', ['stopping', 'stopped']), 'the stop');
  subscription.close();

  print('done', {
    resolvedFrom,
    started: { streamId: started.streamId, userId: started.userId, ingestUrl: started.ingestUrl },
    destinations: started.destinations.map((d) => ({ name: d.name, url: d.url, streamKeyMasked: d.streamKeyMasked })),
    got: got.streamId,
    listed: listed.map((s) => s.streamId),
    missing: {
      notFound: missing instanceof sdk.NotFoundError,
      restreamError: missing instanceof sdk.RestreamError,
      status: missing.status,
    },
    again: { alreadyStreaming: again instanceof sdk.AlreadyStreamingError, streamId: again.streamId },
    events: events.map((e) => `${e.type} ${e.status}`),
    lastEventId: subscription.lastEventId,
    stoppedStatus: stopped.status,
    state: subscription.state,
  });
};
