import { buildNginxRtmpConf, recordingDir } from './nginx-rtmp-conf';

describe('buildNginxRtmpConf', () => {
  const conf = buildNginxRtmpConf({
    port: 19350,
    workDir: '/tmp/w',
    modulePath: '/usr/lib/nginx/modules/ngx_rtmp_module.so',
    apps: ['youtube', 'twitch'],
  });

  it('runs one foreground process with all state in the work dir', () => {
    expect(conf).toMatch(/^load_module \/usr\/lib\/nginx\/modules\/ngx_rtmp_module.so;$/m);
    expect(conf).toContain('daemon off;');
    expect(conf).toContain('master_process off;');
    expect(conf).toContain('pid /tmp/w/nginx.pid;');
    expect(conf).toContain('error_log /tmp/w/error.log info;');
    expect(conf).toContain('access_log /tmp/w/rtmp-access.log;');
    expect(conf).toContain('listen 127.0.0.1:19350;');
  });

  it('records every application to its own folder', () => {
    for (const app of ['youtube', 'twitch']) {
      expect(conf).toContain(`application ${app} {`);
      expect(conf).toContain(`record_path ${recordingDir('/tmp/w', app)};`);
    }
    expect(conf.match(/record all;/g)).toHaveLength(2);
    expect(conf.match(/record_unique off;/g)).toHaveLength(2);
  });

  it('can keep one recording per publish', () => {
    const unique = buildNginxRtmpConf({ port: 1935, workDir: '/tmp/w', modulePath: '/m.so', apps: ['a'], recordUnique: true });
    expect(unique).toContain('record_unique on;');
  });

  it('rejects bad input', () => {
    const base = { port: 1935, workDir: '/tmp/w', modulePath: '/m.so' };
    expect(() => buildNginxRtmpConf({ ...base, apps: [] })).toThrow(RangeError);
    expect(() => buildNginxRtmpConf({ ...base, apps: ['you tube;'] })).toThrow(/bad application/);
    expect(() => buildNginxRtmpConf({ ...base, port: 70000, apps: ['a'] })).toThrow(/bad port/);
  });
});
