{{/* Name of the server objects: <release>-drydock-server, cut to 63 characters. */}}
{{- define "drydock.serverName" -}}
{{- printf "%s-drydock-server" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "drydock.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | quote }}
app.kubernetes.io/part-of: drydock
app.kubernetes.io/instance: {{ .Release.Name | quote }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
{{- range $k, $v := .Values.commonLabels }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end -}}

{{/* Selector labels of the server pods; app.kubernetes.io/name matches drydock.sandbox.kubernetes.control-selector. */}}
{{- define "drydock.serverSelector" -}}
app.kubernetes.io/name: drydock-server
app.kubernetes.io/instance: {{ .Release.Name | quote }}
{{- end -}}

{{/* The control selector the server passes to the sandbox NetworkPolicy, k=v,k=v. */}}
{{- define "drydock.controlSelector" -}}
app.kubernetes.io/name=drydock-server,app.kubernetes.io/instance={{ .Release.Name }}
{{- end -}}

{{/* Labels of sandbox pods (SandboxNetworkPolicies.sandboxSelector). */}}
{{- define "drydock.sandboxSelector" -}}
app.kubernetes.io/managed-by: drydock
app.kubernetes.io/component: sandbox
{{- end -}}

{{- define "drydock.serviceAccountName" -}}
{{- default (include "drydock.serverName" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/*
An image reference pinned by digest: registry/repository[:tag]@digest.
Call with (dict "image" .Values.image "global" .Values.global "what" "image").
*/}}
{{- define "drydock.image" -}}
{{- $registry := default .image.registry .global.imageRegistry -}}
{{- if not (regexMatch "^sha256:[0-9a-f]{64}$" (.image.digest | default "")) -}}
{{- fail (printf "%s.digest must be set to the image's sha256 digest (sha256:<64 hex>): Drydock pulls images by digest only. The air-gap bundle's values-images.yaml carries them." .what) -}}
{{- end -}}
{{- $ref := .image.repository -}}
{{- if $registry }}{{ $ref = printf "%s/%s" $registry $ref }}{{ end -}}
{{- if .image.tag }}{{ $ref = printf "%s:%s" $ref .image.tag }}{{ end -}}
{{- printf "%s@%s" $ref .image.digest -}}
{{- end -}}

{{- define "drydock.serverImage" -}}
{{- include "drydock.image" (dict "image" .Values.image "global" .Values.global "what" "image") -}}
{{- end -}}

{{- define "drydock.sandboxImage" -}}
{{- include "drydock.image" (dict "image" .Values.sandbox.image "global" .Values.global "what" "sandbox.image") -}}
{{- end -}}

{{/* DNS port: the configured one, else 5353 on OpenShift and 53 elsewhere. */}}
{{- define "drydock.dnsPort" -}}
{{- if .Values.networkPolicy.dns.port -}}
{{- .Values.networkPolicy.dns.port -}}
{{- else if .Values.openshift.enabled -}}
5353
{{- else -}}
53
{{- end -}}
{{- end -}}

{{/* imagePullSecrets of every pod. */}}
{{- define "drydock.imagePullSecrets" -}}
{{- with .Values.global.imagePullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Pod-level security context: non-root, seccomp RuntimeDefault; fixed ids outside OpenShift. */}}
{{- define "drydock.podSecurityContext" -}}
securityContext:
  runAsNonRoot: true
  seccompProfile:
    type: RuntimeDefault
  {{- if not .Values.openshift.enabled }}
  runAsUser: {{ .Values.runAsUser }}
  runAsGroup: {{ .Values.runAsGroup }}
  fsGroup: {{ .Values.runAsGroup }}
  {{- end }}
{{- end -}}

{{/* Container security context: Pod Security "restricted" plus a read-only root filesystem. */}}
{{- define "drydock.containerSecurityContext" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  runAsNonRoot: true
  privileged: false
  capabilities:
    drop: ["ALL"]
  seccompProfile:
    type: RuntimeDefault
{{- end -}}

{{/* Names of the Secrets, the chart's own or the existing ones. */}}
{{- define "drydock.databaseSecret" -}}
{{- if .Values.evaluation.enabled -}}
{{- include "drydock.evaluationSecret" . -}}
{{- else -}}
{{- default (printf "%s-database" (include "drydock.serverName" .)) .Values.database.existingSecret -}}
{{- end -}}
{{- end -}}
{{- define "drydock.oidcSecret" -}}
{{- if .Values.evaluation.enabled -}}
{{- include "drydock.evaluationSecret" . -}}
{{- else -}}
{{- default (printf "%s-oidc" (include "drydock.serverName" .)) .Values.oidc.existingSecret -}}
{{- end -}}
{{- end -}}
{{- define "drydock.gitSecret" -}}
{{- default (printf "%s-git" (include "drydock.serverName" .)) .Values.git.existingSecret -}}
{{- end -}}
{{- define "drydock.modelSecret" -}}
{{- default (printf "%s-models" (include "drydock.serverName" .)) .Values.models.existingSecret -}}
{{- end -}}
{{- define "drydock.hasGitSecret" -}}
{{- if or .Values.git.existingSecret .Values.git.credentials }}true{{ end -}}
{{- end -}}
{{- define "drydock.hasModelSecret" -}}
{{- if or .Values.models.existingSecret .Values.models.credentials }}true{{ end -}}
{{- end -}}

{{/* Egress rules to a list of {cidr, ports}. */}}
{{- define "drydock.cidrEgress" -}}
{{- range . }}
- to:
    - ipBlock:
        cidr: {{ .cidr | quote }}
  ports:
  {{- range .ports }}
    - protocol: TCP
      port: {{ . }}
  {{- end }}
{{- end }}
{{- end -}}

{{/* Mirrors as drydock.sandbox.kubernetes.mirrors wants them: cidr:port,cidr:port. */}}
{{- define "drydock.mirrorList" -}}
{{- $items := list -}}
{{- range . }}{{ $items = append $items (printf "%s:%v" .cidr .port) }}{{ end -}}
{{- join "," $items -}}
{{- end -}}

{{/* Evaluation install: names, images, and the URLs and Secrets the server uses instead of database.* and oidc.*. */}}
{{- define "drydock.postgresName" -}}
{{- printf "%s-drydock-postgres" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- define "drydock.keycloakName" -}}
{{- printf "%s-drydock-keycloak" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- define "drydock.evaluationSecret" -}}
{{- default (printf "%s-evaluation" (include "drydock.serverName" .)) .Values.evaluation.existingSecret -}}
{{- end -}}
{{- define "drydock.postgresImage" -}}
{{- include "drydock.image" (dict "image" .Values.evaluation.postgres.image "global" .Values.global "what" "evaluation.postgres.image") -}}
{{- end -}}
{{- define "drydock.keycloakImage" -}}
{{- include "drydock.image" (dict "image" .Values.evaluation.keycloak.image "global" .Values.global "what" "evaluation.keycloak.image") -}}
{{- end -}}
{{- define "drydock.postgresSelector" -}}
app.kubernetes.io/name: drydock-postgres
app.kubernetes.io/instance: {{ .Release.Name | quote }}
{{- end -}}
{{- define "drydock.keycloakSelector" -}}
app.kubernetes.io/name: drydock-keycloak
app.kubernetes.io/instance: {{ .Release.Name | quote }}
{{- end -}}
{{- define "drydock.realmSelector" -}}
app.kubernetes.io/name: drydock-realm
app.kubernetes.io/instance: {{ .Release.Name | quote }}
{{- end -}}
{{/* Keycloak's base URL inside the cluster. */}}
{{- define "drydock.keycloakUrl" -}}
{{- printf "http://%s:%v" (include "drydock.keycloakName" .) .Values.evaluation.keycloak.servicePort -}}
{{- end -}}
{{- define "drydock.databaseUrl" -}}
{{- if .Values.evaluation.enabled -}}
{{- printf "jdbc:postgresql://%s:5432/drydock" (include "drydock.postgresName" .) -}}
{{- else -}}
{{- .Values.database.url -}}
{{- end -}}
{{- end -}}
{{- define "drydock.oidcUrl" -}}
{{- if .Values.evaluation.enabled -}}
{{- printf "%s/realms/drydock" (include "drydock.keycloakUrl" .) -}}
{{- else -}}
{{- .Values.oidc.url -}}
{{- end -}}
{{- end -}}
