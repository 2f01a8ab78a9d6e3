#!/usr/bin/env bash
# CronJob controller at scale: `timonel server` (release build, fresh SQLite data dir, one simulated node) and
# CRONJOBS cron jobs on "* * * * *" created together; then, for ROUNDS schedule minutes in a row, the time from the
# minute until every cron job has its Job for it (the controller requeues each key for the minute through its clock,
# so this is the schedule skew at that scale; upstream publishes it as cronjob_job_creation_skew_duration_seconds
# and sets no target).                                                        target ≤ 10 s for 1,000 cron jobs
#   bench/cronjob-scale.sh [CRONJOBS=1000] [ROUNDS=2]
set -euo pipefail
cronjobs="${1:-1000}"
rounds="${2:-2}"
source "$(dirname "${BASH_SOURCE[0]}")/cluster.sh"
trap cleanup_cluster EXIT

start_cluster 1 10.42.0.0/16
kubectl create namespace bench >/dev/null

t0=$(date +%s.%N)
for i in $(seq 1 "$cronjobs"); do
  cat <<YAML
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: cj-$i
  namespace: bench
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: pause
            image: registry.k8s.io/pause:3.9
YAML
done | kubectl create -f - >/dev/null
echo "$cronjobs cron jobs created in $(elapsed "$t0") s" >&2

# A minute's Jobs are named <cronjob>-<minutes since the epoch>; their creationTimestamps (to the second, set by
# the API server) say when the controller made them, whatever the time it takes kubectl to list them.
minute_jobs() { kubectl -n bench get jobs -o 'jsonpath={range .items[*]}{.metadata.name} {.metadata.creationTimestamp}{"\n"}{end}' | grep -- "-$1 "; }
for round in $(seq 1 "$rounds"); do
  minute=$(( ($(date +%s) / 60 + 1) * 60 ))
  while [ "$(date +%s)" -lt "$minute" ]; do sleep 0.2; done
  until [ "$(minute_jobs $((minute / 60)) | wc -l)" -ge "$cronjobs" ]; do sleep 1; done
  last=$(minute_jobs $((minute / 60)) | awk '{print $2}' | sort | tail -1)
  skew=$(( $(date -d "$last" +%s) - minute ))
  echo "round $round: $cronjobs Jobs for $(date -u -d "@$minute" +%H:%M), the last created $skew s after the minute (server RSS $(rss_mb "$server_pid") MB, CPU $(cpu_s "$server_pid") s so far)" >&2
done
