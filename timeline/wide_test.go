package timeline_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/timeline"
)

// wideTimeline is a Job of 400 pods, 100 at a time on two nodes (the
// shape a Job of completions 400 and parallelism 100 draws), built by hand
// so that tests of the picture at scale need no simulation.
func wideTimeline() *timeline.Timeline {
	g := &timeline.Group{Kind: "Job", Name: "wide", Label: "Job wide"}
	for i := range 400 {
		start := time.Duration(i/100)*25*time.Second + time.Duration(i%100)*100*time.Millisecond
		name := fmt.Sprintf("wide-%05d", i)
		node := []string{"k8s-node1", "k8s-node2"}[i%2]
		bar := &timeline.Bar{Name: name, Namespace: "default", Node: node, From: start, To: 5 * time.Minute,
			Segments: []timeline.Segment{
				{From: start, To: start + time.Second, State: timeline.StateContainerCreating, Word: "ContainerCreating"},
				{From: start + time.Second, To: start + 21*time.Second, State: timeline.StateRunning, Word: "Running"},
				{From: start + 21*time.Second, To: 5 * time.Minute, State: timeline.StateCompleted, Word: "Completed"},
			}}
		g.Rows = append(g.Rows, &timeline.Row{Label: name, Note: node, Bars: []*timeline.Bar{bar}})
		g.Marks = append(g.Marks, timeline.Mark{At: start, Type: "Normal", Reason: "SuccessfulCreate", Message: "Created pod: " + name})
	}
	nodes := &timeline.Group{Kind: "Nodes", Label: "Nodes"}
	for _, n := range []string{"k8s-master", "k8s-node1", "k8s-node2"} {
		nodes.Rows = append(nodes.Rows, &timeline.Row{Label: n, Bars: []*timeline.Bar{{Name: n, To: 5 * time.Minute,
			Segments: []timeline.Segment{{To: 5 * time.Minute, State: timeline.StateNodeReady, Word: "Ready"}}}}})
	}
	return &timeline.Timeline{Title: "wide-job.txt", Seed: 1, End: 5 * time.Minute, Groups: []*timeline.Group{g, nodes},
		Commands: []timeline.Command{{Index: 1, Line: 3, Text: "kubectl apply -f -"}, {Index: 3, Line: 19, At: 5 * time.Minute, Text: "kubectl get job wide"}}}
}

// TestSVGAtScale: 400 pods draw as a dense block, a thin row each with no
// names, so the picture stays under two thousand pixels tall.
func TestSVGAtScale(t *testing.T) {
	tl := wideTimeline()
	assert.Equal(t, 400, tl.Bars())
	var b bytes.Buffer
	require.NoError(t, tl.SVG(&b))
	svg := b.String()
	assert.Equal(t, 400, strings.Count(svg, `class="bar pod"`))
	assert.Contains(t, svg, `>Job wide (400 rows)</text>`)
	assert.Equal(t, 3, strings.Count(svg, `class="label"`), "only the nodes are named")
	var height int
	_, err := fmt.Sscanf(svg[strings.Index(svg, `height="`):], `height="%d"`, &height)
	require.NoError(t, err)
	assert.Less(t, height, 2000)
	assert.Greater(t, height, 1600, "four pixels a pod")
}
