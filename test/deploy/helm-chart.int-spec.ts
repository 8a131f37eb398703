import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { loadAll } from 'js-yaml';
import { RelayMetrics } from '../../relay/src/metrics/relay-metrics';

// The first run may fetch helm (deploy/tools/ensure-helm.sh).
jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '..', '..');
const CHART = path.join(ROOT, 'deploy', 'helm', 'glasses-restream');

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  stringData?: Record<string, string>;
  data?: Record<string, string>;
}
interface Container {
  name: string;
  command?: string[];
  env?: { name: string; value?: string }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name: string; containerPort: number }[];
  readinessProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  securityContext?: { allowPrivilegeEscalation?: boolean };
}
interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: { containers: Container[]; terminationGracePeriodSeconds?: number; securityContext?: { runAsNonRoot?: boolean } };
}

const REQUIRED = [
  'secrets.encryptionKeys=k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  'secrets.publishKeySecret=publish-secret',
  // A comma inside a --set value is escaped.
  'secrets.relayTokens=relay-token-aaaaaaaaaaaaaaaaaaaa\\,relay-token-bbbbbbbbbbbbbbbbbbbb',
  'externalDatabase.url=postgresql://restream:pw@db.example.net:5432/restream',
  'externalRedis.url=rediss://cache.example.net:6380',
];

let helm = '';
const run = (args: string[]) => spawnSync(helm, args, { encoding: 'utf8' });
function render(sets: string[] = []): K8sObject[] {
  const result = run(['template', 'rel', CHART, '--namespace', 'media', ...[...REQUIRED, ...sets].flatMap((s) => ['--set', s])]);
  if (result.status !== 0) throw new Error(result.stderr);
  return (loadAll(result.stdout) as (K8sObject | null)[]).filter((doc): doc is K8sObject => doc !== null);
}
const find = (objects: K8sObject[], kind: string, name: string): K8sObject => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
};
const template = (o: K8sObject) => (o.spec as { template: PodTemplate }).template;
const env = (c: Container, name: string) => c.env?.find((e) => e.name === name)?.value;

/** What a typo in a template would break: names, selectors, references between objects. */
function checkStructure(objects: K8sObject[]): void {
  const names = new Set(objects.map((o) => `${o.kind}/${o.metadata.name}`));
  const podLabels: Record<string, string>[] = [];
  for (const o of objects) {
    expect(o.apiVersion).toMatch(/^([a-z0-9.]+\/)?v\d+((alpha|beta)\d+)?$/);
    expect(o.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    const spec = o.spec as { selector?: { matchLabels?: Record<string, string> }; template?: PodTemplate } | undefined;
    if (!spec?.template) continue;
    const labels = spec.template.metadata.labels;
    podLabels.push(labels);
    if (o.kind !== 'Job') expect(labels).toMatchObject(spec.selector?.matchLabels ?? { missing: 'selector' });
    for (const c of spec.template.spec.containers) {
      for (const port of c.ports ?? []) expect(port.name.length).toBeLessThanOrEqual(15);
      for (const from of c.envFrom ?? []) {
        if (from.configMapRef) expect(names).toContain(`ConfigMap/${from.configMapRef.name}`);
        if (from.secretRef) expect(names).toContain(`Secret/${from.secretRef.name}`);
      }
      expect(c.securityContext?.allowPrivilegeEscalation).toBe(false);
    }
  }
  for (const service of objects.filter((o) => o.kind === 'Service')) {
    const selector = (service.spec as { selector: Record<string, string> }).selector;
    const podName = selector['statefulset.kubernetes.io/pod-name'];
    if (podName) {
      const set = objects.find((o) => o.kind === 'StatefulSet' && podName.startsWith(`${o.metadata.name}-`));
      expect(set).toBeDefined();
    } else {
      expect(podLabels.some((labels) => Object.entries(selector).every(([k, v]) => labels[k] === v))).toBe(true);
    }
  }
}

describe('Helm chart (deploy/helm/glasses-restream)', () => {
  beforeAll(() => {
    helm = execFileSync(path.join(ROOT, 'deploy', 'tools', 'ensure-helm.sh'), { encoding: 'utf8' }).trim();
  });

  it('lints clean', () => {
    const result = run(['lint', CHART, '--strict', ...REQUIRED.flatMap((s) => ['--set', s])]);
    expect(result.stderr + result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(result.status).toBe(0);
  });

  it('refuses to render without the secrets or a database, naming what is missing', () => {
    const result = run(['template', 'rel', CHART]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('secrets.encryptionKeys is required');
    const noDb = run(['template', 'rel', CHART, ...REQUIRED.slice(0, 3).flatMap((s) => ['--set', s])]);
    expect(noDb.stderr).toContain('externalDatabase.url is required');
  });

  it('renders the API, worker, migration job and relays as the deployment needs them', () => {
    const objects = render();
    checkStructure(objects);
    const api = find(objects, 'Deployment', 'rel-glasses-restream-api');
    const apiContainer = template(api).spec.containers[0];
    expect(env(apiContainer, 'PROCESS_ROLE')).toBe('api');
    expect(apiContainer.readinessProbe?.httpGet?.path).toBe('/health');
    expect(apiContainer.livenessProbe?.httpGet?.path).toBe('/ping');
    expect(template(api).spec.securityContext?.runAsNonRoot).toBe(true);
    expect(find(objects, 'PodDisruptionBudget', 'rel-glasses-restream-api').spec).toMatchObject({ minAvailable: 1 });
    expect(find(objects, 'HorizontalPodAutoscaler', 'rel-glasses-restream-api').spec).toMatchObject({
      scaleTargetRef: { kind: 'Deployment', name: 'rel-glasses-restream-api' },
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { averageUtilization: 70 } } }],
    });
    expect(env(template(find(objects, 'Deployment', 'rel-glasses-restream-worker')).spec.containers[0], 'PROCESS_ROLE')).toBe(
      'worker',
    );

    const job = find(objects, 'Job', 'rel-glasses-restream-migrate');
    expect(job.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(template(job).spec.containers[0].command).toEqual(['node', 'dist/src/cli/main.js', 'db:migrate']);
    const secret = find(objects, 'Secret', 'rel-glasses-restream-secrets');
    expect(secret.stringData).toMatchObject({
      DATABASE_URL: 'postgresql://restream:pw@db.example.net:5432/restream',
      REDIS_URL: 'rediss://cache.example.net:6380',
      RELAY_TOKEN: 'relay-token-aaaaaaaaaaaaaaaaaaaa',
    });
    // The job runs before the release's objects exist: what it reads must be hooks that come first.
    expect(Number(secret.metadata.annotations?.['helm.sh/hook-weight'])).toBeLessThan(0);

    const relays = find(objects, 'StatefulSet', 'rel-glasses-restream-relay');
    const relayPod = template(relays).spec;
    const relay = relayPod.containers[0];
    const drainSeconds = Number(env(relay, 'RELAY_DRAIN_SECONDS'));
    expect(drainSeconds).toBe(3600);
    expect(relayPod.terminationGracePeriodSeconds).toBeGreaterThan(drainSeconds);
    expect(relay.lifecycle?.preStop?.exec?.command[0]).toBe('sleep');
    expect(env(relay, 'RELAY_API_URL')).toBe('http://rel-glasses-restream-api:3000');
    const perPod = objects.filter((o) => o.kind === 'Service' && o.metadata.name.startsWith('rel-glasses-restream-relay-'));
    expect(perPod.map((s) => (s.spec as { selector: Record<string, string> }).selector)).toEqual([
      { 'statefulset.kubernetes.io/pod-name': 'rel-glasses-restream-relay-0' },
      { 'statefulset.kubernetes.io/pod-name': 'rel-glasses-restream-relay-1' },
    ]);
    expect(objects.some((o) => o.kind === 'ScaledObject')).toBe(false);
  });

  it('scales relays with KEDA on metrics the relay really exports, with a Service for every possible relay', async () => {
    const objects = render(['relay.autoscaling.keda.enabled=true', 'relay.autoscaling.maxReplicas=4']);
    checkStructure(objects);
    const scaled = find(objects, 'ScaledObject', 'rel-glasses-restream-relay');
    expect(scaled.spec).toMatchObject({ scaleTargetRef: { kind: 'StatefulSet', name: 'rel-glasses-restream-relay' } });
    const triggers = (scaled.spec as { triggers: { type: string; metadata: { query: string; threshold: string } }[] }).triggers;
    const exported = new Set((await new RelayMetrics().registry.getMetricsAsJSON()).map((m) => m.name));
    const used = triggers.flatMap((t) => [...t.metadata.query.matchAll(/\b(relay_[a-z_]+)\{/g)].map((m) => m[1]));
    expect(used.sort()).toEqual(['relay_active_streams', 'relay_capacity_streams', 'relay_streams_cpu_percent']);
    for (const name of used) expect(exported).toContain(name);
    expect(triggers.map((t) => t.metadata.threshold)).toEqual(['0.7', '1.4']);
    expect((find(objects, 'StatefulSet', 'rel-glasses-restream-relay').spec as { replicas?: number }).replicas).toBeUndefined();
    expect(objects.filter((o) => o.kind === 'Service' && o.metadata.name.startsWith('rel-glasses-restream-relay-'))).toHaveLength(
      4,
    );
  });

  it('runs Postgres and Redis in the cluster for a trial, migrating after install', () => {
    const objects = render(['postgresql.enabled=true', 'redis.enabled=true', 'externalDatabase.url=', 'externalRedis.url=']);
    checkStructure(objects);
    expect(find(objects, 'Secret', 'rel-glasses-restream-secrets').stringData).toMatchObject({
      DATABASE_URL: 'postgresql://restream:restream@rel-glasses-restream-postgresql:5432/restream',
      REDIS_URL: 'redis://rel-glasses-restream-redis:6379',
    });
    find(objects, 'StatefulSet', 'rel-glasses-restream-postgresql');
    find(objects, 'Deployment', 'rel-glasses-restream-redis');
    expect(find(objects, 'Job', 'rel-glasses-restream-migrate').metadata.annotations?.['helm.sh/hook']).toBe(
      'post-install,pre-upgrade',
    );
  });

  it('uses host networking instead of per-relay Services when asked', () => {
    const objects = render(['relay.hostNetwork=true']);
    checkStructure(objects);
    const pod = template(find(objects, 'StatefulSet', 'rel-glasses-restream-relay')).spec as PodTemplate['spec'] & {
      hostNetwork?: boolean;
    };
    expect(pod.hostNetwork).toBe(true);
    expect(pod.containers[0].command?.join(' ')).toContain('RELAY_PUBLIC_HOST="$HOST_IP"');
    expect(objects.filter((o) => o.kind === 'Service' && o.metadata.name.startsWith('rel-glasses-restream-relay-'))).toHaveLength(
      0,
    );
  });
});
