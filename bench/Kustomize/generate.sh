#!/usr/bin/env bash
# Generates the kustomize benchmark overlay: a base of 200 resources (100 Deployments, 100 Services) and an
# overlay with a namespace, a name prefix, labels, an image override, 3 patches and 2 generators.
# Usage: generate.sh OUTDIR   (builds OUTDIR/overlay)
set -euo pipefail
out="${1:?usage: generate.sh OUTDIR}"
rm -rf "$out" && mkdir -p "$out/base" "$out/overlay"
{
  echo "resources:"
  for i in $(seq 1 100); do echo "- app-$i.yaml"; done
} >"$out/base/kustomization.yaml"
for i in $(seq 1 100); do
  cat >"$out/base/app-$i.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-$i
  labels:
    app: app-$i
spec:
  replicas: 1
  selector:
    matchLabels:
      app: app-$i
  template:
    metadata:
      labels:
        app: app-$i
    spec:
      containers:
      - name: main
        image: nginx:1.25
        ports:
        - containerPort: 8080
        envFrom:
        - configMapRef:
            name: settings
        env:
        - name: TOKEN
          valueFrom:
            secretKeyRef:
              name: credentials
              key: token
---
apiVersion: v1
kind: Service
metadata:
  name: app-$i
spec:
  selector:
    app: app-$i
  ports:
  - port: 80
    targetPort: 8080
YAML
done
cat >"$out/overlay/kustomization.yaml" <<'YAML'
resources:
- ../base
namespace: bench
namePrefix: prod-
labels:
- pairs:
    env: prod
  includeSelectors: true
commonAnnotations:
  owner: platform
images:
- name: nginx
  newTag: "1.27"
configMapGenerator:
- name: settings
  literals:
  - LOG_LEVEL=info
  - FEATURE_X=on
secretGenerator:
- name: credentials
  literals:
  - token=s3cr3t
patches:
- target:
    kind: Deployment
  patch: |-
    - op: replace
      path: /spec/replicas
      value: 3
- target:
    kind: Deployment
    name: app-1.*
  patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: any
    spec:
      template:
        spec:
          containers:
          - name: main
            resources:
              limits:
                memory: 256Mi
- target:
    kind: Service
  patch: |-
    - op: add
      path: /spec/type
      value: ClusterIP
YAML
echo "$out/overlay"
