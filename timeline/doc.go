// Package timeline draws a recorded run (a record.Trace) as a picture:
// every pod a bar over virtual time, grouped under the object that owns it
// (a Job, a CronJob's runs, a StatefulSet's ordinals, a Deployment's
// ReplicaSets) and coloured by what `kubectl get pods` showed at each
// moment (Pending, ContainerCreating, Running, Completed, Error,
// CrashLoopBackOff, ImagePullBackOff, Terminating), with the events that
// explain them as markers, the claims binding to volumes, the nodes going
// down and the scenario's commands on the time axis.
//
// [Timeline.SVG] writes a static picture for READMEs and slides: hover
// titles on every segment and marker, and blocks of more than 24 pods drawn
// dense (a thin row each, no names) so that 400 pods keep their shape on a
// page. [Timeline.HTML] writes one self-contained page (inline CSS and
// script, no network) that draws the same model with hover details, blocks
// that collapse and expand, grouping by owner or by node, and zoom.
//
// # Imports and determinism
//
// timeline imports record, objects and kubectl/printers (kubectl's STATUS
// word for a pod), and only the standard library besides. The picture of a
// trace is a pure function of it: the same run gives byte-identical SVG
// and HTML.
package timeline
