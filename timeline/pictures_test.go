package timeline_test

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/record"
	"github.com/kubesim/kubesim/scenario"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/timeline"
)

// rewrite regenerates the examples' pictures and the outline goldens:
//
//	go test ./timeline/ -run Pictures -args -rewrite
var rewrite = flag.Bool("rewrite", false, "rewrite the examples' pictures and the SVG outline goldens")

// recordExample records a scenario file's run on the default cluster with
// seed 1, as `kubesim run --trace` does. name is the scenario's name in
// the record (the picture's title).
func recordExample(t testing.TB, file string) *record.Trace {
	t.Helper()
	src, err := os.ReadFile(file)
	require.NoError(t, err)
	script, err := scenario.Parse(filepath.Base(file), string(src))
	require.NoError(t, err)
	runner, err := scenario.NewRunner(sim.Config{Seed: 1, Start: sim.DefaultStart}, filepath.Dir(file))
	require.NoError(t, err)
	defer runner.Close()
	tr, err := record.Run(runner, script, filepath.Dir(file), record.Config{Seed: 1, Start: sim.DefaultStart}, nil)
	require.NoError(t, err)
	return tr
}

// examplePictures lists the tutorial's scenarios.
func examplePictures(t *testing.T) []string {
	files, err := filepath.Glob("../examples/*/*.txt")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

// svgOf draws a scenario's run.
func svgOf(t testing.TB, file string) []byte {
	tl, err := timeline.FromTrace(recordExample(t, file))
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, tl.SVG(&b))
	return b.Bytes()
}

// TestPictures holds the README's pictures to the runs they show: each
// example's checked-in SVG (examples/DIR/NAME.svg) is what the run draws
// now, and its structure (bars, their states, labels, axis, commands,
// event markers) matches the outline golden in testdata/.
func TestPictures(t *testing.T) {
	for _, file := range examplePictures(t) {
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(name, func(t *testing.T) {
			got := svgOf(t, file)
			picture := strings.TrimSuffix(file, ".txt") + ".svg"
			golden := filepath.Join("testdata", name+".outline")
			outline, err := outlineSVG(got)
			require.NoError(t, err)
			if *rewrite {
				require.NoError(t, os.WriteFile(picture, got, 0o644))
				require.NoError(t, os.WriteFile(golden, []byte(outline), 0o644))
				return
			}
			want, err := os.ReadFile(picture)
			require.NoError(t, err, "no picture: go test ./timeline/ -run Pictures -args -rewrite")
			assert.True(t, bytes.Equal(want, got), "%s is stale: go test ./timeline/ -run Pictures -args -rewrite", picture)
			wantOutline, err := os.ReadFile(golden)
			require.NoError(t, err)
			assert.Equal(t, string(wantOutline), outline)
		})
	}
}

// outlineScenes are scenes beyond the tutorial whose pictures' structure
// is held to a golden (no picture is checked in): a node going down and
// coming back, and images that cannot be pulled.
var outlineScenes = []string{"../testdata/node-down.txt", "../testdata/image-pull-errors.txt"}

// TestOutlines: the node's Ready condition turns Unknown while it is down
// (and the pod on it stays Running, then Terminating); pods wait in
// ImagePullBackOff with their warnings on their rows.
func TestOutlines(t *testing.T) {
	for _, file := range outlineScenes {
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(name, func(t *testing.T) {
			outline, err := outlineSVG(svgOf(t, file))
			require.NoError(t, err)
			golden := filepath.Join("testdata", name+".outline")
			if *rewrite {
				require.NoError(t, os.WriteFile(golden, []byte(outline), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			assert.Equal(t, string(want), outline)
		})
	}
	nodeDown, err := os.ReadFile("testdata/node-down.outline")
	require.NoError(t, err)
	assert.Contains(t, string(nodeDown), "bar k8s-node1 0s-6m25s: Ready@0s Unknown@1m20s Ready@6m20s")
	pulls, err := os.ReadFile("testdata/image-pull-errors.outline")
	require.NoError(t, err)
	assert.Contains(t, string(pulls), "ImagePullBackOff@")
	assert.Contains(t, string(pulls), "Warning:Failed@")
}

// TestPictureDeterministic: the same run draws byte-identical pictures
// and pages.
func TestPictureDeterministic(t *testing.T) {
	file := "../examples/cronjob-hello/cronjob-hello.txt"
	assert.Equal(t, string(svgOf(t, file)), string(svgOf(t, file)))
	page := func() string {
		tl, err := timeline.FromTrace(recordExample(t, file))
		require.NoError(t, err)
		var b bytes.Buffer
		require.NoError(t, tl.HTML(&b))
		return b.String()
	}
	first := page()
	assert.Equal(t, first, page())
	for _, load := range []string{" src=", "<link", "fetch(", "XMLHttpRequest", "import("} {
		assert.NotContains(t, first, load, "the page loads nothing")
	}
}

// xmlNode is a parsed SVG element.
type xmlNode struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Text     string     `xml:",chardata"`
	Children []xmlNode  `xml:",any"`
}

func (n *xmlNode) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n *xmlNode) hasClass(c string) bool {
	for _, f := range strings.Fields(n.attr("class")) {
		if f == c {
			return true
		}
	}
	return false
}

// text is the element's text, its own and its children's but titles'.
func (n *xmlNode) text() string { return strings.TrimSpace(n.rawText()) }

func (n *xmlNode) rawText() string {
	s := n.Text
	for i := range n.Children {
		if n.Children[i].XMLName.Local != "title" {
			s += n.Children[i].rawText()
		}
	}
	return s
}

// outlineSVG reads a picture back into a short text of what it shows: the
// title, the axis's ticks, the command markers, each block with its
// heading's markers, each row with its bars' states and markers, and the
// legend. A golden of it holds the picture's structure, not its pixels.
func outlineSVG(data []byte) (string, error) {
	var root xmlNode
	if err := xml.Unmarshal(data, &root); err != nil {
		return "", err
	}
	var b strings.Builder
	var walk func(n *xmlNode, depth int)
	walk = func(n *xmlNode, depth int) {
		switch {
		case n.hasClass("title"):
			fmt.Fprintf(&b, "title: %s\n", n.text())
		case n.hasClass("axis"):
			var ticks []string
			for i := range n.Children {
				if n.Children[i].hasClass("tick") {
					ticks = append(ticks, n.Children[i].text())
				}
			}
			fmt.Fprintf(&b, "axis: %s\n", strings.Join(ticks, " "))
			return
		case n.hasClass("commands"):
			var cmds []string
			for i := range n.Children {
				c := &n.Children[i]
				cmds = append(cmds, c.text()+"@"+c.attr("data-at"))
			}
			fmt.Fprintf(&b, "commands: %s\n", strings.Join(cmds, " "))
			return
		case n.hasClass("group"):
			fmt.Fprintf(&b, "block %s (%s rows)\n", n.attr("data-label"), n.attr("data-rows"))
			writeMarks(&b, "  heading marks", n.Children)
		case n.hasClass("row"):
			label := ""
			for i := range n.Children {
				if n.Children[i].hasClass("label") {
					label = " " + n.Children[i].text()
				}
			}
			fmt.Fprintf(&b, "  row %s:%s\n", n.attr("data-label"), label)
			for i := range n.Children {
				if c := &n.Children[i]; c.hasClass("bar") {
					var segs []string
					for j := range c.Children {
						s := &c.Children[j]
						segs = append(segs, fmt.Sprintf("%s@%s", s.attr("data-word"), s.attr("data-from")))
					}
					fmt.Fprintf(&b, "    %s %s %s-%s: %s\n", c.attr("class"), c.attr("data-name"), c.attr("data-from"), c.attr("data-to"), strings.Join(segs, " "))
				}
			}
			writeMarks(&b, "    marks", n.Children)
			return
		case n.hasClass("legend"):
			var states []string
			for i := range n.Children {
				if c := &n.Children[i]; c.hasClass("swatch") {
					states = append(states, c.attr("data-state"))
				}
			}
			fmt.Fprintf(&b, "legend: %s\n", strings.Join(states, " "))
			for i := range n.Children {
				if c := &n.Children[i]; c.hasClass("cmdtext") {
					fmt.Fprintf(&b, "  %s\n", c.text())
				}
			}
			return
		}
		for i := range n.Children {
			walk(&n.Children[i], depth+1)
		}
	}
	walk(&root, 0)
	return b.String(), nil
}

// writeMarks lists the event markers among nodes.
func writeMarks(b *strings.Builder, prefix string, nodes []xmlNode) {
	var marks []string
	for i := range nodes {
		if m := &nodes[i]; m.hasClass("mark") {
			marks = append(marks, fmt.Sprintf("%s:%s@%s", m.attr("data-type"), m.attr("data-reason"), m.attr("data-at")))
		}
	}
	if len(marks) > 0 {
		fmt.Fprintf(b, "%s: %s\n", prefix, strings.Join(marks, " "))
	}
}
