{{- define "homelab-operator.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "homelab-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "homelab-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "homelab-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "homelab-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "homelab-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "homelab-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "homelab-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- /*
The rights on the objects the operator reconciles, in the namespaces it watches. Each verb is one
the operator was seen to use against an API server (RbacIT compares the chart's rules with the
requests it recorded): the four kinds (read from informers: list and watch; patch for their
finalizers) and their status (patch); the Secrets it reads, marks with the finalizer
homelab.io/in-use (patch) and writes (create, patch, delete: WireGuard keys, the home end's
configuration); and the Events it records. Secrets need list and watch besides get: an informer
cannot be limited to some names.
*/}}
{{- define "homelab-operator.namespacedRules" -}}
- apiGroups: ["homelab.io"]
  resources: ["edges", "tunnels", "routes", "guests"]
  verbs: ["list", "watch", "patch"]
- apiGroups: ["homelab.io"]
  resources: ["edges/status", "tunnels/status", "routes/status", "guests/status"]
  verbs: ["patch"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}
