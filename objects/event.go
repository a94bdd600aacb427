package objects

// Event records something that happened to an object (core/v1 Event), as
// `kubectl describe` and `kubectl get events` show it. Its JSON is
// upstream's: the source, the timestamps (null when unset) and the
// reporting component and instance are always written.
type Event struct {
	TypeMeta            `json:",inline"`
	ObjectMeta          `json:"metadata"`
	InvolvedObject      ObjectReference `json:"involvedObject"`
	Reason              string          `json:"reason,omitempty"`
	Message             string          `json:"message,omitempty"`
	Source              EventSource     `json:"source"`
	FirstTimestamp      Time            `json:"firstTimestamp"`
	LastTimestamp       Time            `json:"lastTimestamp"`
	Count               int32           `json:"count,omitempty"`
	Type                string          `json:"type,omitempty"`
	ReportingController string          `json:"reportingComponent"`
	ReportingInstance   string          `json:"reportingInstance"`
	// The fields of events written through events.k8s.io/v1 (the
	// scheduler's, a client-go events.EventRecorder's): when it happened,
	// what was done, and the series that repeats of it are counted in
	// instead of count and lastTimestamp.
	EventTime MicroTime        `json:"eventTime"`
	Series    *EventSeries     `json:"series,omitempty"`
	Action    string           `json:"action,omitempty"`
	Related   *ObjectReference `json:"related,omitempty"`
}

// EventSeries counts the repeats of an events.k8s.io/v1 event: how many
// times it was seen, and when last.
type EventSeries struct {
	Count            int32     `json:"count,omitempty"`
	LastObservedTime MicroTime `json:"lastObservedTime"`
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
