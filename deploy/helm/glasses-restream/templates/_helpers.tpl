{{- define "gr.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 52 | trimSuffix "-" -}}
{{- end -}}

{{- define "gr.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "gr.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "gr.secretName" -}}
{{- .Values.existingSecret | default (printf "%s-secrets" (include "gr.fullname" .)) -}}
{{- end -}}

{{- define "gr.image" -}}
{{- printf "%s:%s" .repository .tag -}}
{{- end -}}

{{- define "gr.databaseUrl" -}}
{{- if .Values.postgresql.enabled -}}
{{- printf "postgresql://restream:%s@%s-postgresql:5432/restream" .Values.postgresql.password (include "gr.fullname" .) -}}
{{- else -}}
{{- required "externalDatabase.url is required (or postgresql.enabled=true for a trial)" .Values.externalDatabase.url -}}
{{- end -}}
{{- end -}}

{{- define "gr.redisUrl" -}}
{{- if .Values.redis.enabled -}}
{{- printf "redis://%s-redis:6379" (include "gr.fullname" .) -}}
{{- else -}}
{{- required "externalRedis.url is required (or redis.enabled=true for a trial)" .Values.externalRedis.url -}}
{{- end -}}
{{- end -}}

{{/* The API and worker pods' environment: settings from the ConfigMap, secrets from the Secret. */}}
{{- define "gr.appEnv" -}}
envFrom:
  - configMapRef:
      name: {{ include "gr.fullname" . }}-config
  - secretRef:
      name: {{ include "gr.secretName" . }}
{{- end -}}

{{- define "gr.podSecurity" -}}
securityContext:
  runAsNonRoot: true
  seccompProfile: { type: RuntimeDefault }
{{- end -}}

{{- define "gr.containerSecurity" -}}
securityContext:
  allowPrivilegeEscalation: false
  capabilities: { drop: [ALL] }
{{- end -}}
