import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } } & Record<string, unknown>;

export const KUBERNETES_DIR = 'deploy/kubernetes';
export const OVERLAYS = ['production'];

/** Every YAML document of a file; a syntax error or warning fails. */
export function readYaml(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => {
    if (doc.errors.length > 0 || doc.warnings.length > 0) throw new Error(`${file}: ${[...doc.errors, ...doc.warnings].map((e) => e.message).join('; ')}`);
    return doc.toJS() as unknown;
  });
}

const CLUSTER_SCOPED = new Set(['Namespace', 'PersistentVolume', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding', 'IngressClass']);
const KNOWN_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'patches']);

/**
 * Builds a kustomization the way `kubectl kustomize` does, for the features this repository uses
 * (resources, namespace, images, strategic-merge patches): the tests run where no kubectl is.
 * Any other kustomization field fails, so nothing is silently left out. .ci/run compares with
 * kubectl's own build where kubectl is installed.
 */
export function buildKustomization(dir: string): Manifest[] {
  const [kustomization] = readYaml(join(dir, 'kustomization.yaml')) as [Record<string, unknown>];
  const unknown = Object.keys(kustomization).filter((k) => !KNOWN_FIELDS.has(k));
  if (unknown.length > 0) throw new Error(`${dir}/kustomization.yaml: fields this test cannot build: ${unknown.join(', ')}`);
  if (kustomization.kind !== 'Kustomization') throw new Error(`${dir}/kustomization.yaml: kind is not Kustomization`);
  let manifests: Manifest[] = [];
  for (const entry of (kustomization.resources as string[] | undefined) ?? []) {
    const path = join(dir, entry);
    manifests.push(...(statSync(path).isDirectory() ? buildKustomization(path) : (readYaml(path) as Manifest[])));
  }
  for (const { path } of (kustomization.patches as { path: string }[] | undefined) ?? []) {
    for (const patch of readYaml(join(dir, path)) as Manifest[]) {
      const index = manifests.findIndex((m) => m.kind === patch.kind && m.metadata.name === patch.metadata.name);
      if (index < 0) throw new Error(`${dir}/${path}: no ${patch.kind} ${patch.metadata.name} to patch`);
      manifests[index] = strategicMerge(manifests[index], patch) as Manifest;
    }
  }
  for (const image of (kustomization.images as { name: string; newName?: string; newTag?: string }[] | undefined) ?? []) {
    manifests = manifests.map((m) => replaceImages(m, image) as Manifest);
  }
  const namespace = kustomization.namespace as string | undefined;
  if (namespace !== undefined) {
    manifests = manifests.map((m) => (CLUSTER_SCOPED.has(m.kind) ? m : { ...m, metadata: { ...m.metadata, namespace } }));
  }
  return manifests;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Maps merge key by key; lists of named items merge by name (containers, env, volumes); other lists are replaced. */
function strategicMerge(base: unknown, patch: unknown): unknown {
  if (isObject(base) && isObject(patch)) {
    const merged: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch)) merged[key] = key in base ? strategicMerge(base[key], value) : value;
    return merged;
  }
  const named = (list: unknown): list is Record<string, unknown>[] => Array.isArray(list) && list.every((item) => isObject(item) && typeof item.name === 'string');
  if (named(base) && named(patch) && patch.length > 0) {
    const merged = base.map((item) => {
      const update = patch.find((p) => p.name === item.name);
      return update === undefined ? item : strategicMerge(item, update);
    });
    return [...merged, ...patch.filter((p) => !base.some((item) => item.name === p.name))];
  }
  return patch;
}

function replaceImages(value: unknown, image: { name: string; newName?: string; newTag?: string }): unknown {
  if (Array.isArray(value)) return value.map((v) => replaceImages(v, image));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'image' && typeof v === 'string' && (v === image.name || v.startsWith(`${image.name}:`))) {
      const tag = image.newTag ?? (v.includes(':') ? v.slice(v.indexOf(':') + 1) : undefined);
      out[key] = `${image.newName ?? image.name}${tag === undefined ? '' : `:${tag}`}`;
    } else {
      out[key] = replaceImages(v, image);
    }
  }
  return out;
}

type Container = {
  name: string;
  image: string;
  command?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
};

/** The pod template's containers of a Deployment or Job. */
export function containersOf(manifest: Manifest): Container[] {
  const spec = manifest.spec as { template: { spec: { containers: Container[] } } };
  return spec.template.spec.containers;
}

/** The environment a container gets, with the ConfigMaps of the build and the example Secret. */
export function environmentOf(container: Container, manifests: Manifest[], secrets: Manifest[]): Record<string, string> {
  const dataOf = (kind: 'ConfigMap' | 'Secret', name: string): Record<string, string> => {
    const found = (kind === 'Secret' ? secrets : manifests).find((m) => m.kind === kind && m.metadata.name === name);
    if (found === undefined) throw new Error(`container ${container.name} refers to a missing ${kind} ${name}`);
    return (found.data ?? found.stringData ?? {}) as Record<string, string>;
  };
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, dataOf('ConfigMap', source.configMapRef.name));
    if (source.secretRef) Object.assign(env, dataOf('Secret', source.secretRef.name));
  }
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef ?? variable.valueFrom?.configMapKeyRef;
    if (ref !== undefined) {
      const value = dataOf(variable.valueFrom?.secretKeyRef ? 'Secret' : 'ConfigMap', ref.name)[ref.key];
      if (value === undefined) throw new Error(`container ${container.name}: ${ref.name} has no key ${ref.key}`);
      env[variable.name] = value;
    } else {
      env[variable.name] = variable.value ?? '';
    }
  }
  return env;
}

/** The Secret examples shipped beside the base (never applied by kustomize). */
/** The example Secret with its placeholder keys replaced by fresh random ones, as an operator would create it. */
export function exampleSecrets(): Manifest[] {
  const secrets = readYaml(join(KUBERNETES_DIR, 'base', 'secret.example.yaml')) as Manifest[];
  const generated: Record<string, string> = { JWT_SECRET: randomBytes(48).toString('base64'), WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64') };
  for (const secret of secrets) {
    const data = (secret as { stringData?: Record<string, string> }).stringData ?? {};
    for (const key of Object.keys(generated)) if (key in data) data[key] = generated[key]!;
  }
  return secrets;
}

export function overlayDir(name: string): string {
  return join(KUBERNETES_DIR, 'overlays', name);
}
