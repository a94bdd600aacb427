package timeline

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// The page's style and script, inlined into every page written.
var (
	//go:embed page.css
	pageCSS string
	//go:embed page.js
	pageJS string
)

// pageData is the model as the page's script reads it. Times are
// milliseconds since the cluster's start.
type pageData struct {
	Title    string        `json:"title"`
	Seed     uint64        `json:"seed"`
	End      float64       `json:"end"`
	States   []pageState   `json:"states"`
	Commands []pageCommand `json:"commands"`
	Groups   []pageGroup   `json:"groups"`
	Bars     int           `json:"bars"`
}

type pageState struct {
	Name   string `json:"name"`
	Color  string `json:"color"`
	Legend string `json:"legend"`
}

type pageCommand struct {
	At    float64  `json:"at"`
	Lines []string `json:"lines"`
}

type pageGroup struct {
	Kind  string     `json:"kind"`
	Label string     `json:"label"`
	Pods  bool       `json:"pods"`
	Dense bool       `json:"dense"`
	Marks []pageMark `json:"marks"`
	Rows  []pageRow  `json:"rows"`
}

type pageRow struct {
	Label string     `json:"label"`
	Sub   string     `json:"sub,omitempty"`
	Note  string     `json:"note,omitempty"`
	Marks []pageMark `json:"marks"`
	Bars  []pageBar  `json:"bars"`
}

type pageBar struct {
	Name     string     `json:"name"`
	Node     string     `json:"node,omitempty"`
	From     float64    `json:"from"`
	To       float64    `json:"to"`
	Restarts int32      `json:"restarts,omitempty"`
	Segs     []pageSeg  `json:"segs"`
	Events   []pageMark `json:"events"`
}

type pageSeg struct {
	From  float64 `json:"from"`
	To    float64 `json:"to"`
	State string  `json:"state"`
	Word  string  `json:"word"`
}

type pageMark struct {
	At      float64 `json:"at"`
	Type    string  `json:"type"`
	Reason  string  `json:"reason"`
	Message string  `json:"msg,omitempty"`
	About   string  `json:"about,omitempty"`
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// HTML writes the timeline as one self-contained page: the model as JSON,
// drawn by an inline script, with hover details, collapsible blocks,
// grouping by owner or node, and zoom. It needs no network.
func (tl *Timeline) HTML(w io.Writer) error {
	data, err := json.Marshal(tl.page())
	if err != nil {
		return err
	}
	title := esc(fmt.Sprintf("%s · kubesim timeline", tl.Title))
	_, err = io.WriteString(w, strings.Join([]string{
		"<!DOCTYPE html>",
		`<html lang="en"><head><meta charset="utf-8">`,
		"<title>" + title + "</title>",
		"<style>" + pageCSS + "</style>",
		"</head><body>",
		`<div id="errors" hidden></div>`,
		`<header><h1 id="title"></h1><div id="toolbar">` +
			`<button id="zoom-out" title="zoom out (ctrl+wheel)">−</button>` +
			`<button id="zoom-fit" title="fit the run to the window">fit</button>` +
			`<button id="zoom-in" title="zoom in (ctrl+wheel)">+</button>` +
			`<label>group by <select id="group-by"><option value="owner">owner</option><option value="node">node</option></select></label>` +
			`<button id="expand-all">expand all</button><button id="collapse-all">collapse all</button>` +
			`</div></header>`,
		`<div id="chart"><div id="labels"></div><div id="plot"></div></div>`,
		`<div id="legend"></div>`,
		`<div id="tip" hidden></div>`,
		`<script type="application/json" id="timeline-data">` + string(data) + "</script>",
		"<script>" + pageJS + "</script>",
		"</body></html>",
		"",
	}, "\n"))
	return err
}

// page converts the model for the page's script.
func (tl *Timeline) page() pageData {
	p := pageData{Title: tl.Title, Seed: tl.Seed, End: ms(axisEnd(tl.End)), Bars: tl.Bars(),
		States: []pageState{}, Commands: []pageCommand{}, Groups: []pageGroup{}}
	for _, st := range States {
		p.States = append(p.States, pageState{Name: st.Name, Color: st.Color, Legend: st.Legend})
	}
	for _, g := range commandGroups(tl.Commands) {
		pc := pageCommand{At: ms(g.At)}
		for _, c := range g.Commands {
			pc.Lines = append(pc.Lines, fmt.Sprintf("line %d: %s", c.Line, c.Text))
		}
		p.Commands = append(p.Commands, pc)
	}
	for _, g := range tl.Groups {
		pg := pageGroup{Kind: g.Kind, Label: g.Label, Pods: podBlock(g), Dense: dense(g), Marks: pageMarks(g.Marks), Rows: []pageRow{}}
		for _, r := range g.Rows {
			pr := pageRow{Label: r.Label, Sub: r.Sub, Note: r.Note, Marks: pageMarks(r.Marks), Bars: []pageBar{}}
			for _, b := range r.Bars {
				pb := pageBar{Name: b.Name, Node: b.Node, From: ms(b.From), To: ms(b.To), Restarts: b.Restarts,
					Events: pageMarks(b.Events), Segs: []pageSeg{}}
				for _, s := range b.Segments {
					pb.Segs = append(pb.Segs, pageSeg{From: ms(s.From), To: ms(s.To), State: s.State, Word: s.Word})
				}
				pr.Bars = append(pr.Bars, pb)
			}
			pg.Rows = append(pg.Rows, pr)
		}
		p.Groups = append(p.Groups, pg)
	}
	return p
}

func pageMarks(ms_ []Mark) []pageMark {
	out := []pageMark{}
	for _, m := range ms_ {
		out = append(out, pageMark{At: ms(m.At), Type: m.Type, Reason: m.Reason, Message: m.Message, About: m.About})
	}
	return out
}
