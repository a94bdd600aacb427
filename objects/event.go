package objects

// Event records something that happened to an object (core/v1 Event), as
// `kubectl describe` and `kubectl get events` show it.
type Event struct {
	TypeMeta            `json:",inline"`
	ObjectMeta          `json:"metadata"`
	InvolvedObject      ObjectReference `json:"involvedObject"`
	Reason              string          `json:"reason,omitempty"`
	Message             string          `json:"message,omitempty"`
	Source              EventSource     `json:"source,omitzero"`
	FirstTimestamp      Time            `json:"firstTimestamp,omitzero"`
	LastTimestamp       Time            `json:"lastTimestamp,omitzero"`
	Count               int32           `json:"count,omitempty"`
	Type                string          `json:"type,omitempty"`
	ReportingController string          `json:"reportingComponent,omitempty"`
	ReportingInstance   string          `json:"reportingInstance,omitempty"`
}

// DeepCopyObject returns an independent copy of the event.
func (e *Event) DeepCopyObject() Object { return e.DeepCopy() }

// Event types.
const (
	EventNormal  = "Normal"
	EventWarning = "Warning"
)

// ObjectReference points at an object an event is about.
type ObjectReference struct {
	Kind            string `json:"kind,omitempty"`
	Namespace       string `json:"namespace,omitempty"`
	Name            string `json:"name,omitempty"`
	UID             string `json:"uid,omitempty"`
	APIVersion      string `json:"apiVersion,omitempty"`
	ResourceVersion string `json:"resourceVersion,omitempty"`
	FieldPath       string `json:"fieldPath,omitempty"`
}

// EventSource names the component (and host) that reported an event.
type EventSource struct {
	Component string `json:"component,omitempty"`
	Host      string `json:"host,omitempty"`
}
