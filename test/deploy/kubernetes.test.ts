import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, PersistentVolumeClaim, Secret, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { SETTING_NAMES, loadConfig } from '../../src/config.js';
import { KUBERNETES_DIR, OVERLAYS, buildKustomization, containersOf, environmentOf, exampleSecrets, overlayDir, readYaml, type Manifest } from './kustomize.js';

/** The schema-checked model of each kind the manifests use; any other kind fails the test. */
const MODELS: Record<string, new (data: never) => { validate: () => void }> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/Ingress': Ingress,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Secret': Secret,
  'v1/Service': Service,
};

function validate(manifest: Manifest): void {
  const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
  if (Model === undefined) throw new Error(`${manifest.kind} ${manifest.metadata?.name}: no schema for ${manifest.apiVersion}/${manifest.kind} in this test`);
  new Model(manifest as never).validate();
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? yamlFiles(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []));
}

const builds = OVERLAYS.map((name) => ({ name, manifests: buildKustomization(overlayDir(name)) }));
const secrets = exampleSecrets();
const find = (manifests: Manifest[], kind: string, name: string): Manifest => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name}`);
  return found;
};
type PodContainer = {
  name: string;
  ports?: unknown;
  readinessProbe: { httpGet: unknown };
  livenessProbe: { httpGet: unknown };
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
  resources?: unknown;
  securityContext?: unknown;
  volumeMounts: { name: string; mountPath: string }[];
};
const podSpec = (m: Manifest) =>
  (m.spec as { template: { spec: Record<string, unknown> & { containers: PodContainer[]; volumes?: Record<string, unknown>[]; terminationGracePeriodSeconds?: number } } }).template.spec;
const appSource = (file: string) => readFileSync(file, 'utf8');

describe('the Kubernetes manifests', () => {
  it('parse, and every resource validates against the Kubernetes schemas', () => {
    const resources = yamlFiles(KUBERNETES_DIR).filter((f) => !f.endsWith('kustomization.yaml') && !f.includes(join('overlays', '')));
    expect(resources.length).toBeGreaterThan(5);
    for (const file of resources) for (const doc of readYaml(file)) validate(doc as Manifest);
    for (const build of builds) for (const manifest of build.manifests) validate(manifest);
  });

  it('the schema check rejects a wrong manifest (it is not vacuous)', () => {
    const api = structuredClone(find(builds[0]!.manifests, 'Deployment', 'amused-api'));
    (api.spec as { replicas: unknown }).replicas = 'two';
    expect(() => validate(api)).toThrow(/replicas/);
    expect(() => validate({ ...api, apiVersion: 'apps/v1beta1' })).toThrow(/no schema/);
  });

  for (const { name, manifests } of builds) {
    describe(`overlay ${name}`, () => {
      const workloads = manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'Job');

      it('sets only settings the app has, and a configuration the app accepts in production, for every role', () => {
        const roles: string[] = [];
        for (const workload of workloads) {
          for (const container of containersOf(workload)) {
            const env = environmentOf(container, manifests, secrets);
            expect(Object.keys(env).filter((key) => !SETTING_NAMES.includes(key)), `${workload.metadata.name}: settings the app does not have`).toEqual([]);
            if (workload.kind === 'Job') {
              expect(Object.keys(env)).toEqual(['DATABASE_URL']);
              continue;
            }
            // no localhost defaults in a cluster
            expect(env).toMatchObject({ NODE_ENV: 'production', MIGRATE_ON_START: 'false' });
            for (const key of ['DATABASE_URL', 'REDIS_URL', 'JWT_SECRET', 'WEBHOOK_SECRET_KEY', 'SMTP_URL', 'MAIL_FROM', 'ROLE', 'BLOB_DIR']) expect(env[key], `${workload.metadata.name} sets ${key}`).toBeTruthy();
            const config = loadConfig(env);
            roles.push(config.role);
          }
        }
        expect(roles.sort()).toEqual(['api', 'worker']);
      });

      it('runs the migration Job with the migrate script the image builds', () => {
        const job = find(manifests, 'Job', 'amused-migrate');
        expect(containersOf(job)[0]!.command).toEqual(['node', 'dist/scripts/db-migrate.js']);
        expect(readFileSync('scripts/db-migrate.ts', 'utf8')).toContain('applyMigrations');
        expect(readFileSync('tsconfig.build.json', 'utf8')).toContain('"scripts"');
        const api = find(manifests, 'Deployment', 'amused-api');
        expect(containersOf(job)[0]!.image).toBe(containersOf(api)[0]!.image);
        expect(containersOf(api)[0]!.image).toMatch(/:[\w.-]+$/);
      });

      it('probes the api where the app answers, on the port it listens on', () => {
        const api = find(manifests, 'Deployment', 'amused-api');
        const container = podSpec(api).containers[0]!;
        const env = environmentOf(containersOf(api)[0]!, manifests, secrets);
        expect(container.ports).toEqual([{ name: 'http', containerPort: loadConfig(env).port }]);
        expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
        expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
        const health = appSource('src/http/health.ts');
        expect(health).toContain("router.get('/readyz'");
        expect(health).toContain("router.get('/healthz'");
        expect(api.spec).toMatchObject({ template: { metadata: { annotations: { 'prometheus.io/path': '/metrics', 'prometheus.io/port': String(loadConfig(env).port) } } } });
        expect(appSource('src/http/metrics.ts')).toContain("router.get('/metrics'");
        const service = find(manifests, 'Service', 'amused-api');
        expect((service.spec as { ports: unknown[] }).ports).toEqual([{ name: 'http', port: 80, targetPort: 'http' }]);
      });

      it('drains an api pod before it stops: preStop pause, then the graceful shutdown within the grace period', () => {
        for (const deployment of manifests.filter((m) => m.kind === 'Deployment')) {
          const spec = podSpec(deployment);
          const container = spec.containers[0]!;
          const env = environmentOf(containersOf(deployment)[0]!, manifests, secrets);
          const pause = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
          const shutdownSeconds = loadConfig(env).shutdownTimeoutMs / 1000;
          expect(spec.terminationGracePeriodSeconds, deployment.metadata.name).toBeGreaterThanOrEqual(pause + shutdownSeconds + 5);
          if (deployment.metadata.name === 'amused-api') expect(pause).toBeGreaterThanOrEqual(5);
        }
        // the shutdown turns readiness off first: new traffic stops while WebSockets close
        expect(appSource('src/api.ts')).toMatch(/stopping = true;/);
      });

      it('keeps two or more api pods, with an autoscaler and a disruption budget', () => {
        const api = find(manifests, 'Deployment', 'amused-api');
        expect((api.spec as { replicas: number }).replicas).toBeGreaterThanOrEqual(2);
        const hpa = find(manifests, 'HorizontalPodAutoscaler', 'amused-api');
        expect(hpa.spec).toMatchObject({ scaleTargetRef: { kind: 'Deployment', name: 'amused-api' } });
        expect((hpa.spec as { minReplicas: number }).minReplicas).toBeGreaterThanOrEqual(2);
        const labels = (api.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels;
        for (const target of ['amused-api', 'amused-worker']) {
          const pdb = find(manifests, 'PodDisruptionBudget', target);
          const deployment = find(manifests, 'Deployment', target);
          expect((pdb.spec as { selector: unknown }).selector).toEqual((deployment.spec as { selector: unknown }).selector);
        }
        expect(find(manifests, 'Service', 'amused-api').spec).toMatchObject({ selector: labels });
        const containers = podSpec(api).containers;
        for (const c of containers) expect(c.resources).toMatchObject({ requests: { cpu: expect.anything(), memory: expect.anything() }, limits: { memory: expect.anything() } });
      });

      it('runs every container non-root on a read-only root filesystem, writing only to mounted volumes', () => {
        for (const workload of workloads) {
          const spec = podSpec(workload);
          expect(spec.securityContext, workload.metadata.name).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
          expect(spec.automountServiceAccountToken).toBe(false);
          for (const container of spec.containers) {
            expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
            const mounts = container.volumeMounts.map((m) => m.mountPath);
            expect(mounts).toContain('/tmp');
            if (workload.kind === 'Deployment') {
              const env = environmentOf(containersOf(workload).find((c) => c.name === container.name)!, manifests, secrets);
              expect(mounts).toContain(loadConfig(env).jobs.blobDir);
            }
          }
        }
      });

      it('shares the blob directory across pods on a ReadWriteMany volume', () => {
        const pvc = find(manifests, 'PersistentVolumeClaim', 'amused-blobs');
        expect((pvc.spec as { accessModes: string[] }).accessModes).toEqual(['ReadWriteMany']);
        for (const name of ['amused-api', 'amused-worker']) {
          const volumes = podSpec(find(manifests, 'Deployment', name)).volumes!;
          expect(volumes).toContainEqual({ name: 'blobs', persistentVolumeClaim: { claimName: 'amused-blobs' } });
        }
      });

      it('lets WebSockets, SSE and uploads through the ingress', () => {
        const ingress = find(manifests, 'Ingress', 'amused-api');
        const annotations = ingress.metadata.annotations!;
        expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(3600);
        expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-send-timeout'])).toBeGreaterThanOrEqual(3600);
        expect(annotations['nginx.ingress.kubernetes.io/proxy-buffering']).toBe('off');
        const bodyLimit = /^(\d+)m$/.exec(annotations['nginx.ingress.kubernetes.io/proxy-body-size']!);
        const api = find(manifests, 'Deployment', 'amused-api');
        const importMaxBytes = loadConfig(environmentOf(containersOf(api)[0]!, manifests, secrets)).jobs.importMaxBytes;
        expect(Number(bodyLimit![1]) * 1024 * 1024).toBeGreaterThan(importMaxBytes);
        const backend = (ingress.spec as { rules: { http: { paths: { backend: { service: { name: string; port: { name: string } } } }[] } }[] }).rules[0]!.http.paths[0]!.backend;
        expect(backend.service).toEqual({ name: 'amused-api', port: { name: 'http' } });
      });
    });
  }

  it('ships only example secrets', () => {
    for (const secret of readYaml(join(KUBERNETES_DIR, 'base', 'secret.example.yaml')) as Manifest[]) {
      for (const [key, value] of Object.entries((secret.stringData ?? {}) as Record<string, string>)) expect(value, key).toContain('CHANGE_ME');
    }
    const applied = builds.flatMap((b) => b.manifests).filter((m) => m.kind === 'Secret');
    expect(applied).toEqual([]);
  });

  it('the build fails on kustomization fields it does not understand', () => {
    expect(() => buildKustomization('test/deploy/fixtures/unknown-field')).toThrow(/fields this test cannot build: configMapGenerator/);
  });
});
