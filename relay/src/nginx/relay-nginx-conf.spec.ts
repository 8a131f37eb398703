import { buildRelayNginxConf } from './relay-nginx-conf';

describe('buildRelayNginxConf', () => {
  const conf = buildRelayNginxConf({
    modulePath: '/usr/lib/nginx/modules/ngx_rtmp_module.so',
    workDir: '/var/relay',
    bindHost: '0.0.0.0',
    rtmpPort: 1935,
    hlsPort: 8888,
    controlPort: 8890,
  });

  it('authorises every publish on live through the agent, and lets only loopback play', () => {
    const live = /application live \{([\s\S]*?)\n {8}\}/.exec(conf)![1];
    expect(live).toContain('on_publish http://127.0.0.1:8890/nginx/on-publish;');
    expect(live).toContain('on_publish_done http://127.0.0.1:8890/nginx/on-publish-done;');
    expect(live).toContain('allow play 127.0.0.1;\n            deny play all;');
    // The clean stream leaves from the agent itself: nginx carries only the glasses' publishes.
    expect(conf).not.toContain('application clean');
  });

  it('serves HLS from the work dir and keeps /stat and /control on loopback', () => {
    expect(conf).toContain('listen 0.0.0.0:1935;');
    expect(conf).toContain('listen 0.0.0.0:8888;');
    expect(conf).toContain('alias /var/relay/hls/;');
    expect(conf).toMatch(/location \/control \{\s*rtmp_control all;\s*allow 127\.0\.0\.1;\s*deny all;/);
    expect(conf).toMatch(/location \/stat \{\s*rtmp_stat all;\s*allow 127\.0\.0\.1;\s*deny all;/);
    expect(conf).toContain('daemon off;');
  });

  it('serves recordings only to links signed with the shared secret and not expired', () => {
    const secret = 'a-shared-secret-of-24-chars';
    const signed = buildRelayNginxConf({
      modulePath: '/m.so',
      workDir: '/var/relay',
      bindHost: '0.0.0.0',
      rtmpPort: 1935,
      hlsPort: 8888,
      controlPort: 8890,
      recordingUrlSecret: secret,
    });
    const location = /location \/recordings\/ \{([\s\S]*?)\n {8}\}/.exec(signed)![1];
    expect(location).toContain('secure_link $arg_md5,$arg_expires;');
    expect(location).toContain(`secure_link_md5 "$secure_link_expires$uri ${secret}";`);
    expect(location).toContain('if ($secure_link = "") { return 403; }');
    expect(location).toContain('if ($secure_link = "0") { return 403; }');
    expect(location).toContain('alias /var/relay/recordings/;');
    // Without a secret nothing is served.
    expect(conf).toContain('location /recordings/ { return 403; }');
  });
});
